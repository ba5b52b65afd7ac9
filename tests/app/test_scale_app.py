"""Lists and the Source view cost what the screen shows: rows and article blocks are built a window
at a time, and everything still works across the window's edge (the keys, a jump to an entry or a
passage, bookmarks, filters)."""

from __future__ import annotations

import importlib.util
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from support import TESTS
from support.helpers import knowledge_from, make_app, press, screen_text, settle, starred, wait_for
from support.knowledge import changed
from support.packs import FACT_ID, LAST_WORDS, LONG_ARTICLE, with_long_article
from textual.pilot import Pilot

from aoad_tui.model.cache import Signature, load_cached, save_cached, signature
from aoad_tui.model.entries import Article, Entry, KnowledgeBase, overview_order
from aoad_tui.model.filters import FILTERS, StatusFilter
from aoad_tui.model.paths import bundled_seeds
from aoad_tui.model.text import locate, paragraph_spans
from aoad_tui.widgets import entry_list, source_view
from aoad_tui.widgets.entry_list import EntryList
from aoad_tui.widgets.source_view import SourceView, blocks_of

SIZE = (80, 24)
SURE = next(f for f in FILTERS if f.id == "sure")


@pytest.fixture(scope="module")
def pack_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,000 generated entries (tests/bench/generate_seeds.py)."""
    spec = importlib.util.spec_from_file_location("generate_seeds", TESTS / "bench" / "generate_seeds.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return Path(module.generate_seeds(tmp_path_factory.mktemp("pack") / "seeds", articles=50, entries=2000, files=4))


@pytest.fixture(scope="module")
def pack(pack_seeds: Path) -> KnowledgeBase:
    return knowledge_from(pack_seeds)


@pytest.fixture(scope="module")
def long_article(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The bundled seeds and a 1.5 MB transcript, the newest article (its 2,001st paragraph is
    200,000 characters long)."""
    return knowledge_from(with_long_article(bundled_seeds(), tmp_path_factory.mktemp("long") / "seeds", 1.5))


@pytest.fixture(scope="module")
def pack_cache(
    pack_seeds: Path, pack: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Signature | None]:
    """The pack in a knowledge cache, as a warm start finds it."""
    cache = tmp_path_factory.mktemp("cache") / "knowledge.pickle"
    save_cached(cache, signature(pack_seeds), pack)
    return cache, signature(pack_seeds)


@pytest.fixture(params=["loaded", "warm"])
def started(
    request: pytest.FixtureRequest, pack: KnowledgeBase, pack_cache: tuple[Path, Signature | None]
) -> KnowledgeBase:
    """The pack as the app gets it: loaded from the seeds, or from the knowledge cache on a warm
    start (its facts read only as far as the Overview's first rows until the list needs more)."""
    if request.param == "loaded":
        return pack
    cached = load_cached(*pack_cache)
    assert cached is not None and not cached.complete and len(cached.first_facts) < len(pack.facts)
    return cached


def overview_order_of(knowledge: KnowledgeBase) -> list[str]:
    return [e.id for e in [knowledge.show, *overview_order(knowledge.facts)] if e is not None]


def kept_by(pack: KnowledgeBase, status_filter: StatusFilter) -> list[Entry]:
    """The Overview's entries (the show, every fact) that a status filter keeps."""
    return [e for e in [pack.show, *pack.facts] if e is not None and status_filter.keeps(e.status)]


def facts(app: object) -> EntryList:
    return app.query_one("#facts", EntryList)  # type: ignore[attr-defined,no-any-return]


async def test_a_long_list_builds_a_window_and_more_as_the_highlight_nears_its_end(
    pack: KnowledgeBase, started: KnowledgeBase
) -> None:
    app = make_app(started)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        overview = facts(app)
        order = overview_order_of(pack)
        total = len(order)
        assert total > 3 * entry_list.WINDOW
        assert overview.option_count == entry_list.WINDOW  # not every row at start
        built = [overview.get_option_at_index(n).id for n in range(overview.option_count)]
        assert built == order[: entry_list.WINDOW]
        overview.highlighted = entry_list.WINDOW - entry_list.MARGIN
        await settle(pilot)
        assert overview.option_count == 2 * entry_list.WINDOW
        await press(pilot, "end")
        await settle(pilot)
        assert overview.option_count == total
        assert [overview.get_option_at_index(n).id for n in range(total)] == order
        assert overview.current_entry and overview.current_entry.id == order[-1]
        await press(pilot, "home", "j", "k", "j")
        await settle(pilot)
        assert overview.current_entry and overview.current_entry.id == order[1]


