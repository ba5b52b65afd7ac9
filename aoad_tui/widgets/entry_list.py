"""A keyboard-first list of entries, with an optional preview beside it on wide screens."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from aoad_tui.keys import MOVE, WALK_TABS
from aoad_tui.marks import Bookmarks, Marks
from aoad_tui.model.entries import Entry, KnowledgeBase
from aoad_tui.widgets.render import entry_detail, entry_row
from aoad_tui.widgets.row_list import RowList
from aoad_tui.widgets.targets import Key


class EntryList(RowList):
    """Entries as rows, a star on the bookmarked ones; enter opens one. Vim keys move, h and l
    change tab."""

    BINDINGS = [*MOVE, *WALK_TABS]

    class Opened(Message):
        """Enter on an entry: show everything known about it."""

        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(
        self, knowledge: KnowledgeBase, entries: Iterable[Entry], bookmarks: Bookmarks, *, id: str | None = None
    ) -> None:
        self.knowledge = knowledge
        self.bookmarks = bookmarks
        self.entries = {entry.id: entry for entry in entries}
        self.marked = {e.id for e in self.entries.values() if (e.kind, e.id) in bookmarks.marks}
        rows = (Option(entry_row(knowledge, e, marked=e.id in self.marked), id=e.id) for e in self.entries.values())
        super().__init__(*rows, id=id)

    def on_mount(self) -> None:
        self.bookmarks.follow(self, self.mark)

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
        for entry in self.entries.values():
            is_marked = (entry.kind, entry.id) in marks
            if is_marked != (entry.id in self.marked):
                self.marked.symmetric_difference_update({entry.id})
                self.replace_option_prompt(entry.id, entry_row(self.knowledge, entry, marked=is_marked))

    def highlight_entry(self, entry_id: str) -> bool:
        """Move the highlight to an entry; False if it is not in this list."""
        if entry_id not in self.entries:
            return False
        self.highlighted = self.get_option_index(entry_id)
        return True


class EntryBrowser(Horizontal):
    """An EntryList, and at 120 columns or more the highlighted entry's detail beside it."""

    def __init__(
        self, knowledge: KnowledgeBase, entries: Iterable[Entry], bookmarks: Bookmarks, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.knowledge = knowledge
        self.entry_list = EntryList(knowledge, entries, bookmarks)
        self.shown_entry: Entry | None = None

    def compose(self) -> ComposeResult:
        yield self.entry_list
        with VerticalScroll(classes="preview"):
            yield Static(classes="preview-text")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_preview()

    def on_resize(self) -> None:
        self.show_preview()

    def show_preview(self) -> None:
        # The preview shows only on wide screens; a hidden one is not worth a frame per move.
        entry = self.entry_list.current_entry
        if entry is not None and self.query_one(".preview", VerticalScroll).display:
            if entry is not self.shown_entry:
                self.query_one(".preview-text", Static).update(entry_detail(self.knowledge, entry))
                self.shown_entry = entry
        else:
            self.shown_entry = None
