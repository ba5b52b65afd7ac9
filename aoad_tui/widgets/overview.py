"""The Overview tab: what the show is, season 2 at a glance, the timeline and other facts."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from aoad_tui.bookmarking import Bookmarks
from aoad_tui.keys import key_of
from aoad_tui.model.entries import Entry, KnowledgeBase, overview_order
from aoad_tui.model.freshness import freshness_line
from aoad_tui.model.visits import News
from aoad_tui.whats_new import WhatsNew
from aoad_tui.widgets.entry_list import EntryList
from aoad_tui.widgets.render import literal


def summary(knowledge: KnowledgeBase, today: date, news: News, news_key: str = "w") -> Content:
    """The show, its season 2 status at a glance, how fresh the sources are, and what is new since
    the last visit."""
    lines: list[Content] = []
    # The season line first: on a small screen (40x12) the summary is cut, and it is what a fan
    # came for.
    glance = [literal(fact.glance) for fact in knowledge.first_facts if fact.glance]  # (every one with a glance)
    if glance:
        lines.append(Content.assemble(Content.styled("Season 2: ", "bold"), Content(" · ").join(glance)))
    show = knowledge.show
    if show is not None:
        lines.append(Content.assemble(literal(show.name, "bold"), "  ", literal(" ".join(show.summary.split()))))
    newest = knowledge.newest_source()
    if newest is not None:
        line, stale = freshness_line(newest, today)
        lines.append(Content.styled(f"Sources {line}", "bold $warning" if stale else "$text-muted"))
    if news.line:
        lines.append(Content.styled(f"{news.line} · {news_key} shows what", "bold $accent"))
    return Content("\n").join(lines)


class Overview(Vertical):
    """The summary on top, then every fact (the timeline first) as a list to open, copy or cite."""

    def __init__(self, knowledge: KnowledgeBase, today: date, bookmarks: Bookmarks, whats_new: WhatsNew) -> None:
        super().__init__(id="overview-pane")
        self.knowledge = knowledge
        self.today = today
        self.bookmarks = bookmarks
        self.whats_new = whats_new
        self.news = whats_new.news

    def compose(self) -> ComposeResult:
        yield Static(self.summary(), id="summary")
        # Until the knowledge is complete (a warm start), only the first facts are there: the
        # list reads every one when it needs more than its first rows.
        whole = None if self.knowledge.complete else self.rows
        yield EntryList(self.knowledge, self.rows(partly=True), self.bookmarks, self.whats_new, whole=whole, id="facts")

    def rows(self, partly: bool = False) -> list[Entry]:
        """The show, then the facts in the Overview's order (only the first, `partly`)."""
        head: list[Entry] = [self.knowledge.show] if self.knowledge.show else []
        return [*head, *overview_order(self.knowledge.first_facts if partly else self.knowledge.facts)]

    def on_mount(self) -> None:
        self.whats_new.follow(self, self.show_news)

    def show_news(self, news: News) -> None:
        if news != self.news:  # (the summary was drawn with it at first)
            self.news = news
            self.query_one("#summary", Static).update(self.summary())

    def summary(self) -> Content:
        return summary(self.knowledge, self.today, self.news, key_of(self, "news", "w"))