async def test_scrolling_a_long_list_builds_more_rows(pack: KnowledgeBase) -> None:
    app = make_app(pack)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        overview = facts(app)
        overview.scroll_end(animate=False)
        await settle(pilot)
        assert overview.option_count > entry_list.WINDOW


async def test_a_jump_past_the_window_bookmarks_and_filters_work_on_unbuilt_rows(
    pack: KnowledgeBase, started: KnowledgeBase
) -> None:
    app = make_app(started)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        overview = facts(app)
        far = pack.facts[-5]
        await app.main.reveal_entry("overview", far.id)
        await settle(pilot)
        assert overview.current_entry == far
        await press(pilot, "b")
        await settle(pilot)
        assert [b.id for b in app.store.bookmarks] == [far.id]
        assert far.id in starred(overview) and "★" in overview.prompt(far).plain
        counts = dict((f.id, n) for f, n in overview.filter_counts())
        assert counts["all"] == 1 + len(pack.facts)
        sure = SURE
        overview.set_filter(sure)
        await settle(pilot)
        kept = kept_by(pack, sure)
        assert overview.option_count == min(len(kept), entry_list.WINDOW)
        await press(pilot, "end")  # every row built: what the list shows, read from its rows
        assert len(overview.shown_items()) == len(kept)


async def test_a_filter_first_thing_on_a_warm_start_counts_and_keeps_every_fact(
    pack: KnowledgeBase, started: KnowledgeBase
) -> None:
    app = make_app(started)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        overview = facts(app)
        sure = SURE
        counts = dict((f.id, n) for f, n in overview.filter_counts())
        assert counts["sure"] == len(kept_by(pack, sure))
        overview.set_filter(sure)
        await settle(pilot)
        await press(pilot, "end")
        await settle(pilot)
        kept = [i for i in overview_order_of(pack) if sure.keeps(pack.by_id[i].status)]
        assert overview.current_entry and overview.current_entry.id == kept[-1]


def test_long_paragraphs_are_cut_into_blocks_at_spaces(long_article: KnowledgeBase) -> None:
    body = long_article.articles[LONG_ARTICLE].body
    blocks = blocks_of(body)
    assert max(end - start for start, end, _ in blocks) <= source_view.BLOCK
    assert len({number for _, _, number in blocks}) == len(paragraph_spans(body))
    spans = paragraph_spans(body)
    for number, (start, end) in enumerate(spans, 1):  # the blocks of a paragraph are the paragraph
        parts = [(s, e) for s, e, n in blocks if n == number]
        assert "".join(body[s:e] for s, e in parts) == body[start:end]
    assert all(body[end - 1] == " " for start, end, _ in blocks[:-1] if end - start == source_view.BLOCK + 1)


async def show_source(pilot: Pilot[object]) -> SourceView:
    await press(pilot, "6")
    await settle(pilot)
    source = pilot.app.query_one(SourceView)
    assert source.article is not None and source.article.id == LONG_ARTICLE
    return source


async def test_a_long_article_builds_a_window_and_s_reaches_its_last_paragraph(long_article: KnowledgeBase) -> None:
    app = make_app(long_article)
    async with app.run_test(size=SIZE) as pilot:
        source = await show_source(pilot)
        assert len(source.query(".paragraph")) == source_view.WINDOW < len(source.blocks)
        await app.main.reveal_entry("overview", FACT_ID)
        await press(pilot, "s")
        await wait_for(pilot, lambda: LAST_WORDS[-25:] in " ".join(screen_text(app).split()), "the last words")
        assert source.highlight == locate(LAST_WORDS, source.article.body)  # type: ignore[union-attr]
        spans = paragraph_spans(source.article.body)  # type: ignore[union-attr]
        assert source.current_passage() == len(spans)
        assert source.bookmark_key() == ("source", f"{LONG_ARTICLE}#{len(spans)}")


async def test_scrolling_a_long_article_builds_more_and_home_and_end_reach_both_ends(
    long_article: KnowledgeBase,
) -> None:
    app = make_app(long_article)
    async with app.run_test(size=SIZE) as pilot:
        source = await show_source(pilot)
        built = len(source.query(".paragraph"))
        source.scroll_end(animate=False)
        await wait_for(pilot, lambda: len(source.query(".paragraph")) > built, "more blocks")
        await press(pilot, "end")
        await wait_for(pilot, lambda: LAST_WORDS[-25:] in " ".join(screen_text(app).split()), "the last words")
        assert source.last == len(source.blocks)
        # Scrolling up from a window that starts mid-article builds what is above, keeping the view.
        first = source.first
        assert first > 0
        source.scroll_home(animate=False)
        await wait_for(pilot, lambda: source.first < first, "the blocks above")
        await press(pilot, "home")
        await wait_for(pilot, lambda: source.first == 0 and source.scroll_y == 0 and not source.growing, "the top")
        assert source.current_passage() == 1


