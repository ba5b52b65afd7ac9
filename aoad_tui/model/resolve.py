"""What a bookmark points at, in the current knowledge base: an entry, a source passage, or nothing."""

from __future__ import annotations

from dataclasses import dataclass

from aoad_tui.model.bookmarks import Bookmark
from aoad_tui.model.entries import Citation, Entry, KnowledgeBase
from aoad_tui.model.text import collapse_space, paragraph_spans
from aoad_tui.model.vocabulary import parse_passage_id, tab_of

MISSING = "missing from the current sources"


@dataclass(frozen=True, slots=True)
class Resolved:
    bookmark: Bookmark
    title: str
    text: str
    status: str
    cites: tuple[Citation, ...]
    entry: Entry | None = None
    article: str = ""
    span: tuple[int, int] | None = None

    @property
    def missing(self) -> bool:
        return self.status == MISSING

    @property
    def tab(self) -> str:
        return tab_of(self.bookmark.kind)


def resolve(knowledge: KnowledgeBase, bookmark: Bookmark) -> Resolved:
    """Find what a bookmark points at; a bookmark of something gone is kept and says so."""
    if bookmark.kind == "source":
        article_id, number = parse_passage_id(bookmark.id) or ("", 0)
        article = knowledge.articles.get(article_id)
        spans = paragraph_spans(article.body) if article else []
        if article and 1 <= number <= len(spans):
            start, end = spans[number - 1]
            text = collapse_space(article.body[start:end])
            title = f"{article.title or article.id}, paragraph {number}"
            return Resolved(bookmark, title, text, "", (Citation(article_id, text),), None, article_id, (start, end))
    else:
        entry = knowledge.by_id.get(bookmark.id)
        if entry is not None and entry.kind == bookmark.kind:
            title = collapse_space(entry.title)
            return Resolved(bookmark, title, collapse_space(entry.text), entry.status_word, entry.cites, entry)
    return Resolved(bookmark, bookmark.id, "", MISSING, ())
