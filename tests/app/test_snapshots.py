"""SVG snapshots of every screen, with today's date pinned so that they never drift on their own.

Baselines live in tests/app/__snapshots__/test_snapshots/. After a deliberate change to the look of
the app, regenerate them in one process (under pytest-xdist syrupy cannot delete the snapshots no
test uses any more) and review the diff of the SVGs:

    pytest -n0 tests/app/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from support.helpers import make_app
from test_search_app import type_query
from textual.pilot import Pilot

from aoad_tui.model.vocabulary import TAB_IDS

SnapCompare = Callable[..., bool]


class TestTabs:
    @pytest.mark.parametrize(("number", "tab"), list(enumerate(TAB_IDS, 1)), ids=list(TAB_IDS))
    def test_tab_at_80x24(self, snap_compare: SnapCompare, number: int, tab: str) -> None:
        assert snap_compare(make_app(), press=[str(number)], terminal_size=(80, 24))


class TestPersonDetail:
    def test_second_person_of_the_cast(self, snap_compare: SnapCompare) -> None:
        """Yoon Chan-young: role, status, sources, and his quote with its citation."""
        assert snap_compare(make_app(), press=["2", "j", "enter"], terminal_size=(80, 24))


class TestHelp:
    def test_help_screen(self, snap_compare: SnapCompare) -> None:
        assert snap_compare(make_app(), press=["question_mark"], terminal_size=(80, 24))


class TestWide:
    def test_cast_with_preview_at_120x36(self, snap_compare: SnapCompare) -> None:
        """At 120 columns the highlighted person's detail shows beside the list."""
        assert snap_compare(make_app(), press=["2", "j"], terminal_size=(120, 36))


class TestSmallest:
    def test_overview_at_40x12(self, snap_compare: SnapCompare) -> None:
        """The smallest size that still shows the app."""
        assert snap_compare(make_app(), terminal_size=(40, 12))


class TestTooSmall:
    def test_notice_at_30x10(self, snap_compare: SnapCompare) -> None:
        """Below 40x12 only the notice shows."""
        assert snap_compare(make_app(), terminal_size=(30, 10))


class TestSearch:
    def test_a_question_answered_at_80x24(self, snap_compare: SnapCompare) -> None:
        """The answer line first: what the entry says, how sure, as of when, the passage it cites."""

        async def ask(pilot: Pilot[object]) -> None:
            await pilot.pause()  # the screen is composed
            await type_query(pilot, "when does s2 come out")

        assert snap_compare(make_app(), run_before=ask, terminal_size=(80, 24))
