"""Narrowing a list by how sure its entries are: the filters every list offers, in one place."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StatusFilter:
    """A filter by status: its id, what it is called, and the statuses it keeps (all when empty)."""

    id: str
    label: str
    statuses: frozenset[str] = frozenset()

    def keeps(self, status: str) -> bool:
        return not self.statuses or status in self.statuses


FILTERS: tuple[StatusFilter, ...] = (
    StatusFilter("all", "all"),
    StatusFilter("sure", "confirmed and announced", frozenset({"confirmed", "announced"})),
    StatusFilter("expected", "expected", frozenset({"expected"})),
    StatusFilter("reported", "reported", frozenset({"reported"})),
    StatusFilter("rumored", "speculated and unconfirmed", frozenset({"speculated", "unconfirmed"})),
    StatusFilter("denied", "denied", frozenset({"denied"})),
)
EVERYTHING = FILTERS[0]
# Every status of entries.STATUSES is in exactly one filter besides "all" (tests/unit/test_filters.py).


def counts(statuses: Iterable[str]) -> list[tuple[StatusFilter, int]]:
    """Each filter, and how many of `statuses` it keeps (the statuses counted in one pass)."""
    tally = Counter(statuses)
    return [(f, sum(n for status, n in tally.items() if f.keeps(status))) for f in FILTERS]
