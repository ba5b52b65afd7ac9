"""The Bookmarks tab: every bookmark with its kind, title, status, date added and note."""

from __future__ import annotations

import time

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from aoad_tui.keys import MOVE, WALK_TABS
from aoad_tui.marks import Bookmarks
from aoad_tui.model.bookmarks import Bookmark
from aoad_tui.model.entries import Entry, KnowledgeBase
from aoad_tui.model.inert import inert_line
from aoad_tui.model.resolve import Resolved, resolve
from aoad_tui.widgets.render import literal, status_badge
from aoad_tui.widgets.row_list import RowList
from aoad_tui.widgets.targets import Key

UNDO_SECONDS = 8  # as long as the notice that offers it
EMPTY_HINT = "No bookmarks yet. Press b on any entry, search result or source passage to keep it here."


def bookmark_row(resolved: Resolved) -> Content:
    bookmark = resolved.bookmark
    status = (
        Content.styled(f"[{resolved.status}]", "bold $error") if resolved.missing else status_badge(resolved.status)
    )
    head = Content.assemble(
        (f"{bookmark.kind:<7}", "$text-muted"),
        literal(resolved.title[:200], "bold"),
        *(("  ", status) if resolved.status else ()),
    )
    added = f"added {bookmark.added.replace('T', ' ').removesuffix('Z')} UTC" if bookmark.added else "added: unknown"
    tail = Content.assemble("       ", literal(added, "$text-muted"))
    if bookmark.note:
        tail = Content.assemble(tail, "  ", literal(f"note: {bookmark.note}", "italic"))
    return Content.assemble(head, "\n", tail)


class BookmarkList(RowList):
    """Bookmarks in the order they were added; enter opens, d removes, u undoes, n edits a note."""

    BINDINGS = [
        *MOVE,
        *WALK_TABS,
        Binding("d,delete", "remove", "Remove", id="bookmarks.remove"),
        Binding("u", "undo", "Undo remove", show=False, id="bookmarks.undo"),
        Binding("n", "note", "Note", id="bookmarks.note"),
    ]

    class Opened(Message):
        """Enter on a bookmark: show what it points at."""

        def __init__(self, row: Resolved) -> None:
            super().__init__()
            self.row = row

    def __init__(self, knowledge: KnowledgeBase, bookmarks: Bookmarks, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.knowledge = knowledge
        self.bookmarks = bookmarks
        self.rows: list[Resolved] = []
        self.last_removed: tuple[Bookmark, float] | None = None  # for `u`, while its notice shows

    def on_mount(self) -> None:
        self.bookmarks.follow(self, lambda _marks: self.show(self.bookmarks.store.bookmarks))

    def show(self, bookmarks: list[Bookmark]) -> None:
        keep = self.highlighted
        self.rows = [resolve(self.knowledge, b) for b in bookmarks]
        if self.rows:
            self.set_options(Option(bookmark_row(row)) for row in self.rows)
            self.highlighted = min(keep or 0, len(self.rows) - 1)
        else:
            self.set_options([Option(Content.styled(EMPTY_HINT, "$text-muted"), disabled=True)])

    @property
    def current_row(self) -> Resolved | None:
        if self.highlighted is None or not 0 <= self.highlighted < len(self.rows):
            return None
        return self.rows[self.highlighted]

    @property
    def current_entry(self) -> Entry | None:
        row = self.current_row
        return row.entry if row else None

    def bookmark_key(self) -> Key | None:
        row = self.current_row
        return row.bookmark.key if row else None

    @on(OptionList.OptionSelected)
    def open_row(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if (row := self.current_row) is not None:
            self.post_message(self.Opened(row))

    def action_remove(self) -> None:
        row = self.current_row
        if row is None:
            return
        title = inert_line(row.title[:60])
        removed = self.bookmarks.change(
            lambda store: store.remove(*row.bookmark.key),
            lambda removed: f"Removed “{title}”. Press u to undo." if removed else "",
            timeout=UNDO_SECONDS,  # u works for as long as this says so
        )
        if removed is not None:
            self.last_removed = (removed, time.monotonic())

    def action_undo(self) -> None:
        if self.last_removed is None or time.monotonic() - self.last_removed[1] > UNDO_SECONDS:
            self.notify("Nothing to undo.", timeout=2, markup=False)
            return
        bookmark, _ = self.last_removed
        self.last_removed = None
        self.bookmarks.change(lambda store: store.add(bookmark), "Bookmark restored.")

    def action_note(self) -> None:
        from aoad_tui.screens.note import NoteScreen

        row = self.current_row
        if row is None:
            return
        key = row.bookmark.key

        def save_note(note: str | None) -> None:
            if note is not None:
                self.bookmarks.change(lambda store: store.set_note(*key, note))

        self.app.push_screen(NoteScreen(row.title, row.bookmark.note), save_note)
