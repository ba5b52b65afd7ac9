"""Where a fan was before a jump took them elsewhere (`s` to a cited passage), so that escape can
take them back, one jump at a time, as a browser's back button does."""

from __future__ import annotations

from dataclasses import dataclass

from aoad_tui.model.entries import Entry

MAX_PLACES = 50  # far more jumps back than anyone takes; a bound all the same


@dataclass(frozen=True, slots=True)
class Place:
    """A tab with its lists as they were; over it, a search (its query and highlighted result);
    over that, an entry's detail."""

    tab: str
    query: str = ""
    highlighted: int | None = None
    entry: Entry | None = None


class Trail:
    def __init__(self) -> None:
        self.places: list[Place] = []

    def leave(self, place: Place) -> None:
        self.places = [*self.places, place][-MAX_PLACES:]

    def back(self) -> Place | None:
        return self.places.pop() if self.places else None
