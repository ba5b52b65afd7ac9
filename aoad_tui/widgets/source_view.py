"""The Source tab: one article, readable, with a cited passage highlighted and scrolled to."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from aoad_tui.keys import WALK_TABS
from aoad_tui.model.entries import Article, KnowledgeBase
from aoad_tui.model.inert import inert_line as safe
from aoad_tui.model.text import paragraph_spans
from aoad_tui.model.vocabulary import passage_id
from aoad_tui.widgets.render import literal
from aoad_tui.widgets.scroll import KeyScroll
from aoad_tui.widgets.targets import Key

HIGHLIGHT = "reverse"


class SourceView(KeyScroll):
    """An article as paragraphs; `[` and `]` change article when there are several."""

    BINDINGS = [
        *WALK_TABS,
        Binding("left_square_bracket", "article(-1)", "Previous article", show=False, id="source.previous_article"),
        Binding("right_square_bracket", "article(1)", "Next article", show=False, id="source.next_article"),
    ]

    def __init__(self, knowledge: KnowledgeBase, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.knowledge = knowledge
        newest_first = sorted(knowledge.articles.values(), key=lambda a: (a.date, a.id), reverse=True)
        self.order = [article.id for article in newest_first]
        self.article: Article | None = newest_first[0] if newest_first else None
        self.highlight: tuple[int, int] | None = None

    def compose(self) -> ComposeResult:
        yield from self.article_widgets()

    def article_widgets(self) -> list[Static]:
        if self.article is None:
            return [Static("No source articles.")]
        article = self.article
        heading = literal(article.title or article.id, "bold")
        where = ", ".join(part for part in (article.outlet, article.date.isoformat(), f"{article.id}.txt") if part)
        widgets = [Static(Content.assemble(heading, "\n", literal(where, "$text-muted")), classes="article-heading")]
        for start, end in paragraph_spans(article.body):
            widgets.append(Static(self.paragraph(start, end), classes="paragraph"))
        return widgets

    def paragraph(self, start: int, end: int) -> Content:
        assert self.article is not None
        raw = self.article.body[start:end]
        content = literal(raw)
        if self.highlight:
            low, high = max(self.highlight[0], start), min(self.highlight[1], end)
            if low < high:
                # Offsets in the shown text: control characters are shown as longer stand-ins.
                content = content.stylize(HIGHLIGHT, len(safe(raw[: low - start])), len(safe(raw[: high - start])))
        return content

    async def show_article(self, article_id: str, highlight: tuple[int, int] | None = None) -> None:
        """Show an article, with an optional highlighted span, and scroll the span into view."""
        self.article = self.knowledge.articles.get(article_id, self.article)
        self.highlight = highlight
        await self.remove_children()
        await self.mount_all(self.article_widgets())
        if highlight is None:
            self.scroll_home(animate=False)
            return
        spans = paragraph_spans(self.article.body if self.article else "")
        for widget, (start, end) in zip(self.query(".paragraph"), spans, strict=False):
            if start <= highlight[0] < end or (highlight[0] < start < highlight[1]):
                self.call_after_refresh(self.scroll_to_widget, widget, top=True, animate=False)
                break

    async def action_article(self, step: int) -> None:
        if self.article is None or len(self.order) < 2:
            self.app.bell()
            return
        index = (self.order.index(self.article.id) + step) % len(self.order)
        await self.show_article(self.order[index])

    def current_passage(self) -> int | None:
        """The 1-based number of the highlighted paragraph, else of the first one in view."""
        if self.article is None:
            return None
        spans = paragraph_spans(self.article.body)
        if self.highlight:
            for number, (start, end) in enumerate(spans, 1):
                if start <= self.highlight[0] < end:
                    return number
        for number, widget in enumerate(self.query(".paragraph"), 1):
            if widget.virtual_region.bottom > self.scroll_y:
                return number
        return 1 if spans else None

    def bookmark_key(self) -> Key | None:
        """The passage `b` bookmarks: the highlighted one, else the first in view."""
        number = self.current_passage()
        return ("source", passage_id(self.article.id, number)) if self.article and number else None
