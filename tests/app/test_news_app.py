"""What is new since the last visit, status filters, and the lines that name their keys: under
Pilot, across starts that share a data directory, with the two states of tests/data/news. (The
settings themselves: test_settings_app.py.)"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from support import DATA
from support.helpers import (
    app_with_settings,
    knowledge_from,
    plain,
    press,
    screen_text,
    settle,
    toasts,
    write_settings,
)
from textual.pilot import Pilot
from textual.widgets import OptionList

from aoad_tui.app import AoadApp
from aoad_tui.model.filters import FILTERS
from aoad_tui.model.paths import bundled_seeds
from aoad_tui.model.visits import FILE_NAME as SEEN
from aoad_tui.model.visits import VisitStore, visit_of
from aoad_tui.screens.filter import FilterScreen
from aoad_tui.screens.whats_new import ChangeList, WhatsNewScreen
from aoad_tui.widgets.entry_list import EntryList
from aoad_tui.widgets.filter_line import FilterLine
from aoad_tui.widgets.search_results import SearchResults

SIZE = (80, 24)
BEFORE, AFTER = DATA / "news" / "before", DATA / "news" / "after"
FIRST_DAY, NEXT_DAY = date(2026, 11, 2), date(2026, 11, 30)
LINE = "Since your last visit on 2026-11-02: 1 new, 1 changed"


def rows(app: AoadApp, list_id: str) -> list[str]:
    options = app.query_one(list_id, OptionList).options
    return [" ".join(str(option.prompt).split()) for option in options]


async def wait_remembered(pilot: Pilot[object], data: Path, day: date) -> None:
    """Until seen.json holds the visit of `day` (it is written in a thread after the first frame)."""
    for _ in range(100):
        if (data / SEEN).exists() and f'"visited":"{day.isoformat()}"' in (data / SEEN).read_text():
            return
        await pilot.pause(0.02)
    raise AssertionError("the visit was not remembered")


async def first_visit(data: Path) -> None:
    """A first visit through the app: nothing marked, and the visit remembered."""
    app = app_with_settings(BEFORE, data, FIRST_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await wait_remembered(pilot, data, FIRST_DAY)
        assert "last visit" not in plain(app.query_one("#summary"))
        assert not any(" new " in row or " changed " in row for row in rows(app, "#facts"))


def visited_before(data: Path) -> None:
    """What first_visit leaves, written directly (a second app start is a second of each test)."""
    assert VisitStore(data).save(visit_of(knowledge_from(BEFORE), FIRST_DAY))


async def test_a_returning_fan_sees_exactly_what_is_new_and_changed(isolated_dirs: Path) -> None:
    await first_visit(isolated_dirs)
    app = app_with_settings(AFTER, isolated_dirs, NEXT_DAY)
    async with app.run_test(size=SIZE) as pilot:
        assert plain(app.query_one("#summary")).splitlines()[-1] == f"{LINE} · w shows what"
        await press(pilot, "2")
        await settle(pilot)
        assert rows(app, "#cast-browser EntryList") == [
            "Kim Min-ji Cast member [confirmed] as of 2026-11-02",
            "new Park Ji-hoon Joins the cast of season 2 as a new student [confirmed] as of 2026-11-20",
        ]
        await press(pilot, "4")
        await settle(pilot)
        assert rows(app, "#rumors-browser EntryList")[0].startswith("changed Filming starts soon.")
        await press(pilot, "3")
        await settle(pilot)
        assert not any(row.startswith(("new", "changed")) for row in rows(app, "#quotes-browser EntryList"))


async def test_whats_new_lists_each_change_and_opens_it_in_its_tab(isolated_dirs: Path) -> None:
    visited_before(isolated_dirs)
    app = app_with_settings(AFTER, isolated_dirs, NEXT_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "w")
        await settle(pilot)
        assert isinstance(app.screen, WhatsNewScreen)
        assert plain(app.screen.query_one("#news-heading")) == LINE
        assert rows(app.screen, "#changes") == [  # type: ignore[arg-type]
            "new person Park Ji-hoon [confirmed]",
            "changed rumor Filming starts soon. [confirmed] "
            "status: speculated → confirmed (Filming begins, Example News, 2026-11-20)",
        ]
        await press(pilot, "down", "enter")
        await settle(pilot)
        assert app.main.active_tab == "rumors"
        assert app.focused is not None and app.focused.current_entry.id == "filming-soon"  # type: ignore[attr-defined]
        await press(pilot, "w")
        await settle(pilot)
        await press(pilot, "escape")
        await settle(pilot)
        assert not isinstance(app.screen, WhatsNewScreen)


async def test_whats_new_lists_what_was_removed_from_the_sources(isolated_dirs: Path) -> None:
    assert VisitStore(isolated_dirs).save(visit_of(knowledge_from(AFTER), FIRST_DAY))  # then back to BEFORE
    app = app_with_settings(BEFORE, isolated_dirs, NEXT_DAY)
    async with app.run_test(size=SIZE) as pilot:
        assert "1 changed, 1 removed" in plain(app.query_one("#summary"))
        await press(pilot, "w")
        assert isinstance(app.screen, WhatsNewScreen)
        listed = rows(app.screen, "#changes")  # type: ignore[arg-type]
        assert listed[-1] == "removed person park-ji-hoon no longer in the sources"
        await press(pilot, "end", "enter")  # it cannot be opened: the highlight stays on what can
        assert app.main.active_tab == "rumors"


async def test_whats_new_rows_carry_their_change_and_enter_opens_the_highlighted_one(isolated_dirs: Path) -> None:
    visited_before(isolated_dirs)
    app = app_with_settings(AFTER, isolated_dirs, NEXT_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "w")
        changes = app.screen.query_one("#changes", ChangeList)
        assert [change.entry.id for change in changes.shown_items()] == ["park-ji-hoon", "filming-soon"]
        assert changes.current_item is not None and changes.current_item.entry.id == "park-ji-hoon"
        await press(pilot, "down")
        opened = changes.current_item
        assert opened is not None and opened.entry.id == "filming-soon"
        await press(pilot, "enter")
        assert app.focused is not None and app.focused.current_entry is opened.entry  # type: ignore[attr-defined]


async def test_marking_all_seen_drops_every_marker_and_the_next_visit_starts_from_this_one(
    isolated_dirs: Path,
) -> None:
    visited_before(isolated_dirs)
    app = app_with_settings(AFTER, isolated_dirs, NEXT_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await wait_remembered(pilot, isolated_dirs, NEXT_DAY)
        await press(pilot, "w", "a")
        await settle(pilot)
        assert rows(app.screen, "#changes") == []  # type: ignore[arg-type]
        assert plain(app.screen.query_one("#news-heading")) == "Nothing new since your last visit on 2026-11-02."
        await press(pilot, "escape", "2")
        await settle(pilot)
        assert not any(row.startswith("new") for row in rows(app, "#cast-browser EntryList"))
        assert "last visit" not in plain(app.query_one("#summary"))
    # What was new stays new for the whole visit only: the next one starts from what this one showed.
    app = app_with_settings(AFTER, isolated_dirs, NEXT_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "2")
        await settle(pilot)
        assert "last visit" not in plain(app.query_one("#summary"))
        assert not any(row.startswith("new") for row in rows(app, "#cast-browser EntryList"))


async def test_what_was_new_at_start_stays_marked_while_another_instance_starts(isolated_dirs: Path) -> None:
    visited_before(isolated_dirs)
    app = app_with_settings(AFTER, isolated_dirs, NEXT_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await wait_remembered(pilot, isolated_dirs, NEXT_DAY)
        other = app_with_settings(AFTER, isolated_dirs, NEXT_DAY)  # reads what this visit remembered: nothing new
        assert other.whats_new.news.changes == ()
        await press(pilot, "2")
        await settle(pilot)
        assert rows(app, "#cast-browser EntryList")[1].startswith("new Park Ji-hoon")


async def test_a_corrupt_seen_file_is_moved_aside_and_said(isolated_dirs: Path) -> None:
    isolated_dirs.mkdir(parents=True)
    (isolated_dirs / SEEN).write_bytes(b"{not json")
    app = app_with_settings(AFTER, isolated_dirs, NEXT_DAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "moved aside" in screen_text(app)
        await wait_remembered(pilot, isolated_dirs, NEXT_DAY)
    aside = [p for p in isolated_dirs.iterdir() if p.name.startswith(f"{SEEN}.corrupt-")]
    assert [p.read_bytes() for p in aside] == [b"{not json"]


# --- filters --------------------------------------------------------------------------------------


async def choose_filter(pilot: Pilot[object], label: str) -> None:
    await press(pilot, "f")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, FilterScreen)
    index = next(i for i, f in enumerate(FILTERS) if f.label == label)
    screen.query_one(OptionList).highlighted = index
    await press(pilot, "enter")
    await settle(pilot)


async def test_a_filter_narrows_a_list_and_says_what_it_hides(isolated_dirs: Path) -> None:
    app = app_with_settings(DATA / "minimal_valid", isolated_dirs, NEXT_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "1", "b")  # the show, bookmarked
        await settle(pilot)
        await press(pilot, "f")
        await settle(pilot)
        counts = [" ".join(str(o.prompt).split()) for o in app.screen.query_one(OptionList).options]
        assert counts == [
            "● all 2",
            "confirmed and announced 2",
            "expected 0",
            "reported 0",
            "speculated and unconfirmed 0",
            "denied 0",
        ]
        await press(pilot, "f")  # closes, as escape does
        await settle(pilot)
        assert not isinstance(app.screen, FilterScreen)
        await choose_filter(pilot, "expected")
        assert rows(app, "#facts") == ["Nothing here is expected: press f to change the filter."]
        line = app.query_one("#overview-pane FilterLine", FilterLine)
        assert line.display
        assert plain(line) == "Only expected · 2 hidden (1 bookmarked) · f: filter"
        assert "★" in app.query_one("#facts", EntryList).prompt(app.knowledge.entries()[0]).plain  # still starred
        await choose_filter(pilot, "all")
        assert not line.display
        assert len(rows(app, "#facts")) == 2


async def test_a_filter_hiding_new_rows_says_so_and_search_results_filter_too(isolated_dirs: Path) -> None:
    visited_before(isolated_dirs)
    app = app_with_settings(AFTER, isolated_dirs, NEXT_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "4")
        await settle(pilot)
        await choose_filter(pilot, "speculated and unconfirmed")
        assert plain(app.query_one("#rumors FilterLine")) == (
            "Only speculated and unconfirmed · 1 hidden (1 new or changed) · f: filter"
        )
        await press(pilot, "slash", *"kim")
        results = app.query_one(SearchResults)
        for _ in range(250):  # the index is built in a thread, and searched in another
            if results.found:
                break
            await pilot.pause(0.02)
        await press(pilot, "down")  # into the results, so that f is a key, not a letter typed
        found = len(results.found)
        await choose_filter(pilot, "denied")
        assert results.shown_items() == []
        assert rows(app, "#results") == [f"{found} found, none denied: press f to change the filter."]
        assert plain(app.query_one("#search-pane FilterLine")).startswith(f"Only denied · {found} hidden")


async def test_opening_what_a_filter_hides_shows_it_and_the_bookmarks_tab_filters_too(isolated_dirs: Path) -> None:
    visited_before(isolated_dirs)
    app = app_with_settings(AFTER, isolated_dirs, NEXT_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "4", "b")  # the rumor, now confirmed, bookmarked
        await settle(pilot)
        await choose_filter(pilot, "denied")
        rumors = app.query_one("#rumors-browser EntryList", EntryList)
        assert rumors.shown_items() == []
        await press(pilot, "w", "down", "enter")  # What's new: the rumor
        await settle(pilot)
        assert rumors.status_filter == FILTERS[0] and rumors.current_entry is not None
        assert rumors.current_entry.id == "filming-soon"
        assert not app.query_one("#rumors FilterLine").display
        await press(pilot, "5")
        await settle(pilot)
        await choose_filter(pilot, "speculated and unconfirmed")
        assert rows(app, "#bookmark-list") == [
            "No bookmark here is speculated and unconfirmed: press f to change the filter."
        ]
        assert plain(app.query_one("#bookmarks FilterLine")) == (
            "Only speculated and unconfirmed · 1 hidden (1 new or changed) · f: filter"
        )


async def test_marking_all_seen_keeps_the_highlight_in_the_search_results(isolated_dirs: Path) -> None:
    visited_before(isolated_dirs)
    app = app_with_settings(AFTER, isolated_dirs, NEXT_DAY)
    async with app.run_test(size=SIZE) as pilot:
        app.main.search.ensure_index()
        await press(pilot, "slash", *"filming")
        results = app.query_one(SearchResults)
        for _ in range(100):
            if len(results.shown_items()) >= 2:
                break
            await pilot.pause(0.02)
        await press(pilot, "down", "down")
        await settle(pilot)
        assert results.highlighted == 1
        changed = [row for row in rows(app, "#results") if "changed" in row.split()[:2]]
        assert changed  # the changed rumor is marked in the results
        app.whats_new.mark_all_seen()
        await settle(pilot)
        assert results.highlighted == 1
        assert not [row for row in rows(app, "#results") if "changed" in row.split()[:2]]


async def test_lines_that_name_a_key_name_it_as_the_settings_remap_it(isolated_dirs: Path) -> None:
    write_settings('[keys]\nnews = "N"\nfilter = "F"\n')
    visited_before(isolated_dirs)
    app = app_with_settings(AFTER, isolated_dirs, NEXT_DAY)
    async with app.run_test(size=SIZE) as pilot:
        assert plain(app.query_one("#summary")).splitlines()[-1] == f"{LINE} · N shows what"
        await press(pilot, "4", "F")
        await settle(pilot)
        assert isinstance(app.screen, FilterScreen)
        app.screen.query_one(OptionList).highlighted = 5  # denied
        await press(pilot, "enter")
        await settle(pilot)
        assert plain(app.query_one("#rumors FilterLine")).endswith("· F: filter")
        assert rows(app, "#rumors-browser EntryList") == ["Nothing here is denied: press F to change the filter."]


async def test_notices_and_hints_name_keys_as_the_settings_remap_them(isolated_dirs: Path) -> None:
    write_settings('[keys]\nbookmark = "B"\n"bookmarks.undo" = "U"\nsource = "S"\n')
    app = app_with_settings(bundled_seeds(), isolated_dirs, NEXT_DAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "5")
        assert rows(app, "#bookmark-list")[0].startswith("No bookmarks yet. Press B on any entry")
        await press(pilot, "4", "B", "5", "d")
        assert any("Press U to undo." in toast for toast in toasts(app)), toasts(app)
        await app.main.reveal_entry("rumors", "cheong-san-alive")  # cited twice
        await press(pilot, "S")
        assert any("Citation 1 of 2: S again for the next." in toast for toast in toasts(app)), toasts(app)


@pytest.mark.parametrize("size", [(40, 12), (24, 8)])
async def test_whats_new_and_the_filter_on_a_tiny_terminal(isolated_dirs: Path, size: tuple[int, int]) -> None:
    visited_before(isolated_dirs)
    app = app_with_settings(AFTER, isolated_dirs, NEXT_DAY)
    async with app.run_test(size=size) as pilot:
        await press(pilot, "w")
        await settle(pilot)
        assert isinstance(app.screen, WhatsNewScreen)
        assert len(app.screen.query_one("#changes", OptionList).options) == 2
        await press(pilot, "escape", "4", "f")
        await settle(pilot)
        assert isinstance(app.screen, FilterScreen)
        await press(pilot, "q")  # closes the filter, as escape and f do
        await settle(pilot)
        assert not isinstance(app.screen, FilterScreen)
        await press(pilot, "q")
        await settle(pilot)
    assert app.return_code == 0


async def test_the_tab_bar_and_the_search_hint_name_the_keys_the_settings_chose(isolated_dirs: Path) -> None:
    write_settings('[keys]\n"tab.cast" = "c"\nsearch = "ctrl+f"\n')
    app = app_with_settings(BEFORE, isolated_dirs, NEXT_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "c Cast" in text and "2 Cast" not in text and "1 Overview" in text
        assert f"{app.key_display('search')} search: type to find anything" in text and "/ search" not in text
        await press(pilot, "c")
        assert app.main.active_tab == "cast"
