"""The status filter's small dialog: each filter with how many rows it would show."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from aoad_tui.keys import MOVE
from aoad_tui.model.filters import StatusFilter


class FilterScreen(ModalScreen[StatusFilter | None]):
    """Enter picks a filter for the list it was opened from; escape leaves it as it was."""

    # q too, as on the help screen: a modal screen stops the app's own q.
    BINDINGS = [Binding("escape,f,q", "dismiss(None)", "Close", id="filter.close")]

    def __init__(self, counts: list[tuple[StatusFilter, int]], current: StatusFilter) -> None:
        super().__init__()
        self.counts = counts
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="filter-box"):
            yield Static(Content.styled("Show only", "bold"))
            options = [
                Option(Content.assemble(("● " if f == self.current else "  "), f.label, (f"  {n}", "$text-muted")))
                for f, n in self.counts
            ]
            yield FilterOptions(*options, id="filter-options")

    def on_mount(self) -> None:
        options = self.query_one(FilterOptions)
        options.highlighted = next(i for i, (f, _) in enumerate(self.counts) if f == self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.counts[event.option_index][0])


class FilterOptions(OptionList):
    BINDINGS = [*MOVE]
