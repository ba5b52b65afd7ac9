"""Search in the app, driven with its keys at 80x24: `/`, typing, arrows, enter, escape, ctrl+p."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from support.helpers import active_tab, flat, key_event, make_app, press, screen_text, settle, toasts
from textual import events
from textual.command import CommandPalette
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, TabbedContent, TabPane

import aoad_tui.app
import aoad_tui.model.search
import aoad_tui.widgets.search_pane
from aoad_tui.app import AoadApp
from aoad_tui.model.answer import ask
from aoad_tui.model.filters import FILTERS
from aoad_tui.model.search import Result
from aoad_tui.model.vocabulary import TABS
from aoad_tui.screens.detail import DetailScreen
from aoad_tui.widgets.entry_list import EntryList
from aoad_tui.widgets.search_pane import INDEX_BUILDING
from aoad_tui.widgets.search_results import MATCH_STYLE, MAX_QUERY, QUERY_CUT, SearchInput, SearchResults
from aoad_tui.widgets.source_view import HIGHLIGHT, SourceView

SIZE = (80, 24)
ARTICLE = "000_87d513006f32d67f"


# --- helpers ----------------------------------------------------------------------------------------


async def wait_for(pilot: Pilot[object], condition: Callable[[], bool], what: str, tries: int = 200) -> None:
    """Pause until `condition` holds (the index and the searches run in threads)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def ready(pilot: Pilot[object]) -> AoadApp:
    """The app once its search index is built: started now, as the first letter typed starts it,
    not half a second after start (a test of its own covers that)."""
    app = pilot.app
    assert isinstance(app, AoadApp)
    app.main.search.ensure_index()
    await wait_for(pilot, lambda: app.search_index is not None, "the search index")
    return app


def results(app: AoadApp) -> SearchResults:
    return app.query_one("#results", SearchResults)


def search_box(app: AoadApp) -> Input:
    return app.query_one("#search", Input)


def expected(app: AoadApp, query: str) -> list[Result]:
    """What the engine finds for `query`, as the app asks for it (the answer's entry first)."""
    assert app.search_index is not None
    return ask(app.knowledge, app.search_index, query)[0]


def shown_ids(app: AoadApp) -> list[str]:
    return [r.id for r in results(app).shown_items()]


async def type_query(pilot: Pilot[object], query: str) -> AoadApp:
    """Press / and type the query, one key at a time, then wait until its results are shown."""
    app = await ready(pilot)
    await press(pilot, "slash", *query)
    want = [r.id for r in expected(app, query)]
    await wait_for(pilot, lambda: shown_ids(app) == want and bool(want), f"the results for {query!r}")
    return app


def searching(app: AoadApp) -> bool:
    return not app.query_one(TabbedContent).display and app.query_one(SearchResults).display


def pane(app: AoadApp, tab: str) -> TabPane:
    return app.query_one(f"TabPane#{tab}", TabPane)


def option_text(option_list: OptionList, index: int) -> Content:
    prompt = option_list.get_option_at_index(index).prompt
    assert isinstance(prompt, Content)
    return prompt


# --- typing shows results -----------------------------------------------------------------------


async def test_slash_focuses_the_search_box() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await press(pilot, "slash")
        assert app.focused is search_box(app)
        assert isinstance(app.focused, SearchInput)
        assert not searching(app)


async def test_every_printable_character_typed_lands_in_the_search_box_as_typed() -> None:
    """Brackets, quotes and slashes are text in the box, not keys that do something else (and the
    tests' press() sends each one as a terminal names it)."""
    typed = "".join(chr(code) for code in range(0x20, 0x7F)) + "é한"
    async with make_app().run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await press(pilot, "slash")
        for character in typed:  # as fast as a terminal delivers them: all queued, then handled
            app.post_message(key_event(character))
        await settle(pilot)
        assert search_box(app).value == typed
        assert app.focused is search_box(app)


