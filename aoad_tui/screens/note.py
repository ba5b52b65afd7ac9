"""A small dialog to write a bookmark's note."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from aoad_tui.model.bookmarks import MAX_NOTE, one_line
from aoad_tui.model.inert import inert_line
from aoad_tui.widgets.render import literal


class NoteInput(Input):
    """The note's one line. A paste of several lines is kept whole, its line breaks as spaces
    (Input keeps only the first line), and one that would go past MAX_NOTE is cut there and said
    so (Input would drop it whole)."""

    def on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # instead of Input's own paste
        event.stop()
        text = inert_line(one_line(event.text))
        start, end = sorted(self.selection)
        room = MAX_NOTE - (len(self.value) - (end - start))
        if len(text) > room:
            text = text[: max(room, 0)]
            self.notify(f"A note keeps at most {MAX_NOTE} characters: the paste was cut there.", severity="warning")
        self.replace(text, start, end)


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
            # The note is data: control characters in a hand-edited file are shown as stand-ins.
            yield NoteInput(
                inert_line(self.note),
                placeholder="a short note (enter saves, esc cancels)",
                max_length=MAX_NOTE,
                id="note",
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
