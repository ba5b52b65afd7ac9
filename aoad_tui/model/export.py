"""Bookmarks as text for the command line: a listing, Markdown and JSON."""

from __future__ import annotations

from aoad_tui.model.bookmarks import Bookmark
from aoad_tui.model.entries import KnowledgeBase, Quote
from aoad_tui.model.inert import inert, inert_json
from aoad_tui.model.resolve import Resolved, resolve
from aoad_tui.model.text import collapse_space


def listing(knowledge: KnowledgeBase, bookmarks: list[Bookmark]) -> str:
    """One line per bookmark: when added, kind, status and title."""
    if not bookmarks:
        return "No bookmarks yet."
    lines = []
    for row in (resolve(knowledge, b) for b in bookmarks):
        status = f"[{row.status}]" if row.status else ""
        note = f"  note: {row.bookmark.note}" if row.bookmark.note else ""
        lines.append(inert(f"{row.bookmark.added}  {row.bookmark.kind:<7} {status:<14} {row.title}{note}"))
    return "\n".join(lines)


def _citations(knowledge: KnowledgeBase, row: Resolved) -> list[str]:
    lines = []
    for citation in row.cites:
        lines.append(f"  > “{collapse_space(citation.passage)}”  \n  > — {knowledge.source_label(citation)}")
    return lines


def export_markdown(knowledge: KnowledgeBase, bookmarks: list[Bookmark]) -> str:
    """Each bookmark as a Markdown section: its text, status, citations and note."""
    parts = ["# aoad-tui bookmarks", ""]
    for row in (resolve(knowledge, b) for b in bookmarks):
        parts.append(f"## {row.title}")
        parts.append("")
        status = f"**{row.status}**" if row.status else "source passage"
        parts.append(f"- {row.bookmark.kind}, {status}; bookmarked {row.bookmark.added}")
        if row.text and row.text != row.title:
            parts.append(f"- {row.text}")
        if isinstance(row.entry, Quote):
            outlet = f", to {row.entry.outlet}" if row.entry.outlet else ""
            parts.append(f"- Said by {knowledge.speaker_name(row.entry)}{outlet}")
        if row.bookmark.note:
            parts.append(f"- Note: {row.bookmark.note}")
        parts += ["- Sources:", *_citations(knowledge, row), ""]
    return inert("\n".join(parts))


def export_json(knowledge: KnowledgeBase, bookmarks: list[Bookmark], *, ascii_only: bool = False) -> str:
    """A JSON array: each bookmark with its title, text, status and citations."""
    items = []
    for row in (resolve(knowledge, b) for b in bookmarks):
        items.append(
            {
                **row.bookmark.as_json(),
                "title": row.title,
                "text": row.text,
                "status": row.status,
                "cites": [{"article": c.article, "passage": c.passage} for c in row.cites],
            }
        )
    return inert_json(items, ascii_only=ascii_only)
