"""The Source tab: one article, readable, with a cited passage highlighted and scrolled to."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from aoad_tui.model.entries import Article, Citation, KnowledgeBase
from aoad_tui.model.text import locate
from aoad_tui.widgets.render import literal, safe
from aoad_tui.widgets.scroll import KeyScroll

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
HIGHLIGHT = "reverse"


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of the non-blank paragraphs of `text`."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


class SourceView(KeyScroll):
    """An article as paragraphs; `[` and `]` change article when there are several."""

    BINDINGS = [
        Binding("h", "app.previous_tab", "Previous tab", show=False, id="source.previous_tab"),
        Binding("l", "app.next_tab", "Next tab", show=False, id="source.next_tab"),
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
        for start, end in paragraphs(article.body):
            widgets.append(Static(self.paragraph(start, end), classes="paragraph"))
        return widgets

    def paragraph(self, start: int, end: int) -> Content:
        assert self.article is not None
        content = literal(self.article.body[start:end])
        if self.highlight:
            low, high = max(self.highlight[0], start), min(self.highlight[1], end)
            if low < high:
                content = content.stylize(HIGHLIGHT, low - start, high - start)
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
        for widget, (start, end) in zip(self.query(".paragraph"), paragraphs(self.article.body if self.article else "")):
            if start <= highlight[0] < end or (highlight[0] < start < highlight[1]):
                self.call_after_refresh(self.scroll_to_widget, widget, top=True, animate=False)
                break

    async def show_citation(self, citation: Citation) -> bool:
        """Open the cited article with the passage highlighted; False if it cannot be found."""
        article = self.knowledge.articles.get(citation.article)
        if article is None:
            return False
        await self.show_article(article.id, locate(citation.passage, article.body))
        return True

    async def action_article(self, step: int) -> None:
        if self.article is None or len(self.order) < 2:
            self.app.bell()
            return
        index = (self.order.index(self.article.id) + step) % len(self.order)
        await self.show_article(self.order[index])

    def passage_at_top(self) -> str:
        """The paragraph at the top of the view, for copying and bookmarking."""
        for widget in self.query(".paragraph"):
            if widget.region.y >= self.region.y or widget.region.bottom > self.region.y:
                return safe(str(widget.render()))
        return ""
