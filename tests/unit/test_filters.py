"""Unit tests of the status filters (aoad_tui/model/filters.py): every list offers the same filters,
and each status can be narrowed to by exactly one of them."""

from __future__ import annotations

import pytest

from aoad_tui.model.entries import STATUSES
from aoad_tui.model.filters import EVERYTHING, FILTERS, counts


def test_all_comes_first_and_keeps_every_status() -> None:
    assert FILTERS[0] is EVERYTHING
    assert (EVERYTHING.id, EVERYTHING.label) == ("all", "all")
    assert [status for status in STATUSES if EVERYTHING.keeps(status)] == list(STATUSES)


def test_filter_ids_are_unique() -> None:
    ids = [f.id for f in FILTERS]
    assert len(ids) == len(set(ids)) == 6


@pytest.mark.parametrize("status", STATUSES)
def test_each_status_is_kept_by_exactly_one_filter_besides_all(status: str) -> None:
    assert len([f.id for f in FILTERS[1:] if f.keeps(status)]) == 1


def test_filters_keep_only_known_statuses() -> None:
    named = set().union(*(f.statuses for f in FILTERS[1:]))
    assert named == set(STATUSES)
    assert not any(f.keeps("rumoured") for f in FILTERS[1:])


def test_counts_tally_each_filter_in_one_pass() -> None:
    statuses = ["confirmed", "announced", "speculated", "denied", "confirmed", "unconfirmed", "expected"]
    got = {f.id: n for f, n in counts(iter(statuses))}  # an iterator: read once
    assert got == {"all": 7, "sure": 3, "expected": 1, "reported": 0, "rumored": 2, "denied": 1}
