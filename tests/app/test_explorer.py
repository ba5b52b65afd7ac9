"""Driving the explorer with its keys, as a user at an 80x24 terminal would, on the bundled seeds."""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import pkgutil
import re
import shutil
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from support.helpers import (
    TODAY,
    active_tab,
    flat,
    highlighted_passages,
    key_event,
    make_app,
    plain,
    press,
    screen_text,
    settle,
    toasts,
    wait_for,
)
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.content import Content
from textual.keys import key_to_character
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static, TabbedContent, TabPane

import aoad_tui
from aoad_tui import wire
from aoad_tui.app import AoadApp
from aoad_tui.model import vocabulary
from aoad_tui.model.entries import Person, Quote
from aoad_tui.model.paths import bundled_seeds
from aoad_tui.model.text import collapse_space
from aoad_tui.screens.detail import DetailScreen
from aoad_tui.screens.help import HelpScreen, help_sections, key_labels
from aoad_tui.widgets.entry_list import EntryList
from aoad_tui.widgets.scroll import KeyScroll
from aoad_tui.widgets.search_results import SearchInput, SearchResults
from aoad_tui.widgets.source_view import HIGHLIGHT, SourceView

SIZE = (80, 24)
TABS = {tab.id: tab.label for tab in vocabulary.TABS}  # id -> label, in order
# The keys the README gives the tabs (written out: the bindings' own must match them).
TAB_KEYS = {"overview": "1", "cast": "2", "quotes": "3", "rumors": "4", "bookmarks": "5", "source": "6"}
FRESHNESS = "as of 2025-04-16, 1 year 7 months ago: may be out of date"


# --- helpers ----------------------------------------------------------------------------------------


def pane(app: AoadApp, tab: str) -> TabPane:
    return app.query_one(f"TabPane#{tab}", TabPane)


def focus_is_in(app: AoadApp, tab: str) -> bool:
    focused = app.focused
    return focused is not None and pane(app, tab) in focused.ancestors


def entry_list(app: AoadApp, tab: str) -> EntryList:
    return pane(app, tab).query_one(EntryList)


def highlighted_paragraph(source: SourceView) -> Widget:
    for paragraph in source.query(".paragraph"):
        content = paragraph.render()
        if isinstance(content, Content) and any(span.style == HIGHLIGHT for span in content.spans):
            return paragraph
    raise AssertionError("no paragraph is highlighted")


def first_quote_of(app: AoadApp, person: Person) -> Quote:
    return next(q for q in app.knowledge.quotes if q.speaker == person.id)


# --- tabs -----------------------------------------------------------------------------------------


async def test_number_keys_show_their_tab_and_focus_inside_it() -> None:
    app = make_app(tab="source")
    async with app.run_test(size=SIZE) as pilot:
        # From the Source tab, each number key in turn; every tab is reached from another one.
        for tab in TABS:
            await press(pilot, TAB_KEYS[tab])
            await settle(pilot)
            assert active_tab(app) == tab
            assert app.focused is not None, f"nothing focused after {TAB_KEYS[tab]!r}"
            assert focus_is_in(app, tab), f"focus is on {app.focused!r}, not inside the {tab} pane"
            assert pane(app, tab).display
        # Backwards, and the same key twice: still on the tab, still focused inside it.
        for tab in [*reversed(TABS), "overview"]:
            await press(pilot, TAB_KEYS[tab])
            assert active_tab(app) == tab
            assert focus_is_in(app, tab)
        assert f"{TAB_KEYS['overview']} {TABS['overview']}" in screen_text(app)
    assert {tab.id: tab.key for tab in vocabulary.TABS} == TAB_KEYS


async def test_l_and_h_walk_round_the_tabs_and_keep_focus() -> None:
    app = make_app()
    tabs = list(TABS)
    async with app.run_test(size=SIZE) as pilot:
        # l from every tab (lists, bookmarks and the source all take it), wrapping at the end...
        for number in range(1, len(tabs) + 1):
            await press(pilot, "l")
            expected = tabs[number % len(tabs)]
            assert active_tab(app) == expected, f"l #{number}"
            assert focus_is_in(app, expected), f"focus left the pane after l #{number}: {app.focused!r}"
        # ... and h back, wrapping at the start.
        for number in range(1, len(tabs) + 1):
            await press(pilot, "h")
            expected = tabs[-number % len(tabs)]
            assert active_tab(app) == expected, f"h #{number}"
            assert focus_is_in(app, expected), f"focus left the pane after h #{number}: {app.focused!r}"


@pytest.mark.parametrize(("tab", "expected"), [("quotes", "quotes"), ("nonsense", "overview")])
async def test_tab_option_starts_on_that_tab(tab: str, expected: str) -> None:
    app = make_app(tab=tab)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert active_tab(app) == expected
        assert focus_is_in(app, expected)


# --- lists ----------------------------------------------------------------------------------------