CUT = f"Search {QUERY_CUT}"  # a toast shows its title, then its text


async def test_the_search_box_holds_a_query_and_says_once_when_what_is_typed_is_cut() -> None:
    typed = "".join(f"word{n} " for n in range(60))  # 430 characters
    async with make_app().run_test(size=SIZE, notifications=True) as pilot:
        app = await ready(pilot)
        await press(pilot, "slash")
        for character in typed:
            app.post_message(key_event(character))
        await settle(pilot)
        assert search_box(app).value == typed[:MAX_QUERY]
        assert toasts(app) == [CUT]  # said once, not once a key
        # A paste past the room left is cut to it, where the cursor is.
        await press(pilot, "home", "delete", "delete")
        app.post_message(events.Paste("ABCDEFG"))
        await settle(pilot)
        assert search_box(app).value == "AB" + typed[2:MAX_QUERY]
        assert toasts(app) == [CUT, CUT]  # room was made, then the box was full again
        want = [r.id for r in expected(app, search_box(app).value)]
        assert shown_ids(app) == want  # the results are those of what the box holds


async def test_typing_shows_results_without_enter() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await type_query(pilot, "cheong")
        assert app.focused is search_box(app)  # no enter was pressed: still typing
        assert search_box(app).value == "cheong"
        assert searching(app)
        assert not app.query_one(TabbedContent).display
        assert results(app).display
        assert shown_ids(app)[0] == "yoon-chan-young"
        await settle(pilot)
        screen = screen_text(app)
        assert "1 Overview" not in screen  # the tab bar is hidden while searching
        first_row = screen.splitlines()[1]
        assert "person" in first_row and "Yoon Chan-young" in first_row and "confirmed" in first_row
        assert "Cheong-san" in screen
        assert "source" in screen and "paragraph 6" in flat(screen)


async def test_a_row_shows_kind_title_status_and_the_match_highlighted() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await type_query(pilot, "starnews")  # a name, not a question: no answer line
        row = option_text(results(app), 0)
        head, snippet = row.plain.split("\n", 1)
        assert head.startswith("rumor")
        assert "The reason behind the postponement" in head and "reported" in head
        marked = [row.plain[s.start : s.end] for s in row.spans if s.style == MATCH_STYLE]
        assert "".join(marked).replace(" ", "") == "StarNews"
        assert "Star News" in snippet


async def test_results_follow_every_keystroke() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await press(pilot, "slash")
        for prefix in ("l", "lo", "lom", "lomo", "lomon"):
            await press(pilot, prefix[-1])
            want = [r.id for r in expected(app, prefix)]
            await wait_for(pilot, lambda want=want: shown_ids(app) == want, f"the results for {prefix!r}")
        assert shown_ids(app)[0] == "lomon"
        await press(pilot, *["backspace"] * 5, *"yoo")
        await wait_for(pilot, lambda: shown_ids(app)[:1] == ["yoon-chan-young"], "the results for 'yoo'")
        assert shown_ids(app) == [r.id for r in expected(app, "yoo")]


async def test_a_query_without_results_shows_an_empty_list_and_still_hides_the_tabs() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await type_query(pilot, "lomon")
        await press(pilot, *"zzq")
        await wait_for(pilot, lambda: shown_ids(app) == [], "no results for 'lomonzzq'")
        assert searching(app)
        # Never a blank pane: what matched nothing, and the nearest word the sources have.
        await wait_for(pilot, lambda: "Did you mean “lomon”?" in flat(screen_text(app)), "a hint")
        await press(pilot, "down")
        assert app.focused is search_box(app)  # nothing to move into


async def test_clearing_the_box_by_hand_brings_the_tabs_back() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await type_query(pilot, "yoo")
        await press(pilot, *["backspace"] * 3)
        await wait_for(pilot, lambda: not searching(app), "the tabs to come back")
        assert app.query_one(TabbedContent).display
        assert shown_ids(app) == []


