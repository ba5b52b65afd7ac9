"""The bookmarks as the UI sees them: one store, one set of marks every list shows, and one way to
change them that tells the user what happened.

Lists subscribe to `changed` when they mount (a pane mounted later reads the marks then), so no
one pushes marks by hand. Every change goes through `change`, which turns a refusal of the store
into one notice, says what was done only if it was saved, and passes on what the store has to say.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.app import App
from textual.dom import DOMNode
from textual.signal import Signal

from aoad_tui.model.bookmarks import BookmarkRefused, BookmarkStore
from aoad_tui.model.inert import inert_line
from aoad_tui.widgets.targets import Target

T = TypeVar("T")
Marks = frozenset[Target]


class Bookmarks:
    def __init__(self, app: App[None], store: BookmarkStore) -> None:
        self.app = app
        self.store = store
        self.changed: Signal[Marks] = Signal(app, "bookmarks-changed")

    @property
    def marks(self) -> Marks:
        """The (kind, id) of every bookmark."""
        return frozenset(bookmark.key for bookmark in self.store.bookmarks)

    def follow(self, node: DOMNode, show: Callable[[Marks], object]) -> None:
        """Show the marks now, and again whenever they change (for as long as `node` is mounted)."""
        self.changed.subscribe(node, show)
        show(self.marks)

    def change(
        self, change: Callable[[BookmarkStore], T], done: Callable[[T], str] | str = "", *, timeout: float = 3
    ) -> T | None:
        """Change the bookmarks; say `done` (for `timeout` seconds) if the change was saved, else
        what the store says."""
        try:
            result = change(self.store)
        except BookmarkRefused as error:
            self.app.notify(inert_line(str(error)), title="Bookmarks", severity="error", markup=False)
            return None
        said = done(result) if callable(done) else done
        if said and not self.store.unsaved:
            self.app.notify(said, timeout=timeout, markup=False)
        self.report()
        self.changed.publish(self.marks)
        return result

    def save_then(self, leave: Callable[[], object]) -> None:
        """`leave` (quit), once every change is saved; else say so first (UnsavedScreen): try again,
        leave anyway, or stay."""
        from aoad_tui.screens.unsaved import UnsavedScreen

        if not self.store.unsaved or self.store.save() or isinstance(self.app.screen, UnsavedScreen):
            leave()
            return

        def chosen(choice: str | None) -> None:
            if choice == "quit":
                leave()
            elif choice == "retry":
                self.app.call_later(self.save_then, leave)

        reason = inert_line(" ".join(self.store.take_messages()))
        self.app.push_screen(UnsavedScreen(len(self.store.unsaved), reason), chosen)

    def refresh(self) -> None:
        """Show another instance's changes, if the file changed since this one read or wrote it."""
        if self.store.refresh():
            self.changed.publish(self.marks)
        self.report()

    def report(self) -> None:
        """Tell the user what the store has to say (a file moved aside, a save that failed)."""
        for message in self.store.take_messages():
            self.app.notify(inert_line(message), title="Bookmarks", severity="warning", timeout=10, markup=False)