async def test_j_k_down_up_move_the_highlight() -> None:
    app = make_app(tab="cast")
    async with app.run_test(size=SIZE) as pilot:
        people = app.knowledge.people
        cast = entry_list(app, "cast")
        assert app.focused is cast
        assert cast.highlighted == 0
        assert cast.current_entry == people[0]
        for key, expected in [("j", 1), ("down", 2), ("j", 3), ("k", 2), ("up", 1), ("k", 0)]:
            await press(pilot, key)
            assert cast.highlighted == expected, f"after {key!r}"
            assert cast.current_entry == people[expected]
        await press(pilot, "up")
        assert cast.highlighted == len(people) - 1, "up from the first row wraps to the last"
        await press(pilot, "down")
        assert cast.highlighted == 0, "down from the last row wraps to the first"
        # The other lists move the same way.
        for tab in ("overview", "quotes", "rumors"):
            await press(pilot, TAB_KEYS[tab])
            entries = entry_list(app, tab)
            assert app.focused is entries
            before = entries.highlighted
            await press(pilot, "j")
            assert entries.highlighted == (before or 0) + 1, tab
            await press(pilot, "k")
            assert entries.highlighted == before, tab


# --- detail screen --------------------------------------------------------------------------------


async def test_enter_on_a_person_opens_their_detail_with_their_quote() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "2", "j", "enter")
        await settle(pilot)
        person = app.knowledge.people[1]
        assert isinstance(person, Person)
        assert person.name == "Yoon Chan-young"
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.entry == person
        text = flat(plain(app.screen.query_one("#detail-text", Static)))
        assert person.name in text
        quote = first_quote_of(app, person)
        assert collapse_space(quote.words) in text
        # The name is what the screen shows first, and the quote is drawn too.
        shown = flat(screen_text(app))
        assert person.name in shown.split(person.role)[0]
        assert "Nothing is confirmed yet. but, personally, I really hope that he's alive." in shown
        # It is longer than the screen: j and k scroll it.
        view = app.screen.query_one(KeyScroll)
        assert app.focused is view
        assert view.max_scroll_y > 0, "the detail should be longer than the screen for this test"
        await press(pilot, "j", "j")
        await settle(pilot)
        assert view.scroll_y > 0
        await press(pilot, "k", "k")
        await settle(pilot)
        assert view.scroll_y == 0


async def test_escape_or_h_returns_from_the_detail_to_the_same_row() -> None:
    app = make_app(tab="cast")
    async with app.run_test(size=SIZE) as pilot:
        cast = entry_list(app, "cast")
        for row, key in [(1, "escape"), (2, "h")]:
            await press(pilot, "j", "enter")
            assert isinstance(app.screen, DetailScreen)
            await press(pilot, key)
            assert not isinstance(app.screen, DetailScreen), key
            assert len(app.screen_stack) == 1
            assert active_tab(app) == "cast"
            assert app.focused is cast
            assert cast.highlighted == row


async def test_enter_opens_the_highlighted_entry_of_any_list() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for tab in ("overview", "quotes", "rumors"):
            await press(pilot, TAB_KEYS[tab], "j")
            expected = entry_list(app, tab).current_entry
            await press(pilot, "enter")
            assert isinstance(app.screen, DetailScreen), tab
            assert app.screen.entry == expected
            await press(pilot, "escape")
            assert len(app.screen_stack) == 1


@pytest.mark.parametrize(("key", "tab"), [("3", "quotes"), ("s", "source")])
async def test_global_keys_on_a_detail_screen_go_back_to_the_main_screen(key: str, tab: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "2", "j", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen), "the detail screen")
        await press(pilot, key)
        await wait_for(pilot, lambda: not isinstance(app.screen, DetailScreen), "the main screen")
        await settle(pilot)
        assert active_tab(app) == tab
        assert focus_is_in(app, tab)


# --- source and copy ------------------------------------------------------------------------------


async def test_s_on_a_quote_shows_the_cited_passage_highlighted_and_in_view() -> None:
    app = make_app(tab="quotes")
    async with app.run_test(size=SIZE) as pilot:
        quote = entry_list(app, "quotes").current_entry
        assert isinstance(quote, Quote)
        await press(pilot, "s")
        await settle(pilot)
        assert active_tab(app) == "source"
        source = app.query_one(SourceView)
        assert app.focused is source
        assert source.highlight is not None
        # Exactly the cited words are highlighted (this passage runs over two paragraphs)...
        assert collapse_space(" ".join(highlighted_passages(source))) == collapse_space(quote.cites[0].passage)
        # ... and the paragraph where they start is scrolled into the viewport.
        paragraph = highlighted_paragraph(source)
        assert source.scroll_y > 0, "the passage is far down the article: the view must have scrolled"
        assert source.region.contains_region(paragraph.region), (paragraph.region, source.region)
        assert "During the cast members' interview with TV Guide" in screen_text(app)