async def test_typing_before_the_index_is_built_shows_results_once_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    real_build = aoad_tui.model.search.build_index

    def slow_build(knowledge: object) -> object:
        release.wait(10)
        return real_build(knowledge)  # type: ignore[arg-type]

    monkeypatch.setattr(aoad_tui.model.search, "build_index", slow_build)
    async with make_app().run_test(size=SIZE) as pilot:
        app = pilot.app
        assert isinstance(app, AoadApp)
        await press(pilot, "slash", *"lomon")
        # Never a blank pane: it says the search is getting ready.
        await wait_for(pilot, lambda: INDEX_BUILDING in screen_text(app), "the search saying it is getting ready")
        assert app.search_index is None
        assert shown_ids(app) == []
        release.set()
        await wait_for(pilot, lambda: shown_ids(app)[:1] == ["lomon"], "the results once the index is built")
        await settle(pilot)
        # And they stay: no search made before the index was there (it found nothing) shows after it.
        assert shown_ids(app)[:1] == ["lomon"]
        assert searching(app)


async def test_a_filter_that_hides_every_result_counts_what_the_next_letter_finds() -> None:
    denied = next(f for f in FILTERS if f.id == "denied")
    async with make_app().run_test(size=SIZE) as pilot:
        app = await type_query(pilot, "act")
        before, after = expected(app, "act"), expected(app, "actu")
        assert len(before) != len(after) and not any(denied.keeps(r.status) for r in before + after)
        await press(pilot, "down", "f", "home", *["j"] * FILTERS.index(denied), "enter")
        assert f"{len(before)} found, none denied" in flat(screen_text(app))
        await press(pilot, "slash", "end", "u")
        assert search_box(app).value == "actu"
        shown = flat(screen_text(app))
        assert f"{len(after)} found, none denied" in shown, shown
        assert f"Only denied · {len(after)} hidden" in shown, shown


# --- moving into the results and opening one ---------------------------------------------------------


async def test_down_moves_into_the_results() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await type_query(pilot, "cheong")
        await press(pilot, "down")
        assert app.focused is results(app)
        assert results(app).highlighted == 0
        await press(pilot, "down")
        assert results(app).highlighted == 1
        assert results(app).current_item == expected(app, "cheong")[1]


async def test_enter_in_the_box_moves_into_the_results() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await type_query(pilot, "lomon")
        await press(pilot, "enter")
        assert app.focused is results(app)
        assert results(app).current_item is not None
        assert results(app).current_item.id == "lomon"
        assert searching(app)  # enter did not open anything yet


@pytest.mark.parametrize(
    ("query", "kind", "entry_id", "tab"),
    [
        ("All Of U Are Dead", "show", "all-of-us-are-dead", "overview"),
        ("cliffhanger", "fact", "season-1-cliffhanger", "overview"),
        ("lomon", "person", "lomon", "cast"),
        ("Cheong-san", "person", "yoon-chan-young", "cast"),
        ("personally", "quote", "yoon-chan-young-hopes-alive", "quotes"),
        ("Star News", "rumor", "postponement-reason", "rumors"),
    ],
)
async def test_enter_on_a_result_opens_its_detail_and_escape_comes_back_to_the_results(
    query: str, kind: str, entry_id: str, tab: str
) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await type_query(pilot, query)
        await press(pilot, "down")
        chosen = results(app).current_item
        assert chosen is not None and (chosen.kind, chosen.id) == (kind, entry_id)
        highlighted = results(app).highlighted
        await press(pilot, "enter")
        assert isinstance(app.screen, DetailScreen) and app.screen.entry.id == entry_id
        assert app.focused_entry() is not None and app.focused_entry().id == entry_id  # b, y, s act on it
        await press(pilot, "escape")
        # back where the fan was: the query, its results, the same one highlighted and focused
        assert app.screen is app.main and searching(app)
        assert search_box(app).value == query and app.focused is results(app)
        assert results(app).highlighted == highlighted and results(app).current_item.id == entry_id
        # its tab is a key away
        await press(pilot, "enter", next(t.key for t in TABS if t.id == tab))
        assert active_tab(app) == tab and app.query_one(TabbedContent).display and not searching(app)


