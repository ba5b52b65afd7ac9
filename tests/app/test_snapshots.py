"""SVG snapshots of every screen, with today's date pinned so that they never drift on their own.

Baselines live in tests/app/__snapshots__/test_snapshots/. After a deliberate change to the look of
the app, regenerate them in one process (under pytest-xdist syrupy cannot delete the snapshots no
test uses any more) and review the diff of the SVGs:

    pytest -n0 tests/app/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support.helpers import TODAY, make_app
from test_search_app import type_query
from textual.pilot import Pilot

from aoad_tui.app import AoadApp
from aoad_tui.model.vocabulary import TAB_IDS
from aoad_tui.screens.reading import ReadingScreen

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


class TestReading:
    def test_big_seeds_being_read_at_80x24(self, snap_compare: SnapCompare, monkeypatch: pytest.MonkeyPatch) -> None:
        """A first start on big seeds: how far reading them has got (held at its start here)."""
        monkeypatch.setattr(ReadingScreen, "start_reading", lambda screen: None)
        app = AoadApp(None, seeds=Path("/srv/aoad-tui/seeds"), today=TODAY)
        app.animation_level = "none"
        assert snap_compare(app, terminal_size=(80, 24))


class TestSearch:
    def test_a_question_answered_at_80x24(self, snap_compare: SnapCompare) -> None:
        """The answer line first: what the entry says, how sure, as of when, the passage it cites."""

        async def ask(pilot: Pilot[object]) -> None:
            await pilot.pause()  # the screen is composed
            await type_query(pilot, "when does s2 come out")

        assert snap_compare(make_app(), run_before=ask, terminal_size=(80, 24))


class TestNews:
    """A returning fan (tests/data/news: a visit on 2026-11-02, then the later state of the seeds)."""

    @staticmethod
    def returning(data: Path) -> AoadApp:
        from datetime import date

        from support import DATA
        from support.helpers import knowledge_from

        from aoad_tui.model.visits import VisitStore, visit_of

        assert VisitStore(data).save(visit_of(knowledge_from(DATA / "news" / "before"), date(2026, 11, 2)))
        app = AoadApp(knowledge_from(DATA / "news" / "after"), today=date(2026, 11, 30))
        app.animation_level = "none"
        return app

    def test_overview_says_what_is_new(self, snap_compare: SnapCompare, isolated_dirs: Path) -> None:
        assert snap_compare(self.returning(isolated_dirs), terminal_size=(80, 24))

    def test_whats_new(self, snap_compare: SnapCompare, isolated_dirs: Path) -> None:
        assert snap_compare(self.returning(isolated_dirs), press=["w"], terminal_size=(80, 24))

    def test_rumors_filtered_hiding_a_changed_row(self, snap_compare: SnapCompare, isolated_dirs: Path) -> None:
        press = ["4", "f", "down", "down", "down", "down", "enter"]  # speculated and unconfirmed
        assert snap_compare(self.returning(isolated_dirs), press=press, terminal_size=(80, 24))

    def test_the_filter_dialog(self, snap_compare: SnapCompare, isolated_dirs: Path) -> None:
        assert snap_compare(self.returning(isolated_dirs), press=["2", "f"], terminal_size=(80, 24))
