"""A keyboard-first list of entries, with an optional preview beside it on wide screens."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from aoad_tui.model.entries import Entry, KnowledgeBase
from aoad_tui.widgets.render import entry_detail, entry_row
from aoad_tui.widgets.row_list import RowList


class EntryList(RowList):
    """Entries as rows; enter opens one. Vim keys move, h and l change tab."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("h", "app.previous_tab", "Previous tab", show=False, id="list.previous_tab"),
        Binding("l", "app.next_tab", "Next tab", show=False, id="list.next_tab"),
    ]

    def __init__(
        self,
        knowledge: KnowledgeBase,
        entries: Iterable[Entry],
        marked: Collection[tuple[str, str]] = (),
        *,
        id: str | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.entries = {entry.id: entry for entry in entries}
        self.marked = {e.id for e in self.entries.values() if (e.kind, e.id) in marked}
        rows = (Option(entry_row(knowledge, e, marked=e.id in self.marked), id=e.id) for e in self.entries.values())
        super().__init__(*rows, id=id)

    @property
    def current_entry(self) -> Entry | None:
        """The highlighted entry, if any."""
        if self.highlighted is None:
            return None
        option_id = self.get_option_at_index(self.highlighted).id
        return self.entries.get(option_id) if option_id else None

    def mark(self, marked: set[tuple[str, str]]) -> None:
        """Show a bookmark marker on the marked entries (only changed rows are redrawn)."""
        for entry in self.entries.values():
            is_marked = (entry.kind, entry.id) in marked
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
        self, knowledge: KnowledgeBase, entries: Iterable[Entry], marked: set[tuple[str, str]], *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.knowledge = knowledge
        self.entry_list = EntryList(knowledge, entries, marked)
        self.shown_entry: Entry | None = None

    def compose(self) -> ComposeResult:
        yield self.entry_list
        with VerticalScroll(classes="preview"):
            yield Static(classes="preview-text")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        entry = self.entry_list.current_entry
        preview = self.query_one(".preview", VerticalScroll)
        # The preview shows only on wide screens; a hidden one is not worth a frame per move.
        if entry is not None and preview.display:
            self.query_one(".preview-text", Static).update(entry_detail(self.knowledge, entry))
            self.shown_entry = entry
        else:
            self.shown_entry = None

    def on_resize(self) -> None:
        entry = self.entry_list.current_entry
        if entry is not None and entry is not self.shown_entry and self.query_one(".preview", VerticalScroll).display:
            self.query_one(".preview-text", Static).update(entry_detail(self.knowledge, entry))
            self.shown_entry = entry
