"""A full screen with everything known about one entry."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header

from aoad_tui.model.entries import Entry, KnowledgeBase
from aoad_tui.screens.fitted import FittedScreen
from aoad_tui.widgets.hanging import HangingText
from aoad_tui.widgets.key_bar import KeyBar
from aoad_tui.widgets.render import entry_detail_lines
from aoad_tui.widgets.scroll import KeyScroll
from aoad_tui.widgets.targets import Target


class DetailView(KeyScroll):
    """The scrollable detail; it is what holds focus, so the app's keys act on its entry."""

    def __init__(self, entry: Entry) -> None:
        super().__init__()
        self.entry = entry

    @property
    def current_entry(self) -> Entry | None:
        return self.entry

    def bookmark_key(self) -> Target | None:
        return (self.entry.kind, self.entry.id)


class DetailScreen(FittedScreen[None]):
    """One entry: its text, status, citations, history and (for a person) all that mentions them."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="detail.back"),
        Binding("h", "app.pop_screen", "Back", show=False, id="detail.back_h"),
    ]

    def __init__(self, knowledge: KnowledgeBase, entry: Entry) -> None:
        super().__init__()
        self.knowledge = knowledge
        self.entry = entry

    def compose(self) -> ComposeResult:
        yield Header()
        with DetailView(self.entry):
            yield HangingText(entry_detail_lines(self.knowledge, self.entry), id="detail-text")
        yield KeyBar()