async def test_s_on_a_person_shows_their_first_citation() -> None:
    app = make_app(tab="cast")
    async with app.run_test(size=SIZE) as pilot:
        person = entry_list(app, "cast").current_entry
        assert person is not None
        await press(pilot, "s")
        await settle(pilot)
        source = app.query_one(SourceView)
        assert active_tab(app) == "source"
        assert collapse_space(" ".join(highlighted_passages(source))) == collapse_space(person.cites[0].passage)
        assert source.region.contains_region(highlighted_paragraph(source).region)


async def test_y_on_a_quote_copies_the_words_speaker_and_outlet() -> None:
    app = make_app(tab="quotes")
    async with app.run_test(size=SIZE) as pilot:
        quote = entry_list(app, "quotes").current_entry
        assert isinstance(quote, Quote)
        await press(pilot, "y")
        await settle(pilot)
        copied = app.clipboard
        assert "Nothing is confirmed yet. but, personally, I really hope that he's alive." in copied
        assert collapse_space(quote.words) in copied
        assert "Yoon Chan-young" in copied
        assert "TV Guide" in copied
        assert "2025-04-16" in copied  # as of when


async def test_y_in_a_detail_copies_its_entry() -> None:
    app = make_app(tab="quotes")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "j", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        await press(pilot, "y")
        await settle(pilot)
        assert "survival of zombies" in app.clipboard
        assert "Lee Jae-gyu" in app.clipboard
        assert "Ten Asia" in app.clipboard


async def test_y_on_a_person_copies_their_name() -> None:
    app = make_app(tab="cast")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "j", "y")
        await settle(pilot)
        assert "Cheong-san" in app.clipboard
        assert "Yoon Chan-young" in app.clipboard


@pytest.fixture
def two_articles(tmp_path: Path) -> Path:
    """The bundled seeds plus a second, newer article, so that [ and ] have somewhere to go."""
    seeds = tmp_path / "seeds"
    shutil.copytree(bundled_seeds(), seeds)
    (seeds / "001_extra.txt").write_text("date 2025-05-01 A newer, short article.\n\nIts second paragraph.\n")
    return seeds


async def test_brackets_change_article_in_the_source_tab(two_articles: Path) -> None:
    app = make_app(two_articles, tab="source")
    async with app.run_test(size=SIZE) as pilot:
        source = app.query_one(SourceView)
        assert source.article is not None
        assert source.article.id == "001_extra"  # newest first
        await press(pilot, "right_square_bracket")
        await settle(pilot)
        assert source.article.id == "000_87d513006f32d67f"
        assert "All we know so far" in screen_text(app)
        await press(pilot, "right_square_bracket")
        await settle(pilot)
        assert source.article.id == "001_extra"
        await press(pilot, "left_square_bracket")
        await settle(pilot)
        assert source.article.id == "000_87d513006f32d67f"
        assert app.focused is source


async def test_source_tab_with_one_article() -> None:
    app = make_app(tab="source")
    async with app.run_test(size=SIZE) as pilot:
        source = app.query_one(SourceView)
        article = source.article
        # No entry's citation was shown with s: s does nothing.
        await press(pilot, "s")
        assert active_tab(app) == "source"
        assert source.highlight is None
        # One article: [ and ] keep it (and ring the bell).
        await press(pilot, "right_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert source.article == article
        assert app.focused is source
        # j and k move the cursor a paragraph at a time, and the view with it.
        await press(pilot, "j", "j", "j", "j", "j", "j")
        assert source.current_passage() == 7 and source.scroll_y > 0
        await press(pilot, "k", "k", "k", "k", "k", "k")
        assert source.current_passage() == 1 and source.scroll_y == 0


def cursor_words(app: App[object]) -> str:
    """The text of the paragraph under the Source tab's cursor, as drawn."""
    return " ".join(flat(plain(w)) for w in app.screen.query(".paragraph.-cursor"))


async def test_the_source_cursor_is_what_b_and_y_act_on() -> None:
    async with make_app(tab="source").run_test(size=SIZE, notifications=True) as pilot:
        app = pilot.app
        source = app.query_one(SourceView)
        assert source.current_passage() == 1 and cursor_words(app).startswith("All Of Us Are Dead is a South Korean")
        await press(pilot, "j", "j")
        assert source.current_passage() == 3
        under = cursor_words(app)
        assert under and under not in screen_text(app).split("\n")[0]
        await press(pilot, "y")
        assert collapse_space(under)[:60] in app.clipboard and app.clipboard.endswith("paragraph 3")
        await press(pilot, "b")
        await wait_for(pilot, lambda: any("Bookmarked." in t for t in toasts(app)), "the bookmark")
        assert ("source", vocabulary.passage_id(source.article.id, 3)) in app.bookmarks.marks  # type: ignore[union-attr]


async def test_page_keys_take_the_source_cursor_to_the_top_of_the_view() -> None:
    async with make_app(tab="source").run_test(size=(80, 16)) as pilot:
        source = pilot.app.query_one(SourceView)
        await press(pilot, "pagedown")
        top = source.current_passage()
        assert top is not None and top > 1
        assert source.scroll_y > 0
        await press(pilot, "pageup")
        assert source.current_passage() == 1


async def test_s_again_shows_the_next_citation_and_says_which_and_escape_goes_back_once() -> None:
    async with make_app().run_test(size=SIZE, notifications=True) as pilot:
        app = pilot.app
        await settle(pilot)
        await app.main.reveal_entry("rumors", "cheong-san-alive")
        await settle(pilot)
        entry = app.focused_entry()
        assert entry is not None and len(entry.cites) == 2
        highlights = []
        for shown in (1, 2, 1):
            await press(pilot, "s")
            source = app.query_one(SourceView)
            assert active_tab(app) == "source" and source.highlight is not None
            highlights.append(source.highlight)
            assert any(f"Citation {shown} of 2" in t for t in toasts(app))
        assert highlights[0] != highlights[1] and highlights[0] == highlights[2]
        await press(pilot, "escape")  # back to the rumor, not to the citation before
        assert active_tab(app) == "rumors" and app.focused_entry() is entry


# --- bookmarks (the `b` key of the app) -------------------------------------------------------------


async def test_b_bookmarks_the_focused_entry_and_b_again_removes_it() -> None:
    app = make_app(tab="cast")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "j", "b")
        await settle(pilot)
        await press(pilot, "5")
        await settle(pilot)
        assert "Yoon Chan-young" in screen_text(app)
        await press(pilot, "2", "b")
        await settle(pilot)
        await press(pilot, "5")
        await settle(pilot)
        assert "Yoon Chan-young" not in screen_text(app)


