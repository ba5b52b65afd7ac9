"""Where a fan was before they moved elsewhere (another tab, `s` to a cited passage, a bookmark or
a search result opened), so that escape can take them back, one move at a time, as a browser's
back button does."""

from __future__ import annotations

from dataclasses import dataclass

from aoad_tui.model.entries import Entry

MAX_PLACES = 50  # far more jumps back than anyone takes; a bound all the same


@dataclass(frozen=True, slots=True)
class Place:
    """A tab with the row highlighted in its list (an entry's id, or a bookmark's position) or the
    article and paragraph under the Source tab's cursor; over it, a search (its query and
    highlighted result); over that, an entry's detail."""

    tab: str
    query: str = ""
    highlighted: int | None = None
    entry: Entry | None = None
    row: str | int | None = None
    source: tuple[str, int] | None = None


class Trail:
    def __init__(self) -> None:
        self.places: list[Place] = []

    def leave(self, place: Place) -> None:
        self.places = [*self.places, place][-MAX_PLACES:]

    def back(self) -> Place | None:
        return self.places.pop() if self.places else None
