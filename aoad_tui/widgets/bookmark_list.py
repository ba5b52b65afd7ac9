"""The Bookmarks tab: every bookmark with its kind, title, status, date added and note."""

from __future__ import annotations

import time
from datetime import datetime

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList

from aoad_tui.bookmarking import Bookmarks
from aoad_tui.keys import MOVE, WALK_TABS, key_of
from aoad_tui.model.bookmarks import Bookmark
from aoad_tui.model.entries import Entry, KnowledgeBase
from aoad_tui.model.freshness import added_in_words
from aoad_tui.model.inert import inert_line
from aoad_tui.model.resolve import Resolved, resolve
from aoad_tui.model.visits import News
from aoad_tui.whats_new import WhatsNew
from aoad_tui.widgets.render import literal, row_marks, status_badge
from aoad_tui.widgets.row_list import FilteredList
from aoad_tui.widgets.targets import Target

UNDO_SECONDS = 8  # as long as the notice that offers it
REFRESH_SECONDS = 1.0  # how often the shown tab looks for another instance's changes (one stat)
EMPTY_HINT = "No bookmarks yet. Press {key} on any entry, search result or source paragraph to keep it here."


def bookmark_row(resolved: Resolved, news: str | None = None) -> Content:
    bookmark = resolved.bookmark
    status = (
        Content.styled(f"[{resolved.status}]", "bold $error") if resolved.missing else status_badge(resolved.status)
    )
    head = Content.assemble(
        row_marks(news=news),
        (f"{bookmark.kind:<7}", "$text-muted"),
        literal(resolved.title[:200], "bold"),
        *(("  ", status) if resolved.status else ()),
    )
    # In the reader's own time, to the minute: "today 10:51", then a date (stored as UTC, to the second).
    added = (
        f"added {added_in_words(bookmark.added, datetime.now().astimezone())}" if bookmark.added else "added: unknown"
    )
    tail = Content.assemble("       ", literal(added, "$text-muted"))
    if bookmark.note:
        tail = Content.assemble(tail, "  ", literal(f"note: {bookmark.note}", "italic"))
    return Content.assemble(head, "\n", tail)


def status_of(row: Resolved) -> str:
    """The status a filter goes by: the entry's own (a quote's "on record" is "confirmed")."""
    return row.entry.status if row.entry is not None else row.status


class BookmarkList(FilteredList[Resolved]):
    """Bookmarks in the order they were added; enter opens, d removes, u undoes, n edits a note."""

    BINDINGS = [
        *MOVE,
        *WALK_TABS,
        Binding("d,delete", "remove", "Remove", id="bookmarks.remove"),
        Binding("u", "undo", "Undo remove", show=False, id="bookmarks.undo"),
        Binding("n", "note", "Note", id="bookmarks.note"),
    ]
    NONE_KEPT = "No bookmark here is {label}: press {key} to change the filter."

    class Opened(Message):
        """Enter on a bookmark: show what it points at."""

        def __init__(self, row: Resolved) -> None:
            super().__init__()
            self.row = row

    def __init__(
        self, knowledge: KnowledgeBase, bookmarks: Bookmarks, whats_new: WhatsNew, *, id: str | None = None
    ) -> None:
        super().__init__(bookmarks, whats_new, id=id)
        self.knowledge = knowledge
        self.bookmarked: list[Resolved] = []  # every bookmark, as it resolves now
        # For `u`, while its notice shows: the bookmark, where it was, when it was removed.
        self.last_removed: tuple[Bookmark, int, float] | None = None

    def on_mount(self) -> None:
        self.news = self.whats_new.news  # (it may have changed since the list was made)
        self.bookmarks.follow(self, lambda _marks: self.show(self.bookmarks.store.bookmarks))
        self.whats_new.changed.subscribe(self, self.show_news)
        # Another instance's changes, while this tab is shown: a timer, not a busy loop.
        self.looking = self.set_interval(REFRESH_SECONDS, self.bookmarks.refresh, pause=True)

    def on_show(self) -> None:
        self.bookmarks.refresh()
        self.looking.resume()

    def on_hide(self) -> None:
        self.looking.pause()

    def show(self, bookmarks: list[Bookmark]) -> None:
        self.bookmarked = [resolve(self.knowledge, b) for b in bookmarks]
        self.draw()

    def show_news(self, news: News) -> None:
        self.news = news
        self.draw()

    def items(self) -> list[Resolved]:
        return self.bookmarked

    def status(self, item: Resolved) -> str:
        return status_of(item)

    def key(self, item: Resolved) -> Target:
        return item.bookmark.key

    def prompt(self, item: Resolved) -> Content:
        return bookmark_row(item, self.news_of(item))

    def is_marked(self, item: Resolved) -> bool:
        return False  # every row is a bookmark: the filter line need not count them

    def empty_line(self) -> str:
        return EMPTY_HINT.format(key=key_of(self, "bookmark", "b"))

    def place(self, kept: list[Resolved]) -> int:
        """The same place: after a removal, the bookmark that came after it; after an undo, the
        bookmark put back."""
        return min(self.highlighted or 0, len(kept) - 1)

    @property
    def current_entry(self) -> Entry | None:
        row = self.current_item
        return row.entry if row else None

    @on(OptionList.OptionSelected)
    def open_row(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if (row := self.current_item) is not None:
            self.post_message(self.Opened(row))

    def action_remove(self) -> None:
        row = self.current_item
        if row is None:
            return
        title, undo = inert_line(row.title[:60]), key_of(self, "bookmarks.undo", "u")
        removed = self.bookmarks.change(
            lambda store: store.remove(*row.bookmark.key),
            lambda removed: f"Removed “{title}”. Press {undo} to undo." if removed else "",
            timeout=UNDO_SECONDS,  # u works for as long as this says so
        )
        if removed is not None:
            self.last_removed = (*removed, time.monotonic())

    def action_undo(self) -> None:
        if self.last_removed is None or time.monotonic() - self.last_removed[2] > UNDO_SECONDS:
            self.notify("Nothing to undo.", timeout=2, markup=False)
            return
        bookmark, where, _ = self.last_removed
        self.last_removed = None
        self.bookmarks.change(lambda store: store.add(bookmark, where), "Bookmark restored.")

    def action_note(self) -> None:
        from aoad_tui.screens.note import NoteScreen

        row = self.current_item
        if row is None:
            return
        key = row.bookmark.key

        def save_note(note: str | None) -> None:
            if note is not None:
                self.bookmarks.change(lambda store: store.set_note(*key, note))

        self.app.push_screen(NoteScreen(row.title, row.bookmark.note), save_note)
