"""The Bookmarks tab: every bookmark with its kind, title, status, date added and note."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets.option_list import Option

from aoad_tui.model.bookmarks import Bookmark
from aoad_tui.model.entries import Entry, KnowledgeBase
from aoad_tui.model.resolve import Resolved, resolve
from aoad_tui.widgets.render import literal, status_badge
from aoad_tui.widgets.row_list import RowList

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
        Binding("j", "cursor_down", "Down", show=False, id="bookmarks.down"),
        Binding("k", "cursor_up", "Up", show=False, id="bookmarks.up"),
        Binding("h", "app.previous_tab", "Previous tab", show=False, id="bookmarks.previous_tab"),
        Binding("l", "app.next_tab", "Next tab", show=False, id="bookmarks.next_tab"),
        Binding("d,delete", "app.remove_bookmark", "Remove", id="bookmarks.remove"),
        Binding("u", "app.undo_remove", "Undo remove", show=False, id="bookmarks.undo"),
        Binding("n", "app.edit_note", "Note", id="bookmarks.note"),
    ]

    def __init__(self, knowledge: KnowledgeBase, bookmarks: list[Bookmark], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.knowledge = knowledge
        self.rows: list[Resolved] = []
        self.initial = bookmarks

    def on_mount(self) -> None:
        self.show(self.initial)

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