# --- help -----------------------------------------------------------------------------------------


def help_lines(app: AoadApp) -> list[str]:
    assert isinstance(app.screen, HelpScreen)
    return "\n".join(plain(static) for static in app.screen.query(Static)).splitlines()


@pytest.mark.parametrize("key", ["question_mark", "f1"])
async def test_help_lists_every_binding_and_escape_closes_it(key: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, key)
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        lines = help_lines(app)
        described = [
            b for _, bindings in help_sections(AoadApp) for b in bindings if isinstance(b, Binding) and b.description
        ]
        assert len(described) > len(AoadApp.BINDINGS)
        for binding in described:
            # A binding's line: its keys, spelled as the key bar spells them, then its description.
            rows = [line for line in lines if line.startswith("  ") and binding.description in line]
            matching = [re.split(r"[,\s]+", row.strip()) for row in rows]
            assert matching, f"{binding.description!r} is not in the help"
            keys = key_labels(binding, app.get_key_display).split(", ")
            assert any(all(k in words for k in keys) for words in matching), (binding.key, binding.description)
        assert "^q" in "\n".join(lines) and "ctrl+q" not in "\n".join(lines)  # as the key bar spells it
        assert "Command palette" in "\n".join(lines)
        assert "aoad-tui keys" in screen_text(app)
        await press(pilot, "escape")
        await settle(pilot)
        assert not isinstance(app.screen, HelpScreen)
        assert focus_is_in(app, "overview")


async def test_help_closes_with_its_own_keys() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pairs = [("f1", "question_mark"), ("question_mark", "f1"), ("f1", "q"), ("question_mark", "escape")]
        for opener, closer in pairs:
            await press(pilot, opener)
            assert isinstance(app.screen, HelpScreen), opener
            await press(pilot, closer)
            assert app.is_running, "q in the help closes it, it does not quit"
            assert len(app.screen_stack) == 1, f"{closer!r} did not close the help"
            assert focus_is_in(app, "overview")
        # The help is longer than 24 rows: j and k scroll it.
        await press(pilot, "question_mark")
        box = app.screen.query_one("#help-box", KeyScroll)
        assert box.max_scroll_y > 0, "the help should be longer than 24 rows for this test"
        await press(pilot, "j", "j", "j")
        await settle(pilot)
        assert box.scroll_y > 0
        await press(pilot, "k", "k", "k")
        await settle(pilot)
        assert box.scroll_y == 0


# --- search ---------------------------------------------------------------------------------------


async def test_slash_focuses_search_and_escape_clears_it() -> None:
    app = make_app(tab="quotes")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "slash")
        search = app.query_one("#search", Input)
        assert app.focused is search
        await press(pilot, *"zombie")
        assert search.value == "zombie"
        await press(pilot, "escape")
        await settle(pilot)
        assert search.value == ""
        assert active_tab(app) == "quotes"
        assert focus_is_in(app, "quotes")
        assert pane(app, "quotes").query_one(EntryList).region.height > 0, "the tab is displayed again"


async def test_letters_typed_in_search_are_text_not_keys() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "slash", *"qsy2")
        await settle(pilot)
        assert app.is_running
        assert app.query_one("#search", Input).value == "qsy2"
        assert app.clipboard == ""


# --- redrawing -------------------------------------------------------------------------------------


