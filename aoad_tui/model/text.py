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
