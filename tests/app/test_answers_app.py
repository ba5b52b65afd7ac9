"""The answer line in the app: a fan's question shows, first, what the best entry says, how sure it
is, as of when, and the passage it cites; a name or a keyword shows results only."""

from __future__ import annotations

from support.helpers import flat, make_app, press, screen_text, settle
from test_search_app import option_text, results, type_query

from aoad_tui.model.filters import FILTERS
from aoad_tui.screens.detail import DetailScreen
from aoad_tui.widgets.search_results import SearchResults

SIZE = (80, 24)


async def test_a_question_shows_its_answer_first() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await type_query(pilot, "when does s2 come out")
        shown = results(app)
        # standing on the latest step, "postponed to 2026", though "no exact date" ranked first
        assert shown.answer is not None and shown.answer.result.id == "season-2-postponed-2026"
        assert shown.shown_items()[0] is shown.answer.result
        row = option_text(shown, 0).plain
        assert row.startswith("Answer")
        # the whole timeline, not "no exact date" alone: each step with its status and passage
        assert "Season 2: announced · first planned for 2025 · postponed to 2026 · no release date announced" in row
        assert "as of 2025-04-16" in row
        # a line a step, its passage cut at a word to fit 80 columns (whole in the detail)
        steps = row.split("\n")[2:]
        assert len(steps) == 4 and all(len(line) <= 76 for line in steps), steps
        assert steps[2].strip().startswith("postponed to 2026 [confirmed] “its release was later postponed")
        assert steps[3].strip().startswith("no release date announced [confirmed] “Regardless, the exact date")
        # on screen, at 80 columns, the answer reads whole before the other results
        text = flat(screen_text(app))
        assert text.index("Answer") < text.index("The exact release date of season 2 has not yet been announced.")


async def test_an_unconfirmed_answer_says_so() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await type_query(pilot, "why was it delayed")
        row = option_text(results(app), 0).plain
        assert "The reason behind the postponement of season 2" in row
        assert "[reported] by Star News, not confirmed as of 2025-04-16" in row
        assert "Star News, explained that the reason behind the season's postponement" in row


async def test_a_name_or_a_tie_shows_no_answer() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await type_query(pilot, "lomon")
        assert results(app).answer is None
        assert not option_text(results(app), 0).plain.startswith("Answer")
        await press(pilot, "escape")
        app = await type_query(pilot, "who is in the cast")  # four people, none of them the answer
        assert results(app).answer is None


async def test_enter_on_the_answer_opens_its_entry() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await type_query(pilot, "why was it delayed")
        await press(pilot, "enter", "enter")  # into the results, then open the first
        assert isinstance(app.screen, DetailScreen)
        assert app.focused_entry() is not None and app.focused_entry().id == "postponement-reason"


async def test_a_result_shows_its_timeline_label() -> None:
    """The year "2025" finds what Netflix initially announced, and says that it was initially."""
    async with make_app().run_test(size=SIZE) as pilot:
        app = await type_query(pilot, "2025")
        shown: SearchResults = results(app)
        first = shown.shown_items()[0]
        assert first.id == "season-2-planned-2025"
        head = option_text(shown, 0).plain.split("\n")[0]
        assert "initially" in head.lower() and "[announced]" in head and "Initially" in head


async def test_the_app_says_what_the_sources_know_nothing_about() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await type_query(pilot, "who plays nam-ra")
        text = screen_text(app)
        assert "Nothing in the sources about nam-ra." in text
        assert results(app).answer is None and not option_text(results(app), 0).plain.startswith("Answer")
        # above the results, which still show: a person's row says who they are
        assert text.index("Nothing in the sources") < text.index("Lomon")
        assert "Lomon  Cast of the 2022 series" in text
        await press(pilot, "escape")
        assert "Nothing in the sources" not in screen_text(app)
        app = await type_query(pilot, "lomon")  # every word known: no such line
        assert "Nothing in the sources" not in screen_text(app)


async def test_a_new_query_starts_unfiltered_and_a_filter_never_hides_the_answer() -> None:
    from test_news_app import choose_filter

    async with make_app().run_test(size=SIZE) as pilot:
        app = await type_query(pilot, "cast")
        await press(pilot, "down")
        await choose_filter(pilot, "expected")
        assert results(app).status_filter.label == "expected"
        await press(pilot, "escape", "escape")  # out of the search
        app = await type_query(pilot, "when does s2 come out")
        shown = results(app)
        assert shown.status_filter.label != "expected" and shown.shown_items() == shown.found
        assert option_text(shown, 0).plain.startswith("Answer")
        assert "Only expected" not in screen_text(app)
        # a box emptied by hand is a new query too
        await press(pilot, "down")
        await choose_filter(pilot, "expected")
        await press(pilot, "slash", *["backspace"] * len("when does s2 come out"))
        assert results(app).status_filter.label != "expected"


async def test_a_filter_never_hides_the_answer() -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await type_query(pilot, "when does s2 come out")
        shown = results(app)
        answer = shown.answer
        assert answer is not None and answer.status == "confirmed"
        shown.set_filter(next(f for f in FILTERS if f.label == "expected"))
        await settle(pilot)
        assert shown.shown_items()[0] is answer.result and option_text(shown, 0).plain.startswith("Answer")
        assert all(r.status == "expected" for r in shown.shown_items()[1:])