@pytest.mark.skipif(wire.PROBLEM is not None, reason=f"the wire is off with this Textual: {wire.PROBLEM}")
async def test_ctrl_l_makes_the_next_frame_write_every_row_again() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)

        def write_full_frame() -> str:
            # What the app would write for a full frame (the headless driver writes nothing).
            update = app.screen._compositor.render_update(full=True)
            return app.wire.render(update, app.console, app.size)

        assert "Season 1 was released on Netflix" in write_full_frame()
        assert write_full_frame() == ""  # the terminal already shows it: nothing to write
        await press(pilot, "ctrl+l")
        await settle(pilot)
        again = write_full_frame()
        assert "Season 1 was released on Netflix" in again and again.count("\x1b[") > SIZE[1]


async def test_ctrl_z_suspends_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    # The headless driver cannot suspend: this checks the key reaches Textual's suspend action
    # when a shell could continue the app; test_pty.py checks what stopping and continuing the
    # real process does to the screen, and the notice where there is no such shell.
    suspended: list[bool] = []
    monkeypatch.setattr(App, "action_suspend_process", lambda self: suspended.append(True))
    monkeypatch.setattr(os, "getsid", lambda pid: os.getpgrp() + 1)  # a shell leads the session
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "ctrl+z")
        await settle(pilot)
    assert suspended == [True]


async def test_ctrl_z_where_sessions_are_unknown_is_left_to_textual(monkeypatch: pytest.MonkeyPatch) -> None:
    # Windows has no sessions (no os.getsid): the key goes to Textual's suspend, which there does nothing.
    suspended: list[bool] = []
    monkeypatch.setattr(App, "action_suspend_process", lambda self: suspended.append(True))
    monkeypatch.delattr(os, "getsid")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "ctrl+z")
        await settle(pilot)
        assert app.is_running
    assert suspended == [True]


# --- quitting -------------------------------------------------------------------------------------


async def test_q_quits() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "q")
        await settle(pilot)
        assert not app.is_running
    assert app.return_code == 0


async def test_ctrl_q_quits_even_from_the_search_box() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "slash", "q")
        assert app.is_running
        await press(pilot, "ctrl+q")
        await settle(pilot)
        assert not app.is_running
    assert app.return_code == 0


async def test_ctrl_c_quits_even_from_the_search_box() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "slash", *"cheong")
        assert app.is_running
        await press(pilot, "ctrl+c")
        await settle(pilot)
        assert not app.is_running
    assert app.return_code == 0


# --- command palette ------------------------------------------------------------------------------


async def test_command_palette_go_to_rumors() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await press(pilot, *"Go to Rumors")

        def rumors_offered() -> bool:
            commands = app.screen.query_one(OptionList)
            if commands.highlighted is None:
                return False
            prompt = commands.get_option_at_index(commands.highlighted).prompt
            return "Go to Rumors" in str(getattr(prompt, "plain", prompt))

        await wait_for(pilot, rumors_offered, "the palette to offer 'Go to Rumors'")
        await press(pilot, "enter")
        await settle(pilot)
        assert not isinstance(app.screen, CommandPalette)
        assert active_tab(app) == "rumors"
        assert focus_is_in(app, "rumors")


# --- overview -------------------------------------------------------------------------------------


async def test_overview_shows_how_old_the_sources_are() -> None:
    app = make_app()
    assert app.today == TODAY
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert FRESHNESS in plain(app.query_one("#summary", Static))
        assert f"Sources {FRESHNESS}" in screen_text(app)


# --- terminal size --------------------------------------------------------------------------------

TOO_SMALL = "Terminal too small"


async def test_starting_in_a_tiny_terminal_shows_only_the_notice() -> None:
    app = make_app()
    async with app.run_test(size=(30, 8)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert TOO_SMALL in text
        assert "1 Overview" not in text
        await pilot.resize_terminal(40, 12)
        await settle(pilot)
        text = screen_text(app)
        assert TOO_SMALL not in text
        assert "1 Overview" in text


async def test_resizing_through_every_breakpoint_never_crashes() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "2", "j")
        sizes = [(30, 8), (40, 12), (80, 24), (200, 60), (39, 24), (80, 11), (120, 36), (39, 12), (40, 11), (40, 12)]
        for size in sizes:
            await pilot.resize_terminal(*size)
            await settle(pilot)
            assert app.is_running
            assert app.size == size
            text = screen_text(app)
            small = size[0] < 40 or size[1] < 12
            assert (TOO_SMALL in text) is small, (size, text)
            assert ("1 Overview" in text) is not small, (size, text)
            notice = app.query_one("#too-small", Static)
            assert notice.display is small
            assert app.query_one("#main").display is not small
        # The list kept its place through all of it.
        assert entry_list(app, "cast").highlighted == 1
        assert active_tab(app) == "cast"


async def test_focus_comes_back_after_the_terminal_was_too_small() -> None:
    app = make_app(tab="cast")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "j")
        await pilot.resize_terminal(30, 8)
        await settle(pilot)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert app.focused is entry_list(app, "cast")
        await press(pilot, "j")
        assert entry_list(app, "cast").highlighted == 2