async def test_enter_opens_the_result_that_is_highlighted_not_the_first() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await type_query(pilot, "supporting")
        assert shown_ids(app)[:4] == ["lee-eun-saem", "lim-jae-hyeok", "ha-seung-ri", "kim-bo-yun"]
        await press(pilot, "down", "down", "down", "down")
        assert results(app).current_item is not None
        assert results(app).current_item.id == "kim-bo-yun"
        await press(pilot, "enter")
        assert isinstance(app.screen, DetailScreen) and app.screen.entry.id == "kim-bo-yun"
        assert "Kim Bo-yun" in screen_text(app)


def highlighted(source: SourceView) -> list[tuple[int, str]]:
    """(paragraph number, highlighted text) of every highlighted span in the Source tab."""
    found = []
    for number, paragraph in enumerate(source.query(".paragraph"), 1):
        content = paragraph.render()
        assert isinstance(content, Content)
        found += [(number, content.plain[s.start : s.end]) for s in content.spans if s.style == HIGHLIGHT]
    return found


@pytest.mark.parametrize(
    ("query", "number", "words"), [("consoled", 2, "finally consoled"), ("holding on to", 11, "holding on")]
)
async def test_a_source_result_opens_the_source_tab_on_the_passage(query: str, number: int, words: str) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await type_query(pilot, query)
        passage = expected(app, query)[0]
        assert (passage.kind, passage.id) == ("source", f"{ARTICLE}#{number}")
        await press(pilot, "down", "enter")
        source = app.query_one(SourceView)
        await wait_for(pilot, lambda: bool(highlighted(source)), "the passage to be highlighted")
        await pilot.pause(0.1)
        assert active_tab(app) == "source"
        assert app.focused is source
        assert source.highlight == passage.document.span
        assert [n for n, _ in highlighted(source)] == [number]
        assert words in highlighted(source)[0][1]
        # scrolled to: the highlighted paragraph is on screen
        paragraph = list(source.query(".paragraph"))[number - 1]
        top = paragraph.virtual_region.y
        assert source.scroll_y <= top < source.scroll_y + source.scrollable_content_region.height
        assert words.rsplit(maxsplit=1)[-1] in screen_text(app)
        assert not searching(app)


# --- escape ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["box", "results"])
async def test_escape_clears_the_search_and_brings_the_tabs_back(where: str) -> None:
    async with make_app(tab="cast").run_test(size=SIZE) as pilot:
        app = await type_query(pilot, "lomon")
        if where == "results":
            await press(pilot, "down")
            assert app.focused is results(app)
        await press(pilot, "escape")
        await settle(pilot)
        assert search_box(app).value == ""
        assert not searching(app)
        assert app.query_one(TabbedContent).display
        assert shown_ids(app) == []
        assert active_tab(app) == "cast"
        assert app.focused is not None and pane(app, "cast") in app.focused.ancestors
        assert "2 Cast" in screen_text(app)
        # and the box starts empty next time
        await press(pilot, "slash")
        assert search_box(app).value == ""


# --- fast typing ------------------------------------------------------------------------------------


def record_shown(app: AoadApp) -> list[tuple[str, list[str]]]:
    """Record (the box's text, the result ids) every time the results list is filled."""
    shown: list[tuple[str, list[str]]] = []
    widget = results(app)
    original = widget.show

    def show(found: list[Result], *args: object, **kwargs: object) -> None:
        shown.append((search_box(app).value, [r.id for r in found]))
        original(found, *args, **kwargs)  # type: ignore[arg-type]

    widget.show = show  # type: ignore[method-assign]
    return shown


