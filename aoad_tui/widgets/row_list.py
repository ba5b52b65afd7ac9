"""The lists' common ground: rows that carry what they show, an OptionList whose keys follow its
highlight, and what the three filtered lists (entries, bookmarks, search results) share."""

from __future__ import annotations

from collections.abc import Collection
from typing import Generic, TypeVar

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from aoad_tui.bookmarking import Bookmarks, Marks
from aoad_tui.keys import key_of
from aoad_tui.model.filters import EVERYTHING, StatusFilter, counts
from aoad_tui.whats_new import WhatsNew
from aoad_tui.widgets.filter_line import Filtered
from aoad_tui.widgets.render import literal
from aoad_tui.widgets.targets import Target

T = TypeVar("T")


class Row(Option, Generic[T]):
    """A row that carries what it shows: the highlighted row gives its item, and no list kept
    beside the OptionList can fall out of step with it."""

    def __init__(self, item: T, prompt: Content, *, id: str | None = None) -> None:
        super().__init__(prompt, id=id)
        self.item = item


class RowList(OptionList, Generic[T]):
    """A list of rows that carry their item (and lines that carry none: they are not items). What
    `s`, `y` and `b` can do depends on the highlighted row: the key bar is told of every move
    (Textual refreshes bindings on focus changes, not on highlight moves)."""

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        self.refresh_bindings()

    @property
    def current_item(self) -> T | None:
        """The item of the highlighted row, if any."""
        option = self.highlighted_option
        return option.item if isinstance(option, Row) else None

    def shown_items(self) -> list[T]:
        """The items of the rows, in order (a list that builds its rows as they come near: so far)."""
        return [option.item for option in self.options if isinstance(option, Row)]


class FilteredList(RowList[T]):
    """Items as rows, a star on the bookmarked ones and a marker on those new since the last visit,
    narrowed by a status filter (`f`). A list says what its items are and how each one reads
    (`items`, `status`, `key`, `prompt`); this keeps the filter, the highlighted item, the highlight
    across a rebuild, the line shown when there is no row, the rows redrawn when a star or a
    marker changes, and what the filter line is told."""

    # The line when the filter keeps none of the items: {label} the filter's, {key} its key,
    # {found} how many items there are.
    NONE_KEPT = "Nothing here is {label}: press {key} to change the filter."

    def __init__(self, bookmarks: Bookmarks, whats_new: WhatsNew, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.bookmarks = bookmarks
        self.whats_new = whats_new
        self.marks = bookmarks.marks  # as the rows show them
        self.news = whats_new.news
        self.status_filter = EVERYTHING

    # --- what a list says about its items ------------------------------------------------------------

    def items(self) -> Collection[T]:
        """Every item of the list, whatever the filter keeps."""
        raise NotImplementedError

    def status(self, item: T) -> str:
        """The status the filter goes by."""
        raise NotImplementedError

    def key(self, item: T) -> Target:
        """What `b` bookmarks."""
        raise NotImplementedError

    def prompt(self, item: T) -> Content:
        """How an item's row reads, its star and marker as they are now."""
        raise NotImplementedError

    def rows(self, kept: list[T]) -> list[Row[T]]:
        """The rows of what the filter keeps (a long list: as far as it builds them at first)."""
        return [Row(item, self.prompt(item)) for item in kept]

    def keeps(self, item: T) -> bool:
        return self.status_filter.keeps(self.status(item))

    def is_marked(self, item: T) -> bool:
        return self.key(item) in self.marks

    def news_of(self, item: T) -> str | None:
        """ "new" or "changed" since the last visit (never a source passage)."""
        kind, item_id = self.key(item)
        return self.news.of(item_id) if kind != "source" else None

    def empty_line(self) -> str:
        """The line of a list with no items at all (none, when empty)."""
        return ""

    # --- what it is on ------------------------------------------------------------------------------

    def bookmark_key(self) -> Target | None:
        item = self.current_item
        return self.key(item) if item is not None else None

    # --- drawing --------------------------------------------------------------------------------------

    def draw(self) -> None:
        """The rows again, of what the filter keeps (else a line that says why there is none), and
        the filter line told what the filter hides."""
        items = self.items()
        kept = [item for item in items if self.keeps(item)]
        if rows := self.rows(kept):
            at = self.place(kept)  # (read from the rows still shown)
            self.set_options(rows)
            self.move_to(at)
        else:
            self.set_options(self.no_rows(items))
        if self.status_filter != EVERYTHING:
            self.post_filtered()

    def place(self, kept: list[T]) -> int:
        """Where the highlight goes once the rows are drawn again: on the item it was on, if the
        filter keeps it; else on the first."""
        current = self.current_item
        if current is None:
            return 0
        key = self.key(current)
        return next((index for index, item in enumerate(kept) if self.key(item) == key), 0)

    def move_to(self, index: int) -> None:
        """Highlight a row of what the filter keeps (a list that builds its rows: built first)."""
        self.highlighted = index

    def no_rows(self, items: Collection[T]) -> list[Option]:
        """In place of rows: what the filter hides and how to change it, or the empty list's line."""
        if items:
            label, key = self.status_filter.label, key_of(self, "filter", "f")
            line = self.NONE_KEPT.format(label=label, key=key, found=len(items))
        else:
            line = self.empty_line()
        return [Option(literal(line, "$text-muted"), disabled=True)] if line else []

    def mark(self, marks: Marks) -> None:
        """Show a star on the bookmarked items (only the rows that change are drawn again)."""
        changed = marks ^ self.marks
        self.marks = marks
        self.redraw(self.items_with(changed))

    def items_with(self, keys: Collection[Target]) -> list[T]:
        """The items these keys bookmark (a walk through them all: a long list finds them faster)."""
        return [item for item in self.items() if self.key(item) in keys] if keys else []

    def row_index(self, item: T) -> int | None:
        """Where an item's row is, if it has one (a walk through the rows: a long list finds it faster)."""
        return next((n for n, row in enumerate(self.options) if isinstance(row, Row) and row.item is item), None)

    def redraw(self, items: list[T]) -> None:
        """Draw again the rows of items whose star or marker changed; a filter that is on is told,
        as what it hides may now be bookmarked, or no longer new."""
        for item in items:
            if (index := self.row_index(item)) is not None:
                self.replace_option_prompt_at_index(index, self.prompt(item))
        if items and self.status_filter != EVERYTHING:
            self.post_filtered()

    # --- the status filter ----------------------------------------------------------------------------

    def filter_counts(self) -> list[tuple[StatusFilter, int]]:
        return counts(self.status(item) for item in self.items())

    def set_filter(self, status_filter: StatusFilter) -> None:
        """Show only the items a filter keeps."""
        self.status_filter = status_filter
        self.draw()
        if status_filter == EVERYTHING:
            self.post_filtered()  # (a filter that is on was told by draw)

    def post_filtered(self) -> None:
        hidden = [item for item in self.items() if not self.keeps(item)]
        new = sum(1 for item in hidden if self.news_of(item))
        marked = sum(1 for item in hidden if self.is_marked(item))
        self.post_message(Filtered(self, self.status_filter, len(hidden), new, marked))