async def test_up_from_the_first_row_wraps_to_the_last_entry_not_the_last_built(
    pack: KnowledgeBase, started: KnowledgeBase
) -> None:
    app = make_app(started)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        overview = facts(app)
        await press(pilot, "up")
        await settle(pilot)
        assert overview.current_entry and overview.current_entry.id == overview_order_of(pack)[-1]


def test_the_blocks_of_a_long_paragraph_read_as_one_paragraph(long_article: KnowledgeBase) -> None:
    source = SourceView(long_article)
    numbers = [number for _, _, number in source.blocks]
    long = max(set(numbers), key=numbers.count)
    parts = [i for i, number in enumerate(numbers) if number == long]
    assert len(parts) > 50  # the 200,000-character paragraph
    widgets = source.block_widgets(parts[0] - 1, parts[-1] + 2)
    gaps = ["-continued" not in widget.classes for widget in widgets]
    # No gap inside the long paragraph; a gap after the paragraph before it and after its last block.
    assert gaps == [True, *([False] * (len(parts) - 1)), True, True]


async def test_page_up_from_the_end_of_a_long_article_passes_every_paragraph(long_article: KnowledgeBase) -> None:
    app = make_app(long_article)
    async with app.run_test(size=SIZE) as pilot:
        source = await show_source(pilot)
        await press(pilot, "end")
        await wait_for(pilot, lambda: source.last == len(source.blocks) and not source.growing, "the end")
        seen = [source.current_passage()]
        for _ in range(60):
            await press(pilot, "pageup")
            await wait_for(pilot, lambda: not source.growing, "the blocks above")
            seen.append(source.current_passage())
        steps = [before - after for before, after in pairwise(seen)]  # type: ignore[operator]
        assert all(0 <= step <= 4 for step in steps), seen  # a screen a press: no paragraph skipped
        assert seen[0] - seen[-1] > 60, seen  # and never stuck: it went up past several windows


async def test_a_tall_terminal_reaches_the_middle_of_an_article_that_fits_its_first_window() -> None:
    bundled = knowledge_from(bundled_seeds())
    body = "\n\n".join(f"Line {n} of a short article." for n in range(1, 201))
    article = Article("999_short", "999_short.txt", date(2026, 11, 29), body, title="Two hundred lines")
    knowledge = changed(bundled, articles={**bundled.articles, article.id: article})
    app = make_app(knowledge)
    async with app.run_test(size=(80, 140)) as pilot:
        await press(pilot, "6")
        source = pilot.app.query_one(SourceView)
        await wait_for(pilot, lambda: source.last == len(source.blocks), "every block, with no scroll to ask")
        await press(pilot, "pagedown")  # a page on: past the first window of blocks, built without a scroll
        shown = screen_text(app)
        assert source.scroll_y > 0 and "Line 1 of a short article." not in shown
        assert "Line 100 of a short article." in shown


async def choose_filter(pilot: Pilot[object], status_filter: StatusFilter) -> None:
    """The status filter chosen as a user does: f, then the filter's row of the menu, enter."""
    await press(pilot, "f", "home", *["j"] * FILTERS.index(status_filter), "enter")


async def test_a_long_list_filtered_then_shown_whole_again_has_its_rows_in_order(pack: KnowledgeBase) -> None:
    # The Cast tab: more people than a window of rows, and few of them expected: on a tall
    # terminal, more than a screen of rows but less than three, so that the view at their top is
    # near their end.
    expected = next(f for f in FILTERS if f.id == "expected")
    people = [e.id for e in pack.people]
    few = [e.id for e in pack.people if expected.keeps(e.status)]
    assert len(people) > entry_list.WINDOW and 30 < len(few) < 60
    app = make_app(pack)
    async with app.run_test(size=(80, 60)) as pilot:
        await press(pilot, "2")
        cast = app.query_one("#cast-browser EntryList", EntryList)
        await choose_filter(pilot, expected)
        await press(pilot, *["j"] * 30)  # down the filtered rows, the view scrolled with them
        on = cast.current_item
        assert on is not None and on.id == few[30] and cast.scroll_y > 0
        await choose_filter(pilot, FILTERS[0])
        shown = [e.id for e in cast.shown_items()]
        assert shown == people[: len(shown)], f"rows out of order: first {shown[:3]}, expected {people[:3]}"
        assert cast.current_item is on
        await press(pilot, "end")
        assert [e.id for e in cast.shown_items()] == people
