"""A keyboard-first list of entries, with an optional preview beside it on wide screens."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from aoad_tui.keys import MOVE, WALK_TABS, key_of
from aoad_tui.marks import Bookmarks, Marks
from aoad_tui.model.entries import Entry, KnowledgeBase
from aoad_tui.model.filters import EVERYTHING, StatusFilter, counts
from aoad_tui.model.visits import News
from aoad_tui.news import WhatsNew
from aoad_tui.widgets.filter_line import Filtered
from aoad_tui.widgets.hanging import HangingText
from aoad_tui.widgets.render import entry_detail_lines, entry_row
from aoad_tui.widgets.row_list import RowList
from aoad_tui.widgets.targets import Key

# Rows are built (an Option, its Content, its measured height) WINDOW at a time: at first, and
# again when the highlight or the view comes within MARGIN rows of the last one built. A list of
# 100,000 entries costs what the screen shows, not what the data holds.
WINDOW = 200
MARGIN = 50


class EntryList(RowList):
    """Entries as rows, a star on the bookmarked ones and a marker on those new since the last
    visit; narrowed by a status filter; enter opens one. Vim keys move, h and l change tab."""

    BINDINGS = [*MOVE, *WALK_TABS]

    class Opened(Message):
        """Enter on an entry: show everything known about it."""

        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(
        self,
        knowledge: KnowledgeBase,
        entries: Iterable[Entry],
        bookmarks: Bookmarks,
        whats_new: WhatsNew,
        *,
        whole: Callable[[], Iterable[Entry]] | None = None,
        id: str | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.bookmarks = bookmarks
        self.whats_new = whats_new
        self.entries = {entry.id: entry for entry in entries}
        # Given only the first entries (at least WINDOW, in their place): how to get them all,
        # called the first time the list needs more than its first rows.
        self.whole = whole
        self.marks = bookmarks.marks
        self.news = whats_new.news
        self.status_filter = EVERYTHING
        self.shown: list[Entry] = []  # what the filter keeps, in order
        self.positions: dict[str, int] = {}  # where each of them is in `shown`
        self.built = 0  # how many of `shown` have a row (an Option) yet
        super().__init__(*self.first_rows(), id=id)

    def row(self, entry: Entry) -> Content:
        marked = (entry.kind, entry.id) in self.marks
        return entry_row(self.knowledge, entry, marked=marked, news=self.news.of(entry.id))

    def first_rows(self) -> list[Option]:
        """The rows of what the filter keeps, as far as the first WINDOW (the rest: build_to)."""
        self.shown = [e for e in self.entries.values() if self.status_filter.keeps(e.status)]
        self.positions = {entry.id: index for index, entry in enumerate(self.shown)}
        self.built = min(WINDOW, len(self.shown))
        if not self.shown and self.entries:
            key, label = key_of(self, "filter", "f"), self.status_filter.label
            hint = f"Nothing here is {label}: press {key} to change the filter."
            return [Option(Content.styled(hint, "$text-muted"), disabled=True)]
        return [Option(self.row(entry), id=entry.id) for entry in self.shown[: self.built]]

    def complete(self) -> None:
        """Every entry of the list, if it was given only its first: the rows built stay, being the
        same entries in the same places."""
        if self.whole is None:
            return
        whole, self.whole = self.whole, None
        self.entries = {entry.id: entry for entry in whole()}
        self.shown = [e for e in self.entries.values() if self.status_filter.keeps(e.status)]
        self.positions = {entry.id: index for index, entry in enumerate(self.shown)}

    def build_to(self, index: int) -> None:
        """Rows up to `index`, and a WINDOW more beyond it (no further than the list goes)."""
        if index < self.built - MARGIN:
            return
        self.complete()
        if self.built >= len(self.shown):
            return
        end = min(len(self.shown), max(index + 1, self.built) + WINDOW)
        self.add_options([Option(self.row(entry), id=entry.id) for entry in self.shown[self.built : end]])
        self.built = end

    @property
    def shown_ids(self) -> set[str]:
        """The ids of the entries the filter keeps."""
        self.complete()
        return set(self.positions)

    @property
    def marked(self) -> set[str]:
        """The ids of the bookmarked entries of this list."""
        self.complete()
        return {e.id for e in self.entries.values() if (e.kind, e.id) in self.marks}

    def on_mount(self) -> None:
        self.bookmarks.follow(self, self.mark)
        self.whats_new.follow(self, self.show_news)

    # --- rows built as they come near -------------------------------------------------------------

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if highlighted is not None:
            self.build_to(highlighted)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value + 2 * self.size.height >= self.max_scroll_y:
            self.build_to(self.built - 1)

    def action_last(self) -> None:
        self.complete()
        self.build_to(len(self.shown) - 1)
        super().action_last()

    def action_cursor_up(self) -> None:
        # Up from the first row wraps to the last entry, not to the last row built so far.
        if self.highlighted == 0 and self.built < len(self.shown):
            self.action_last()
        else:
            super().action_cursor_up()

    # --- what it is on ----------------------------------------------------------------------------

    @property
    def current_entry(self) -> Entry | None:
        """The highlighted entry, if any."""
        if self.highlighted is None:
            return None
        option_id = self.get_option_at_index(self.highlighted).id
        return self.entries.get(option_id) if option_id else None

    def bookmark_key(self) -> Key | None:
        entry = self.current_entry
        return (entry.kind, entry.id) if entry else None

    @on(OptionList.OptionSelected)
    def open_entry(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if (entry := self.current_entry) is not None:
            self.post_message(self.Opened(entry))

    def mark(self, marks: Marks) -> None:
        """Show a star on the bookmarked entries (only rows that change are redrawn)."""
        changed = [
            entry
            for kind, entry_id in marks ^ self.marks
            if (entry := self.entries.get(entry_id)) is not None and entry.kind == kind
        ]
        self.marks = marks
        self.redraw(changed)

    def show_news(self, news: News) -> None:
        """Show the new and changed markers (none once everything is marked as seen)."""
        ids = news.by_id.keys() | self.news.by_id.keys()
        changed = [self.entries[i] for i in ids if i in self.entries and news.of(i) != self.news.of(i)]
        self.news = news
        self.redraw(changed)

    def redraw(self, entries: list[Entry]) -> None:
        for entry in entries:
            if self.positions.get(entry.id, self.built) < self.built:
                self.replace_option_prompt(entry.id, self.row(entry))
        if entries and self.status_filter != EVERYTHING:
            self.post_filtered()  # what the filter hides may now be bookmarked, or no longer new

    # --- the status filter ------------------------------------------------------------------------

    def filter_counts(self) -> list[tuple[StatusFilter, int]]:
        self.complete()
        return counts(entry.status for entry in self.entries.values())

    def set_filter(self, status_filter: StatusFilter) -> None:
        """Show only the entries a filter keeps; the highlighted one stays highlighted if it is kept."""
        self.complete()
        current = self.current_entry
        self.status_filter = status_filter
        self.set_options(self.first_rows())
        if current is not None and current.id in self.positions:
            self.highlight_entry(current.id)
        elif self.shown:
            self.highlighted = 0
        self.post_filtered()

    def post_filtered(self) -> None:
        self.complete()
        hidden = [e for e in self.entries.values() if e.id not in self.positions]
        new = sum(1 for e in hidden if self.news.of(e.id))
        marked = sum(1 for e in hidden if (e.kind, e.id) in self.marks)
        self.post_message(Filtered(self, self.status_filter, len(hidden), new, marked))

    def highlight_entry(self, entry_id: str) -> bool:
        """Move the highlight to an entry; False if it is not in this list. An entry the filter
        hides is shown again: the filter goes back to all."""
        self.complete()
        if entry_id not in self.entries:
            return False
        if entry_id not in self.positions:
            self.set_filter(EVERYTHING)
        self.build_to(self.positions[entry_id])
        self.highlighted = self.get_option_index(entry_id)
        return True


class EntryBrowser(Horizontal):
    """An EntryList, and at 120 columns or more the highlighted entry's detail beside it."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        entries: Iterable[Entry],
        bookmarks: Bookmarks,
        whats_new: WhatsNew,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.knowledge = knowledge
        self.entry_list = EntryList(knowledge, entries, bookmarks, whats_new)
        self.shown_entry: Entry | None = None

    def compose(self) -> ComposeResult:
        yield self.entry_list
        with VerticalScroll(classes="preview"):
            yield HangingText(classes="preview-text")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_preview()

    def on_resize(self) -> None:
        self.show_preview()

    def show_preview(self) -> None:
        # The preview shows only on wide screens; a hidden one is not worth a frame per move.
        entry = self.entry_list.current_entry
        if entry is not None and self.query_one(".preview", VerticalScroll).display:
            if entry is not self.shown_entry:
                self.query_one(".preview-text", HangingText).show(entry_detail_lines(self.knowledge, entry))
                self.shown_entry = entry
        else:
            self.shown_entry = None
