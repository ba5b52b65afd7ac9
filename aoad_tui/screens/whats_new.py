"""What's new: every entry new or changed since the last visit, and how (enter opens one), and
every entry removed since."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from aoad_tui.keys import MOVE
from aoad_tui.model.entries import Entry, KnowledgeBase
from aoad_tui.model.visits import Change, Gone, News
from aoad_tui.screens.fitted import FittedScreen
from aoad_tui.whats_new import WhatsNew
from aoad_tui.widgets.key_bar import KeyBar
from aoad_tui.widgets.render import literal, row_marks, status_badge
from aoad_tui.widgets.row_list import Row, RowList


def change_row(change: Change) -> Content:
    """Marker, kind, title and status; then what changed, a line each."""
    entry = change.entry
    head = Content.assemble(
        row_marks(news=change.what),
        (f"{entry.kind:<7}", "$text-muted"),
        literal(" ".join(entry.title.split())[:200], "bold"),
        "  ",
        status_badge(entry.status_word),
    )
    details = [literal(f"        {detail}", "$text-muted") for detail in change.details if detail != "new"]
    return Content("\n").join([head, *details])


def gone_row(gone: Gone) -> Content:
    """An entry the sources no longer have: its kind and id (all seen.json keeps of it)."""
    gone_from = ("  no longer in the sources", "$text-muted")
    return Content.assemble(row_marks(news="removed"), (f"{gone.kind:<7}", "$text-muted"), literal(gone.id), gone_from)


def heading(news: News) -> str:
    if news.line:
        return news.line
    if news.since is None:
        return "Your first visit: from the next one, what is new or changed since will be marked."
    return f"Nothing new since your last visit on {news.since.isoformat()}."


class ChangeList(RowList[Change]):
    """A row for each change, which it carries; then a line for each entry removed."""

    BINDINGS = [*MOVE]


class WhatsNewScreen(FittedScreen[Entry | None]):
    """Dismissed with the entry to open (enter), or None (escape)."""

    BINDINGS = [
        Binding("a", "all_seen", "Mark all seen", id="news.seen"),
        Binding("escape,w", "dismiss(None)", "Back", id="news.close"),
    ]

    def __init__(self, knowledge: KnowledgeBase, whats_new: WhatsNew) -> None:
        super().__init__()
        self.knowledge = knowledge
        self.whats_new = whats_new

    def compose(self) -> ComposeResult:
        with Vertical(id="news-box"):
            yield Static(Content.styled("What's new", "bold underline"), id="news-title")
            yield Static(id="news-heading")
            yield ChangeList(id="changes")
        yield KeyBar()

    def on_mount(self) -> None:
        self.whats_new.follow(self, self.show_news)
        self.query_one(ChangeList).focus()

    def show_news(self, news: News) -> None:
        self.query_one("#news-heading", Static).update(Content.styled(heading(news), "bold $accent"))
        changes = self.query_one(ChangeList)
        # What was removed cannot be opened: listed after the rest, not to be highlighted.
        rows = [Row(change, change_row(change)) for change in news.changes]
        changes.set_options([*rows, *(Option(gone_row(gone), disabled=True) for gone in news.removed)])
        if news.changes:
            changes.highlighted = 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "all_seen":  # dimmed in the key bar when there is nothing to mark
            return True if self.whats_new.news.changes or self.whats_new.news.removed else None
        return True

    def action_all_seen(self) -> None:
        self.whats_new.mark_all_seen()
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#changes")
    def open_change(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if (change := self.query_one(ChangeList).current_item) is not None:
            self.dismiss(change.entry)
