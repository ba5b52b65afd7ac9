"""Asked on quit when bookmark changes could not be saved: try again, quit anyway, or stay."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from aoad_tui.widgets.render import literal


class UnsavedScreen(ModalScreen[str | None]):
    """Dismissed with "retry", "quit", or None (stay)."""

    BINDINGS = [
        Binding("r", "choose('retry')", "Try again", id="unsaved.retry"),
        Binding("q,ctrl+q,ctrl+c", "choose('quit')", "Quit anyway", priority=True, id="unsaved.quit"),
        Binding("escape", "choose(None)", "Stay", id="unsaved.stay"),
    ]

    def __init__(self, changes: int, reason: str) -> None:
        super().__init__()
        self.changes = changes
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="unsaved-box"):
            yield Static(literal(f"{self.changes} change(s) to your bookmarks could not be saved."), classes="title")
            yield Static(literal(self.reason))
            yield Static("r try again · q quit anyway (the changes are lost) · esc stay")

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)
