"""The words the whole program shares: the kinds of entry, the tabs that list them, and how a
passage of a source article is named. The app, the command line and the model all take them from
here (plain Python: no textual)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["show", "fact", "person", "quote", "rumor"]
KINDS: tuple[Kind, ...] = ("show", "fact", "person", "quote", "rumor")
# What a bookmark or a search result can be: an entry of a kind, or a passage of a source article.
TARGETS: tuple[str, ...] = (*KINDS, "source")

# An entry's id: a lowercase slug.
SLUG = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")


@dataclass(frozen=True, slots=True)
class Tab:
    """A tab of the app: its id, its label, the key that shows it, and what it lists."""

    id: str
    label: str
    key: str
    lists: tuple[str, ...]  # the kinds (or "source") shown in it


TABS: tuple[Tab, ...] = (
    Tab("overview", "Overview", "1", ("show", "fact")),
    Tab("cast", "Cast", "2", ("person",)),
    Tab("quotes", "Quotes", "3", ("quote",)),
    Tab("rumors", "Rumors", "4", ("rumor",)),
    Tab("bookmarks", "Bookmarks", "5", ()),
    Tab("source", "Source", "6", ("source",)),
)
TAB_IDS: tuple[str, ...] = tuple(tab.id for tab in TABS)


def tab_of(kind: str) -> str:
    """The id of the tab that shows an entry of `kind` (or a source passage); else Bookmarks."""
    return next((tab.id for tab in TABS if kind in tab.lists), "bookmarks")


_PASSAGE_ID = re.compile(r"\A(?P<article>[^#/\\]+)#(?P<number>[1-9][0-9]{0,6})\Z")


def passage_id(article_id: str, number: int) -> str:
    """The id of a paragraph of a source article (as bookmarked): '<article>#<1-based number>'."""
    return f"{article_id}#{number}"


def parse_passage_id(passage: str) -> tuple[str, int] | None:
    """The article id and paragraph number of a passage id, or None if it is not one."""
    match = _PASSAGE_ID.match(passage)
    return (match["article"], int(match["number"])) if match else None