async def test_wide_terminal_shows_a_preview_of_the_highlighted_entry() -> None:
    app = make_app(tab="cast")
    async with app.run_test(size=(120, 36)) as pilot:
        await press(pilot, "j")
        await settle(pilot)
        preview = pane(app, "cast").query_one(".preview-text", Static)
        assert preview.region.width > 0
        assert "Cheong-san" in plain(preview)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert pane(app, "cast").query_one(".preview").display is False


# --- quiet terminal over SSH ----------------------------------------------------------------------


async def test_over_ssh_no_animation_and_no_blinking_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 50000 10.0.0.2 22")
    monkeypatch.delenv("TEXTUAL_ANIMATIONS", raising=False)
    app = make_app(animations=True)
    assert app.animation_level == "none"
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "slash")
        await settle(pilot)
        search = app.query_one("#search", Input)
        assert app.focused is search
        assert search.cursor_blink is False
        assert app.animation_level == "none"


async def test_ssh_tty_alone_is_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSH_TTY", "/dev/pts/3")
    monkeypatch.delenv("TEXTUAL_ANIMATIONS", raising=False)
    app = make_app(animations=True)
    async with app.run_test(size=SIZE):
        assert app.animation_level == "none"
        assert app.query_one("#search", Input).cursor_blink is False


async def test_explicit_textual_animations_wins_over_ssh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 50000 10.0.0.2 22")
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "full")
    app = make_app(animations=True)
    async with app.run_test(size=SIZE):
        assert app.animation_level != "none"
        assert app.query_one("#search", Input).cursor_blink is True


async def test_locally_calm_but_the_cursor_blinks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEXTUAL_ANIMATIONS", raising=False)
    app = make_app(animations=True)
    async with app.run_test(size=SIZE):
        assert app.animation_level == "none"
        assert app.query_one("#search", Input).cursor_blink is True


async def test_textual_animations_can_turn_animations_on_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "full")
    app = make_app(animations=True)
    async with app.run_test(size=SIZE):
        assert app.animation_level == "full"


# --- every binding has a test here ----------------------------------------------------------------

# Binding id -> the test that presses it ("module:test" when it is not in this module). A new
# binding fails the check below until it is in the help and given a test listed here.
COVERED = {
    **{f"tab.{tab}": "test_number_keys_show_their_tab_and_focus_inside_it" for tab in TABS},
    "search": "test_slash_focuses_search_and_escape_clears_it",
    "source": "test_s_on_a_quote_shows_the_cited_passage_highlighted_and_in_view",
    "copy": "test_y_on_a_quote_copies_the_words_speaker_and_outlet",
    "bookmark": "test_b_bookmarks_the_focused_entry_and_b_again_removes_it",
    "help": "test_help_lists_every_binding_and_escape_closes_it",
    "palette": "test_command_palette_go_to_rumors",
    "quit": "test_q_quits",
    "quit.ctrl": "test_ctrl_q_quits_even_from_the_search_box",
    "quit.interrupt": "test_ctrl_c_quits_even_from_the_search_box",
    "redraw": "test_ctrl_l_makes_the_next_frame_write_every_row_again",
    "suspend": "test_ctrl_z_suspends_the_process",
    "back": "test_slash_focuses_search_and_escape_clears_it",
    "list.down": "test_j_k_down_up_move_the_highlight",
    "list.up": "test_j_k_down_up_move_the_highlight",
    "list.previous_tab": "test_l_and_h_walk_round_the_tabs_and_keep_focus",
    "list.next_tab": "test_l_and_h_walk_round_the_tabs_and_keep_focus",
    "source.previous_article": "test_brackets_change_article_in_the_source_tab",
    "source.next_article": "test_brackets_change_article_in_the_source_tab",
    "detail.back": "test_escape_or_h_returns_from_the_detail_to_the_same_row",
    "detail.back_h": "test_escape_or_h_returns_from_the_detail_to_the_same_row",
    "help.close": "test_help_closes_with_its_own_keys",
    "scroll.down": "test_enter_on_a_person_opens_their_detail_with_their_quote",
    "scroll.up": "test_source_tab_with_one_article",
    "bookmarks.remove": "test_bookmarks_app:test_remove_then_undo",
    "bookmarks.undo": "test_bookmarks_app:test_remove_then_undo",
    "bookmarks.note": "test_bookmarks_app:test_note_is_edited_saved_and_shown",
    "search.results": "test_search_app:test_down_moves_into_the_results",
    "note.cancel": "test_bookmarks_app:test_note_is_edited_saved_and_shown",
    "unsaved.retry": "test_app_hardening:test_quitting_with_unsaved_changes_asks_and_retry_saves_them",
    "unsaved.quit": "test_app_hardening:test_quit_anyway_leaves_at_once",
    "unsaved.stay": "test_app_hardening:test_quitting_with_unsaved_changes_asks_and_retry_saves_them",
    "news": "test_news_app:test_whats_new_lists_each_change_and_opens_it_in_its_tab",
    "news.close": "test_news_app:test_whats_new_lists_each_change_and_opens_it_in_its_tab",
    "news.seen": "test_news_app:test_marking_all_seen_drops_every_marker_and_the_next_visit_starts_from_this_one",
    "filter": "test_news_app:test_a_filter_narrows_a_list_and_says_what_it_hides",
    "filter.close": "test_news_app:test_a_filter_narrows_a_list_and_says_what_it_hides",
}


