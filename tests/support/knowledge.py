"""A knowledge base changed for a test: one with other articles or other people, say."""

from __future__ import annotations

from typing import Any

from aoad_tui.model.entries import KnowledgeBase


def changed(knowledge: KnowledgeBase, **changes: Any) -> KnowledgeBase:
    """A new knowledge base: `knowledge`'s articles, show and lists, but those named in `changes`
    (articles, show, facts, people, quotes, rumors, thesaurus)."""
    parts: dict[str, Any] = {
        "articles": knowledge.articles,
        "show": knowledge.show,
        "facts": knowledge.facts,
        "people": knowledge.people,
        "quotes": knowledge.quotes,
        "rumors": knowledge.rumors,
        "thesaurus": knowledge.thesaurus,
    }
    unknown = set(changes) - set(parts)
    assert not unknown, f"not a part of a knowledge base: {sorted(unknown)}"
    return KnowledgeBase(**{**parts, **changes})
