"""An OptionList that redraws only the rows a highlight move changes."""

from __future__ import annotations

from textual.reactive import reactive
from textual.visual import visualize
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class RowList(OptionList):
    """Textual's OptionList repaints every visible row when the highlight moves (about 6 KB at
    80x24); this one repaints the row that lost the highlight and the row that gained it.
    Row heights are measured the way OptionList measures them, with public Visual APIs."""

    highlighted: reactive[int | None] = reactive(None, repaint=False)

    def __init__(self, *options: Option, id: str | None = None) -> None:
        super().__init__(*options, id=id)
        # (width, option) -> (the prompt it was measured with, its height in lines)
        self.measured: dict[tuple[int, Option], tuple[object, int]] = {}

    def watch_highlighted(self, old: int | None, new: int | None) -> None:  # type: ignore[override]
        super().watch_highlighted(new)
        self.refresh_bindings()  # what `s` and `y` can do depends on the row (the key bar shows it)
        for index in {old, new} - {None}:
            assert index is not None
            span = self.row_span(index)
            if span is None:
                self.refresh()
                return
            self.refresh_lines(*span)

    def row_span(self, index: int) -> tuple[int, int] | None:
        """The first line and the height of row `index`, or None if it cannot be measured yet."""
        if not self.is_mounted:
            return None
        try:
            padding = self.get_component_styles("option-list--option").padding
        except KeyError:  # not styled yet: nothing has been drawn to keep either
            return None
        width = self.scrollable_content_region.width - padding.width
        if width <= 0 or not 0 <= index < self.option_count:
            return None
        top = 0
        for position in range(index + 1):
            option = self.get_option_at_index(position)
            known = self.measured.get((width, option))
            if known is None or known[0] is not option.prompt:
                height = visualize(self, option.prompt).get_height(self.styles, width)  # type: ignore[arg-type]
                known = self.measured[(width, option)] = (option.prompt, height)
            if position == index:
                return top, known[1]
            top += known[1]
        return None

    def clear_options(self) -> RowList:
        self.measured.clear()
        super().clear_options()
        return self
