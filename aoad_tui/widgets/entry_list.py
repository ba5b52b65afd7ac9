"""A keyboard-first list of entries, with an optional preview beside it on wide screens."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList

from aoad_tui.bookmarking import Bookmarks
from aoad_tui.keys import MOVE, WALK_TABS
from aoad_tui.model.entries import Entry, KnowledgeBase
from aoad_tui.model.filters import EVERYTHING
from aoad_tui.model.visits import News
from aoad_tui.whats_new import WhatsNew
from aoad_tui.widgets.hanging import HangingText
from aoad_tui.widgets.render import entry_detail_lines, entry_row
from aoad_tui.widgets.row_list import FilteredList, Row
from aoad_tui.widgets.targets import Target

# Rows are built (an Option, its Content, its measured height) WINDOW at a time: at first, and
# again when the highlight or the view comes within MARGIN rows of the last one built. A list of
# 100,000 entries costs what the screen shows, not what the data holds.
WINDOW = 200
MARGIN = 50


class EntryList(FilteredList[Entry]):
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
        super().__init__(bookmarks, whats_new, id=id)
        self.knowledge = knowledge
        self.entries = {entry.id: entry for entry in entries}
        # Given only the first entries (at least WINDOW, in their place): how to get them all,
        # called the first time the list needs more than its first rows.
        self.whole = whole
        self.shown: list[Entry] = []  # what the filter keeps, in order
        self.positions: dict[str, int] = {}  # where each of them is in `shown`
        self.built = 0  # how many of `shown` have a row yet
        self.add_options(self.rows(list(self.entries.values())))  # no filter yet: every entry
        self.action_first()

    def items(self) -> Collection[Entry]:
        self.take_whole()
        return self.entries.values()

    def status(self, item: Entry) -> str:
        return item.status

    def key(self, item: Entry) -> Target:
        return (item.kind, item.id)

    def prompt(self, item: Entry) -> Content:
        return entry_row(self.knowledge, item, marked=self.is_marked(item), news=self.news.of(item.id))

    def rows(self, kept: list[Entry]) -> list[Row[Entry]]:
        """The rows of what the filter keeps, as far as the first WINDOW (the rest: build_to)."""
        self.shown = kept
        self.positions = {entry.id: index for index, entry in enumerate(kept)}
        self.built = min(WINDOW, len(kept))
        return [Row(entry, self.prompt(entry), id=entry.id) for entry in kept[: self.built]]

    def take_whole(self) -> None:
        """Every entry of the list, if it was given only its first: the rows built stay, being the
        same entries in the same places."""
        if self.whole is None:
            return
        whole, self.whole = self.whole, None
        self.entries = {entry.id: entry for entry in whole()}
        self.shown = [e for e in self.entries.values() if self.status_filter.keeps(e.status)]
        self.positions = {entry.id: index for index, entry in enumerate(self.shown)}

    def build_to(self, index: int) -> None:
        """Rows up to `index`, and a WINDOW more beyond it (no further than the list goes). None
        while the rows are being replaced: set_options clears them and resets the scroll (whose
        watcher comes here) before it adds the new ones, which `built` already counts."""
        if index < self.built - MARGIN or self.option_count != self.built:
            return
        self.take_whole()
        if self.built >= len(self.shown):
            return
        end = min(len(self.shown), max(index + 1, self.built) + WINDOW)
        self.add_options([Row(entry, self.prompt(entry), id=entry.id) for entry in self.shown[self.built : end]])
        self.built = end

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

    def move_to(self, index: int) -> None:
        self.build_to(index)
        self.highlighted = index

    def action_last(self) -> None:
        self.take_whole()
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
        return self.current_item

    @on(OptionList.OptionSelected)
    def open_entry(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if (entry := self.current_item) is not None:
            self.post_message(self.Opened(entry))

    # --- stars and markers, found by id (not a walk through every entry) ---------------------------

    def items_with(self, keys: Collection[Target]) -> list[Entry]:
        return [
            entry for kind, entry_id in keys if (entry := self.entries.get(entry_id)) is not None and entry.kind == kind
        ]

    def row_index(self, item: Entry) -> int | None:
        index = self.positions.get(item.id, self.built)
        return index if index < self.built else None

    def show_news(self, news: News) -> None:
        """Show the new and changed markers (none once everything is marked as seen)."""
        ids = news.by_id.keys() | self.news.by_id.keys()
        changed = [self.entries[i] for i in ids if i in self.entries and news.of(i) != self.news.of(i)]
        self.news = news
        self.redraw(changed)

    def highlight_entry(self, entry_id: str) -> bool:
        """Move the highlight to an entry; False if it is not in this list. An entry the filter
        hides is shown again: the filter goes back to all."""
        self.take_whole()
        if entry_id not in self.entries:
            return False
        if entry_id not in self.positions:
            self.set_filter(EVERYTHING)
        self.move_to(self.positions[entry_id])
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
