"""Text helpers shared by the loader, the search and the source view."""

from __future__ import annotations

import re
import unicodedata

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def collapse_space(text: str) -> str:
    """Every run of white space as one space, none at the ends."""
    return " ".join(text.split())


def slugify(name: str) -> str:
    """A lowercase ASCII slug: "Yoon Chan-young" -> "yoon-chan-young"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_name.lower()).strip("-")


def locate(passage: str, text: str) -> tuple[int, int] | None:
    """The span of `passage` in `text`, ignoring differences in white space, or None."""
    words = passage.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(word) for word in words)
    match = re.search(pattern, text)
    return match.span() if match else None


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of the non-blank paragraphs of `text`."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]