@pytest.mark.parametrize("query", ["zombie apocalypse", "cheong san alive", "All Of U Are Dead"])
async def test_fast_typing_ends_with_the_results_of_the_final_query(query: str) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await press(pilot, "slash")
        shown = record_shown(app)
        await press(pilot, *query)  # as fast as the app takes them
        want = [r.id for r in expected(app, query)]
        await wait_for(pilot, lambda: bool(shown) and shown[-1] == (query, want), f"the results for {query!r}")
        await pilot.pause(0.2)  # nothing older arrives later
        assert shown[-1] == (query, want)
        assert shown_ids(app) == want
        # whatever was shown on the way was the results of what the box held at that moment
        for value, ids in shown:
            assert ids == [r.id for r in expected(app, value)], value


async def test_keys_sent_back_to_back_show_only_the_final_results(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every key posted before the app handles any: with the index searched in a thread (as a big
    one is), older searches are cancelled or dropped."""
    monkeypatch.setattr(aoad_tui.widgets.search_pane, "AT_ONCE", 0)
    query = "netflix initially announced"
    async with make_app().run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await press(pilot, "slash")
        shown = record_shown(app)
        for char in query:
            app.post_message(events.Key(char if char != " " else "space", char))
        want = [r.id for r in expected(app, query)]
        await wait_for(pilot, lambda: search_box(app).value == query and shown_ids(app) == want, "the final results")
        await pilot.pause(0.2)
        assert shown[-1] == (query, want)
        assert len(shown) < len(query)  # most searches never reached the screen
        for value, ids in shown:
            assert ids == [r.id for r in expected(app, value)], value


# --- the command palette -------------------------------------------------------------------------


def palette_offers(app: AoadApp, label: str) -> bool:
    if not isinstance(app.screen, CommandPalette):
        return False
    commands = app.screen.query_one(OptionList)
    if commands.highlighted is None:
        return False
    prompt = commands.get_option_at_index(commands.highlighted).prompt
    return label in str(getattr(prompt, "plain", prompt))


@pytest.mark.parametrize(
    ("typed", "label", "tab", "entry_id"),
    [
        ("Kim Bo-yun", "person: Kim Bo-yun", "cast", "kim-bo-yun"),
        ("cheongsan", "person: Yoon Chan-young", "cast", "yoon-chan-young"),
        ("star news", "rumor: The reason behind the postponement", "rumors", "postponement-reason"),
    ],
)
async def test_the_palette_finds_an_entry_and_jumps_to_it(typed: str, label: str, tab: str, entry_id: str) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await press(pilot, "ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await press(pilot, *typed)
        await wait_for(pilot, lambda: palette_offers(app, label), f"the palette to offer {label!r}")
        await press(pilot, "enter")
        await settle(pilot)
        assert not isinstance(app.screen, CommandPalette)
        assert active_tab(app) == tab
        assert isinstance(app.focused, EntryList)
        assert app.focused.current_entry is not None and app.focused.current_entry.id == entry_id


async def test_the_palette_opens_a_passage_in_the_source_tab() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await press(pilot, "ctrl+p")
        await settle(pilot)
        await press(pilot, *"consoled")
        await wait_for(pilot, lambda: palette_offers(app, "source: "), "the palette to offer the passage")
        await press(pilot, "enter")
        source = app.query_one(SourceView)
        await wait_for(pilot, lambda: bool(highlighted(source)), "the passage to be highlighted")
        assert active_tab(app) == "source"
        assert app.focused is source
        assert [n for n, _ in highlighted(source)] == [2]


async def test_a_small_index_shows_each_letters_results_at_once() -> None:
    """The bundled index is searched as the box changes, before the letter is drawn: the results
    are there as soon as the key has been handled, with no thread to wait for."""
    async with make_app().run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await press(pilot, "slash")
        for typed in ("l", "lo", "lom", "lomo", "lomon"):
            await press(pilot, typed[-1])
            assert search_box(app).value == typed
            assert shown_ids(app) == [r.id for r in expected(app, typed)], typed