def package_bindings() -> dict[str, list[Binding]]:
    """Every binding that a class of the package declares itself, by the class that declares it."""
    found: dict[str, list[Binding]] = {}
    for module_info in pkgutil.walk_packages(aoad_tui.__path__, "aoad_tui."):
        module = importlib.import_module(module_info.name)
        for owner in vars(module).values():
            if isinstance(owner, type) and owner.__module__ == module.__name__ and "BINDINGS" in vars(owner):
                found[owner.__name__] = [b for b in vars(owner)["BINDINGS"] if isinstance(b, Binding)]
    return found


def pressed_in(test: Callable[..., object]) -> set[str]:
    """The keys a test's source names: its string literals, each character of one it splats
    (`press(pilot, *"jjj")`), and the values of a module's table of keys it reads (TAB_KEYS)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(test)))
    texts = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    splatted = [node.value for node in ast.walk(tree) if isinstance(node, ast.Starred)]
    texts |= {c for node in splatted if isinstance(node, ast.Constant) for c in str(node.value)}
    module = vars(sys.modules[test.__module__])
    tables = [module.get(node.id) for node in ast.walk(tree) if isinstance(node, ast.Name)]
    return texts | {key for table in tables if isinstance(table, dict) for key in table.values() if type(key) is str}


def test_every_binding_of_the_package_is_in_the_help_and_has_a_test_that_presses_it() -> None:
    declared = package_bindings()
    assert {"AoadApp", "EntryList", "BookmarkList", "SearchResults", "SourceView", "NoteScreen"} <= set(declared)
    in_help = {b.id for _, bindings in help_sections(AoadApp) for b in bindings if isinstance(b, Binding)}
    ids = {binding.id or f"{owner}:{binding.key}" for owner, bindings in declared.items() for binding in bindings}
    assert not sorted(ids - in_help), f"bindings the help does not list: {sorted(ids - in_help)}"
    untested = sorted(ids - set(COVERED))
    assert not untested, f"bindings without a test: {untested}"
    by_id = {binding.id: binding for bindings in declared.values() for binding in bindings if binding.id}
    unpressed = []
    for binding_id, name in COVERED.items():
        module, _, test = name.rpartition(":")
        where = importlib.import_module(module) if module else sys.modules[__name__]
        assert hasattr(where, test), f"COVERED names a test that does not exist: {name}"
        keys = [key.strip() for key in by_id[binding_id].key.split(",")]
        named = pressed_in(getattr(where, test))
        if not any(key in named or key_to_character(key) in named for key in keys):
            unpressed.append(f"{binding_id} ({', '.join(keys)}) in {name}")
    assert not unpressed, f"tests that do not press their binding's key: {unpressed}"


async def test_a_burst_of_j_moves_the_source_cursor_as_many_paragraphs_as_keys() -> None:
    async with make_app(tab="source").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        source = pilot.app.query_one(SourceView)
        for _ in range(10):
            pilot.app.post_message(key_event("j"))
        await settle(pilot)
        assert source.current_passage() == 11
        for _ in range(4):
            pilot.app.post_message(key_event("k"))
        await settle(pilot)
        assert source.current_passage() == 7
        (under,) = pilot.app.screen.query(".paragraph.-cursor")
        assert source.scroll_y <= under.virtual_region.y < source.scroll_y + source.scrollable_content_region.height


@pytest.mark.parametrize("where", ["help", "detail"])
async def test_a_burst_of_j_scrolls_as_many_lines_as_keys(where: str) -> None:
    """Ten j sent at once, as a held key repeats them, before the app has drawn any: ten lines."""
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, *{"help": ["question_mark"], "detail": ["2", "down", "enter"]}[where])
        await wait_for(pilot, lambda: isinstance(pilot.app.focused, KeyScroll), f"{where} focused")
        view = pilot.app.focused
        assert isinstance(view, KeyScroll)
        assert view.max_scroll_y >= 10, f"{where}: too short to tell ({view.max_scroll_y})"
        for _ in range(10):
            pilot.app.post_message(key_event("j"))
        await settle(pilot)
        assert view.scroll_y == 10
        for _ in range(4):
            pilot.app.post_message(key_event("k"))
        await settle(pilot)
        assert view.scroll_y == 6


async def test_the_season_line_stays_on_the_smallest_screen() -> None:
    async with make_app().run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        text = flat(screen_text(pilot.app))
        assert "Season 2: announced" in text and "postponed to 2026" in text


async def test_escape_after_s_goes_back_to_the_detail_then_to_the_list() -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await settle(pilot)
        await press(pilot, "2", "down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen), "the detail")
        entry = app.screen.entry
        await press(pilot, "s")
        assert active_tab(app) == "source" and not isinstance(app.screen, DetailScreen)
        await press(pilot, "escape")  # back to the detail s came from
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen), "the detail again")
        assert app.screen.entry is entry
        await press(pilot, "escape")  # and from there, to the list, on the same row
        assert active_tab(app) == "cast" and app.focused_entry() is entry


async def test_escape_after_s_from_a_searched_detail_goes_back_to_the_results_as_they_were() -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await wait_for(pilot, lambda: app.search_index is not None, "the search index")
        await press(pilot, "slash", *"cheong", "enter", "down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen), "the detail")
        entry = app.screen.entry
        await press(pilot, "s")
        assert active_tab(app) == "source" and app.query_one(TabbedContent).display
        await press(pilot, "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen), "the detail again")
        assert app.screen.entry is entry
        await press(pilot, "escape")
        results = app.query_one(SearchResults)
        assert app.query_one(SearchInput).value == "cheong" and app.focused is results
        assert results.highlighted == 1 and results.current_entry is entry


async def test_a_citations_wrapped_lines_start_under_its_passage_not_under_its_number() -> None:
    async with make_app().run_test(size=(60, 40)) as pilot:
        app = pilot.app
        await settle(pilot)
        await app.main.reveal_entry("rumors", "cheong-san-alive")
        await press(pilot, "enter")
        assert isinstance(app.screen, DetailScreen)
        lines = screen_text(app).splitlines()
        first = next(n for n, line in enumerate(lines) if re.match(r"\s*│?\s*1\. “", line))
        start = lines[first].index("“")
        following = lines[first + 1 : first + 4]
        assert following, lines
        for line in following:  # the passage goes on, then its source: all under the passage's first letter
            text_at = len(line) - len(line.lstrip())
            assert text_at >= start, (lines[first], line)
            assert line[start - 3 : start].strip() == "", line


async def test_escape_walks_back_through_tabs_rows_and_the_source_position() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = pilot.app
        await press(pilot, "2", "down", "down")
        cast_row = app.focused_entry()
        await press(pilot, "6", "j", "j", "j", "j", "j")
        source = app.query_one(SourceView)
        assert source.current_passage() == 6
        await press(pilot, "4", "up")  # a tab further, then a jump to an entry of another tab
        await app.main.reveal_entry("cast", "lomon")
        await settle(pilot)
        assert active_tab(app) == "cast" and app.focused_entry() is not cast_row
        await press(pilot, "escape")  # back from the jump: the rumors tab
        assert active_tab(app) == "rumors"
        await press(pilot, "escape")  # the source, on the paragraph left
        assert active_tab(app) == "source" and source.current_passage() == 6
        await press(pilot, "escape")  # the cast, on the row left
        assert active_tab(app) == "cast" and app.focused_entry() is cast_row
        await press(pilot, "escape", "escape")  # the Overview, then nothing further back
        assert active_tab(app) == "overview"


async def test_a_bookmark_opened_goes_back_to_its_row_with_escape(isolated_dirs: Path) -> None:
    from aoad_tui.model.bookmarks import Bookmark, BookmarkStore

    store = BookmarkStore(isolated_dirs)
    store.load()
    for kind, entry_id in (("person", "lomon"), ("rumor", "cheong-san-alive"), ("person", "park-ji-hu")):
        store.add(Bookmark(kind, entry_id, "2026-11-01T08:00:00Z"))
    async with make_app(tab="bookmarks").run_test(size=SIZE) as pilot:
        app = pilot.app
        await press(pilot, "down", "enter")
        assert active_tab(app) == "rumors" and app.focused_entry().id == "cheong-san-alive"  # type: ignore[union-attr]
        await press(pilot, "escape")
        assert active_tab(app) == "bookmarks" and app.focused.highlighted == 1  # type: ignore[union-attr]


# Keys a browser keeps for itself (a tab closed, opened, a window, a reload): served in a browser
# (`aoad-tui serve --web`) the app never hears them, so no binding may need them.
BROWSER_KEYS = {"ctrl+w", "ctrl+t", "ctrl+n", "ctrl+r", "ctrl+shift+w", "ctrl+shift+t", "ctrl+shift+n", "ctrl+tab"}


def test_no_binding_needs_a_key_a_browser_keeps() -> None:
    bindings = [b for _, section in help_sections(AoadApp) for b in section if isinstance(b, Binding)]
    assert len(bindings) > 30
    taken = [(b.id, key) for b in bindings for key in b.key.split(",") if key.strip() in BROWSER_KEYS]
    assert not taken, f"bindings on keys a browser keeps: {taken}"
