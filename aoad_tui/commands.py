"""Command palette provider: find any entry by the same forgiving search, and jump to it."""

from __future__ import annotations

from collections.abc import Awaitable
from functools import partial
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from textual.command import Hit, Hits, Provider

from aoad_tui.widgets.render import literal

if TYPE_CHECKING:  # the search's module is imported when the index is built, after the first frame
    from aoad_tui.model.search import Result, SearchIndex


@runtime_checkable
class Searchable(Protocol):
    """What the palette needs of the app: its search index once built, and a way to open a result."""

    @property
    def search_index(self) -> SearchIndex | None: ...

    def open_result(self, result: Result) -> Awaitable[None]: ...


class EntryCommands(Provider):
    """Entries and source passages matching what is typed into the palette."""

    async def search(self, query: str) -> Hits:
        app = self.app
        if not isinstance(app, Searchable) or (index := app.search_index) is None:
            return
        for rank, result in enumerate(index.search(query, limit=12)):
            label = f"{result.kind}: {result.title[:100]}"
            yield Hit(
                1.0 - rank / 100,
                literal(label),
                partial(app.open_result, result),
                help=f"Open in the {result.tab.title()} tab",
            )
