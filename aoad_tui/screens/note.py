"""A small dialog to write a bookmark's note."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from aoad_tui.model.bookmarks import MAX_NOTE
from aoad_tui.widgets.render import literal


class NoteScreen(ModalScreen[str | None]):
    """Enter saves the note, escape leaves it as it was."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="note.cancel")]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.title_text = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(literal(f"Note for: {self.title_text[:120]}"))
            yield Input(
                self.note, placeholder="a short note (enter saves, esc cancels)", max_length=MAX_NOTE, id="note"
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
