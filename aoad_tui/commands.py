"""Command palette provider: find any entry by the same forgiving search, and jump to it."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import Hit, Hits, Provider

from aoad_tui.widgets.render import literal

if TYPE_CHECKING:
    from aoad_tui.app import AoadApp


class EntryCommands(Provider):
    """Entries and source passages matching what is typed into the palette."""

    async def search(self, query: str) -> Hits:
        app: AoadApp = self.app  # type: ignore[assignment]
        index = app.search_index
        if index is None:
            return
        for rank, result in enumerate(index.search(query, limit=12)):
            label = f"{result.kind}: {result.title[:100]}"
            yield Hit(
                1.0 - rank / 100,
                literal(label),
                partial(app.open_result, result),
                help=f"Open in the {result.tab.title()} tab",
            )
