"""Text helpers shared by the loader, the search and the source view."""

from __future__ import annotations

import re
import unicodedata

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
WORD = re.compile(r"\w+")
# The same words in ASCII text, found several times faster: every character \w does not match -> space.
_ASCII_NON_WORD = str.maketrans({chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")})


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


def normalize(text: str) -> str:
    """Fold case, width and accents: 'Ｃhéong-San' -> 'cheong-san'."""
    if text.isascii():
        return text.lower()
    folded = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The normalized words of a text."""
    return split_words(normalize(text))


def split_words(folded: str) -> list[str]:
    """The words of a normalized text."""
    if folded.isascii():
        return folded.translate(_ASCII_NON_WORD).split()
    return WORD.findall(folded)


def within_one_edit(a: str, b: str) -> bool:
    """True if a and b differ by at most one substitution, insertion, deletion or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        i, j = diffs[0], diffs[-1]
        return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]
