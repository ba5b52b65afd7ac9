"""The key bar at the bottom: the keys of the focused place, in the first frame, Help and Quit always."""

from __future__ import annotations

from support.helpers import make_app, press, settle, wait_for
from textual.app import App
from textual.widgets import OptionList

from aoad_tui.widgets.key_bar import KeyBar
from aoad_tui.widgets.search_results import SearchResults


def bar_text(app: App[None]) -> str:
    return str(app.screen.query_one(KeyBar).render())


async def test_the_bar_shows_the_app_keys_and_those_of_the_focused_list() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = bar_text(app)
        for label in ("/ Search", "s Source", "y Copy", "b Bookmark", "? Help", "q Quit"):
            assert label in text
        assert "Remove" not in text
        await press(pilot, "5")
        await settle(pilot)
        assert bar_text(app).startswith(" d Remove  n Note ")  # the Bookmarks list's keys come first


async def test_on_a_narrow_terminal_help_and_quit_keep_their_place() -> None:
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        text = bar_text(app)
        assert len(text) <= 40
        assert "? Help" in text and "q Quit" in text
        assert "b Bookmark" not in text  # the last unpinned keys made way


async def test_clicking_a_key_presses_it() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        column = bar_text(app).index("Quit")
        await pilot.click(KeyBar, offset=(column, 0))
        await settle(pilot)
        assert not app.is_running


def enabled(app: App[None], key: str) -> bool:
    """Whether the bar, as last drawn, shows the key as usable."""
    return next(shown.enabled for shown in app.screen.query_one(KeyBar).shown if shown.key == key)


async def test_source_and_copy_are_dimmed_on_a_row_they_cannot_act_on() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "slash", *"netflix")
        found = app.query_one(SearchResults)
        await wait_for(pilot, lambda: bool(found.shown_items()), "results (the index is built in a thread)")
        await press(pilot, "down")
        await settle(pilot)
        results = app.query_one("#results", OptionList)
        kinds = [result.kind for result in app.query_one(SearchResults).shown_items()]
        assert "source" in kinds and kinds[0] != "source"
        assert enabled(app, "s") and enabled(app, "y")
        results.highlighted = kinds.index("source")  # a source passage: already its own source
        await settle(pilot)
        assert not enabled(app, "s") and not enabled(app, "y")
