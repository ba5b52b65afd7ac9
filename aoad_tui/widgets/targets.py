"""What the app's keys act on: whatever has the focus says what it is on, so that `s`, `y` and `b`
never ask which widget it is."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from aoad_tui.model.entries import Entry

Target = tuple[str, str]  # what a bookmark points at: (kind, id) of an entry, or ("source", passage id)


@runtime_checkable
class ShowsEntry(Protocol):
    """A widget on an entry (a list's highlighted row, an open detail): `s` and `y` act on it."""

    @property
    def current_entry(self) -> Entry | None: ...


@runtime_checkable
class Bookmarkable(Protocol):
    """A widget on something that can be bookmarked: `b` acts on it."""

    def bookmark_key(self) -> Target | None: ...


@runtime_checkable
class Copyable(Protocol):
    """A widget on a passage of text (the Source tab's cursor): `y` copies what `copy_text` gives,
    with its attribution, and says what it copied."""

    def copy_text(self) -> tuple[str, str] | None: ...
