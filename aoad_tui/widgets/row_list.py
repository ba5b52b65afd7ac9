"""The lists' common ground: an OptionList whose keys follow its highlight."""

from __future__ import annotations

from textual.widgets import OptionList


class RowList(OptionList):
    """What `s`, `y` and `b` can do depends on the highlighted row: the key bar is told of every move
    (Textual refreshes bindings on focus changes, not on highlight moves)."""

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        self.refresh_bindings()
