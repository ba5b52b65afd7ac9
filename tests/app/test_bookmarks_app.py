"""The bookmarks feature in the app (Textual Pilot, 80x24). On the command line (`aoad-tui
bookmarks`, run as a subprocess): tests/e2e/test_bookmarks_cli.py.

Notices are read from the Toast widgets the app shows (run_test(notifications=True)), never from
the app's private notification list.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import time
from datetime import datetime
from pathlib import Path

import pytest
from support import DATA, helpers
from support.helpers import flat, knowledge_from, make_app, plain, press, screen_text, starred, toasts, wait_for
from support.knowledge import changed
from textual.pilot import Pilot
from textual.widgets import Input, TabbedContent

from aoad_tui.app import AoadApp
from aoad_tui.model import files
from aoad_tui.model.bookmarks import FILE_NAME, Bookmark, BookmarkStore, parse_bookmarks
from aoad_tui.model.freshness import added_in_words
from aoad_tui.model.paths import bundled_seeds
from aoad_tui.model.text import locate, paragraph_spans
from aoad_tui.model.vocabulary import passage_id
from aoad_tui.screens.note import NoteScreen
from aoad_tui.widgets import bookmark_list
from aoad_tui.widgets.bookmark_list import BookmarkList
from aoad_tui.widgets.entry_list import EntryList
from aoad_tui.widgets.search_results import SearchResults
from aoad_tui.widgets.source_view import SourceView

SIZE = (80, 24)
CORRUPT_DIR = DATA / "bookmarks"
VALID_FILES = ("version_99.json", "version_1_0.json")
CORRUPT_FILES = sorted(p.name for p in CORRUPT_DIR.glob("*.json") if p.name not in VALID_FILES)
ARTICLE = "000_87d513006f32d67f"
MISSING = "missing from the current sources"
ADDED = re.compile(r"added (today \d\d:\d\d|yesterday \d\d:\d\d|\d{4}-\d\d-\d\d)")


# --- helpers ------------------------------------------------------------------------------------


def on_disk(directory: Path) -> dict[tuple[str, str], Bookmark]:
    path = directory / FILE_NAME
    if not path.exists():
        return {}
    return {b.key: b for b in parse_bookmarks(path.read_bytes())}


def seed(directory: Path, *bookmarks: Bookmark) -> None:
    """Write bookmarks the way an earlier session would have."""
    store = BookmarkStore(directory)
    store.load()
    for bookmark in bookmarks:
        store.add(bookmark)


def shown(app: AoadApp, words: str) -> bool:
    return any(words in toast for toast in toasts(app))


async def settle(pilot: Pilot[None], delay: float = 0.0) -> None:
    await pilot.pause(delay)
    await helpers.settle(pilot)


async def until(pilot: Pilot[None], condition, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)


def active_tab(app: AoadApp) -> str:
    return app.query_one(TabbedContent).active


def tab_list(app: AoadApp, tab: str) -> EntryList:
    return app.query_one(f"TabPane#{tab}").query_one(EntryList)


# --- b, the marker, the Bookmarks tab, enter ----------------------------------------------------


async def test_b_on_a_person_bookmarks_it_and_marks_it(isolated_dirs: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "2", "j")
        assert app.focused_entry() is not None and app.focused_entry().id == "yoon-chan-young"  # type: ignore[union-attr]
        assert "★" not in screen_text(app)
        await press(pilot, "b")
        await settle(pilot)

        saved = on_disk(isolated_dirs)
        assert list(saved) == [("person", "yoon-chan-young")]
        assert shown(app, "Bookmarked.")
        screen = screen_text(app)
        assert "★ Yoon Chan-young" in screen
        assert screen.count("★") == 1  # only the bookmarked row is marked

        await press(pilot, "5")
        await settle(pilot)
        assert active_tab(app) == "bookmarks" and isinstance(app.focused, BookmarkList)
        screen = screen_text(app)
        assert re.search(r"person +Yoon Chan-young +\[confirmed\]", screen), screen
        added = saved[("person", "yoon-chan-young")].added
        # in the reader's time, to the minute: "today 10:51"
        said = added_in_words(added, datetime.now().astimezone())
        assert said.startswith("today ") and ADDED.search(screen).group(1) == said  # type: ignore[union-attr]

        await press(pilot, "enter")
        await settle(pilot)
        assert active_tab(app) == "cast"
        assert isinstance(app.focused, EntryList)
        assert app.focused.current_entry is not None and app.focused.current_entry.id == "yoon-chan-young"

        await press(pilot, "b")  # b again removes it
        await settle(pilot)
        assert on_disk(isolated_dirs) == {}
        assert "★" not in screen_text(app)
        assert shown(app, "Bookmark removed.")


@pytest.mark.parametrize(
    ("key", "tab", "kind", "entry_id"),
    [
        ("1", "overview", "show", "all-of-us-are-dead"),
        ("3", "quotes", "quote", "yoon-chan-young-hopes-alive"),
        ("4", "rumors", "rumor", "cheong-san-alive"),
    ],
)
async def test_b_on_every_list_marks_the_row(isolated_dirs: Path, key: str, tab: str, kind: str, entry_id: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, key, "b")
        await settle(pilot)
        assert list(on_disk(isolated_dirs)) == [(kind, entry_id)]
        assert entry_id in starred(tab_list(app, tab))
        assert "★" in screen_text(app)


async def test_b_in_an_entrys_detail(isolated_dirs: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "2", "j", "j", "enter")  # Cho Yi-hyun's detail screen
        await settle(pilot)
        await press(pilot, "b")
        await settle(pilot)
        assert list(on_disk(isolated_dirs)) == [("person", "cho-yi-hyun")]
        await press(pilot, "escape")
        await settle(pilot)
        assert "★ Cho Yi-hyun" in screen_text(app)


async def test_bookmarks_from_an_earlier_session_are_marked_and_listed(isolated_dirs: Path) -> None:
    seed(
        isolated_dirs,
        Bookmark("person", "lomon", "2026-11-01T08:00:00Z", "the class president"),
        Bookmark("rumor", "cheong-san-alive", "2026-11-02T09:30:00Z"),
    )
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "2")
        await settle(pilot)
        assert "★ Lomon" in screen_text(app)
        await press(pilot, "5")
        await settle(pilot)
        screen = screen_text(app)
        assert re.search(r"person +Lomon +\[confirmed\]", screen)
        assert "added 2026-11-01  note: the class president" in screen  # weeks ago: the date
        assert re.search(r"rumor +Cheong-san, shown to have died", screen)
        assert "added 2026-11-02" in screen
        assert toasts(app) == []  # nothing to report


# --- remove, undo, note -------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["d", "delete"])
async def test_remove_then_undo(isolated_dirs: Path, key: str) -> None:
    lomon = Bookmark("person", "lomon", "2026-11-01T08:00:00Z", "keep this note")
    quote = Bookmark("quote", "yoon-chan-young-hopes-alive", "2026-11-02T09:30:00Z")
    seed(isolated_dirs, lomon, quote)
    app = make_app(tab="bookmarks")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "2", "5")  # the Cast tab built (on first show), so that its marks can be checked
        assert isinstance(app.focused, BookmarkList) and app.focused.current_item.bookmark == lomon  # type: ignore[union-attr]
        await press(pilot, key)
        await settle(pilot)
        assert list(on_disk(isolated_dirs)) == [quote.key]
        assert shown(app, "Removed “Lomon”. Press u to undo.")
        assert [row.bookmark for row in app.query_one(BookmarkList).shown_items()] == [quote]
        assert not re.search(r"person +Lomon", screen_text(app))
        assert "lomon" not in starred(tab_list(app, "cast"))

        await press(pilot, "u")
        await settle(pilot)
        assert on_disk(isolated_dirs)[lomon.key] == lomon  # back with its date and note
        assert shown(app, "Bookmark restored.")
        assert {row.bookmark for row in app.query_one(BookmarkList).shown_items()} == {lomon, quote}
        assert re.search(r"person +Lomon", screen_text(app))
        assert "lomon" in starred(tab_list(app, "cast"))

        await press(pilot, "u")  # only once
        await settle(pilot)
        assert shown(app, "Nothing to undo.")
        assert len(on_disk(isolated_dirs)) == 2


async def test_undo_puts_the_bookmark_back_where_it_was(isolated_dirs: Path) -> None:
    first = Bookmark("person", "lomon", "2026-11-01T08:00:00Z")
    middle = Bookmark("quote", "yoon-chan-young-hopes-alive", "2026-11-02T09:30:00Z", "the middle one")
    last = Bookmark("person", "park-ji-hu", "2026-11-03T10:00:00Z")
    seed(isolated_dirs, first, middle, last)
    app = make_app(tab="bookmarks")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "down", "d")
        assert [row.bookmark for row in app.query_one(BookmarkList).shown_items()] == [first, last]
        await press(pilot, "u")
        listed = app.query_one(BookmarkList)
        assert [row.bookmark for row in listed.shown_items()] == [first, middle, last]
        assert listed.current_item is not None and listed.current_item.bookmark == middle
        assert list(on_disk(isolated_dirs)) == [first.key, middle.key, last.key]


async def test_another_instances_change_shows_while_the_tab_is_shown_and_only_then(isolated_dirs: Path) -> None:
    seed(isolated_dirs, Bookmark("person", "lomon", "2026-11-01T08:00:00Z"))
    other = BookmarkStore(isolated_dirs)  # another instance, on the same data directory
    other.load()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Not shown: nothing looks at the file (a stat a second, only while the tab is shown).
        other.toggle("person", "park-ji-hu")
        await pilot.pause(bookmark_list.REFRESH_SECONDS * 1.5)
        assert [b.id for b in app.bookmarks.store.bookmarks] == ["lomon"]
        await press(pilot, "5")  # shown: read at once
        rows = app.query_one(BookmarkList)
        assert [row.bookmark.id for row in rows.shown_items()] == ["lomon", "park-ji-hu"]
        # While shown: another change appears by itself, within a look or two.
        other.remove("person", "lomon")
        other.set_note("person", "park-ji-hu", "seen in the other window")
        await wait_for(
            pilot, lambda: [r.bookmark.id for r in rows.shown_items()] == ["park-ji-hu"], "the other's removal"
        )
        await wait_for(pilot, lambda: "seen in the other window" in screen_text(app), "the other's note")


async def test_undo_expires_with_its_notice(isolated_dirs: Path) -> None:
    seed(isolated_dirs, Bookmark("person", "lomon", "2026-11-01T08:00:00Z"))
    app = make_app(tab="bookmarks")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "d")
        await settle(pilot)
        listed = app.query_one(BookmarkList)
        assert listed.last_removed is not None
        removed, where, _ = listed.last_removed
        listed.last_removed = (removed, where, time.monotonic() - 60)  # the notice is long gone
        await press(pilot, "u")
        await settle(pilot)
        assert shown(app, "Nothing to undo.")
        assert on_disk(isolated_dirs) == {}


async def test_note_is_edited_saved_and_shown(isolated_dirs: Path) -> None:
    seed(isolated_dirs, Bookmark("person", "lomon", "2026-11-01T08:00:00Z", "old"))
    app = make_app(tab="bookmarks")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "n")
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen)
        note_input = app.screen.query_one("#note", Input)
        assert note_input.has_focus and note_input.value == "old"
        assert "Note for: Lomon" in screen_text(app)

        await press(pilot, "end", *["backspace"] * 3)
        note_input.insert_text_at_cursor("Cheong-san's")
        await press(pilot, "space", *"pal")
        await press(pilot, "enter")
        await settle(pilot)
        assert not isinstance(app.screen, NoteScreen)
        assert on_disk(isolated_dirs)[("person", "lomon")].note == "Cheong-san's pal"
        assert "note: Cheong-san's pal" in screen_text(app)

        await press(pilot, "n", *"discarded", "escape")  # escape leaves the note as it was
        await settle(pilot)
        assert not isinstance(app.screen, NoteScreen)
        assert on_disk(isolated_dirs)[("person", "lomon")].note == "Cheong-san's pal"


async def test_keys_on_an_empty_bookmarks_tab_do_nothing(isolated_dirs: Path) -> None:
    app = make_app(tab="bookmarks")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "d", "n", "enter", "u")
        await settle(pilot)
        assert "No bookmarks yet" in screen_text(app)
        assert not isinstance(app.screen, NoteScreen)
        assert not (isolated_dirs / FILE_NAME).exists()


# --- search results and source passages ---------------------------------------------------------


async def search(pilot: Pilot[None], app: AoadApp, query: str) -> SearchResults:
    await press(pilot, "slash", *query)
    results = app.query_one(SearchResults)
    await until(pilot, lambda: bool(results.shown_items()))
    await press(pilot, "down")
    await settle(pilot)
    assert app.focused is results
    return results


async def test_b_on_search_results(isolated_dirs: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        results = await search(pilot, app, "lomon")
        first = results.current_item
        assert first is not None and (first.kind, first.id) == ("person", "lomon")
        await press(pilot, "b")
        await settle(pilot)
        assert list(on_disk(isolated_dirs)) == [("person", "lomon")]

        while results.current_item is not None and results.current_item.kind != "source":
            await press(pilot, "down")
        passage = results.current_item
        assert passage is not None and passage.kind == "source"
        await press(pilot, "b")
        await settle(pilot)
        assert list(on_disk(isolated_dirs)) == [("person", "lomon"), ("source", passage.id)]
        assert passage.id.startswith(f"{ARTICLE}#")

        await press(pilot, "escape", "5")
        await settle(pilot)
        screen = screen_text(app)
        assert re.search(r"person +Lomon", screen)
        assert re.search(rf"source All we know so far.*, paragraph {passage.id.rpartition('#')[2]} ", flat(screen)), (
            screen
        )
        assert MISSING not in screen


async def test_search_results_carry_the_marker(isolated_dirs: Path) -> None:
    seed(isolated_dirs, Bookmark("person", "lomon", "2026-11-01T08:00:00Z"))
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await search(pilot, app, "lomon")
        results_text = [line for line in screen_text(app).splitlines() if "Lomon" in line]
        assert any("★" in line for line in results_text), results_text


async def test_b_on_the_source_view(isolated_dirs: Path) -> None:
    knowledge = knowledge_from(bundled_seeds())
    body = knowledge.articles[ARTICLE].body
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "6")
        await settle(pilot)
        assert isinstance(app.focused, SourceView)
        await press(pilot, "b")
        await settle(pilot)
        assert list(on_disk(isolated_dirs)) == [("source", passage_id(ARTICLE, 1))]

        # a rumor's cited passage, opened with s, is the paragraph b then keeps
        await press(pilot, "4", "j", "j", "j", "s")
        await settle(pilot, 0.1)
        rumor = knowledge.by_id["postponement-reason"]
        span = locate(rumor.cites[0].passage, body)
        assert span is not None
        number = next(n for n, (s, e) in enumerate(paragraph_spans(body), 1) if s <= span[0] < e)
        assert number > 1
        assert isinstance(app.focused, SourceView) and app.focused.current_passage() == number
        await press(pilot, "b")
        await settle(pilot)
        assert list(on_disk(isolated_dirs)) == [
            ("source", passage_id(ARTICLE, 1)),
            ("source", passage_id(ARTICLE, number)),
        ]

        await press(pilot, "5", "j", "enter")  # opens the Source tab on that paragraph
        await settle(pilot, 0.1)
        assert active_tab(app) == "source"
        source = app.query_one(SourceView)
        start, end = paragraph_spans(body)[number - 1]
        assert source.highlight == (start, end)
        assert source.current_passage() == number


# --- a bad bookmarks file at start --------------------------------------------------------------


KIND_BUG = "BUG: an item whose kind is a list or an object makes BookmarkStore.load() raise TypeError: no start"


@pytest.mark.parametrize(
    "name",
    CORRUPT_FILES,
)
async def test_app_starts_with_a_corrupt_file(isolated_dirs: Path, name: str) -> None:
    isolated_dirs.mkdir(parents=True)
    original = (CORRUPT_DIR / name).read_bytes()
    (isolated_dirs / FILE_NAME).write_bytes(original)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        moved = sorted(isolated_dirs.glob(f"{FILE_NAME}.corrupt-*"))
        assert len(moved) == 1 and moved[0].read_bytes() == original
        assert shown(app, f"moved aside to {moved[0].name}"), toasts(app)
        assert "Bookmarks" in " ".join(toasts(app))  # the notice's title

        if name == "bad_items.json":  # what could be read is listed
            await press(pilot, "5")
            await settle(pilot)
            screen = screen_text(app)
            assert "Yoon Chan-young" in screen and "Nothing is confirmed yet" in screen and "paragraph 3" in screen

        await press(pilot, "2", "j", "j", "j", "b")  # and bookmarking works
        await settle(pilot)
        assert ("person", "lomon") in on_disk(isolated_dirs)
        assert "★ Lomon" in screen_text(app)
    assert app.return_code in (None, 0)


async def test_app_with_a_newer_file_is_read_only(isolated_dirs: Path) -> None:
    isolated_dirs.mkdir(parents=True)
    shutil.copy(CORRUPT_DIR / "version_99.json", isolated_dirs / FILE_NAME)
    original = (isolated_dirs / FILE_NAME).read_bytes()
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert shown(app, "version 99"), toasts(app)
        assert shown(app, "read-only")
        await press(pilot, "2", "b")  # Park Ji-hu: not bookmarked in the newer file
        await settle(pilot)
        assert any("read-only" in plain(t) for t in app.screen.query("Toast.-error")), toasts(app)
        assert "★ Park Ji-hu" not in screen_text(app)
        # What the newer file holds in fields this version knows is shown, read-only.
        assert "★ Yoon Chan-young" in screen_text(app)
        await press(pilot, "5")
        await settle(pilot)
        assert "Cheong-san!" in screen_text(app)
    assert (isolated_dirs / FILE_NAME).read_bytes() == original
    others = ("seen.json",)  # what the visit showed (model/visits.py)
    assert sorted(p.name for p in isolated_dirs.iterdir() if not p.name.endswith(".lock") and p.name not in others) == [
        FILE_NAME
    ]


async def test_missing_entries_are_listed_as_missing(isolated_dirs: Path) -> None:
    seed(
        isolated_dirs,
        Bookmark("person", "kim-nobody", "2026-11-01T08:00:00Z", "dropped from the seeds"),
        Bookmark("source", f"{ARTICLE}#999", "2026-11-02T08:00:00Z"),
    )
    app = make_app(tab="bookmarks")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = screen_text(app)
        assert re.search(rf"person +kim-nobody +\[{MISSING}\]", screen), screen
        assert re.search(rf"source +{ARTICLE}#999 +\[{MISSING}\]", screen), screen
        assert "note: dropped from the seeds" in screen

        await press(pilot, "enter")  # nothing to open: told so, nothing breaks
        await settle(pilot)
        assert shown(app, MISSING)
        assert active_tab(app) == "bookmarks"

        await press(pilot, "n", *"still", "enter")  # a note can still be written
        await settle(pilot)
        assert on_disk(isolated_dirs)[("person", "kim-nobody")].note == "still"
        await press(pilot, "2", "b")  # other changes keep them
        await settle(pilot)
    assert set(on_disk(isolated_dirs)) == {
        ("person", "kim-nobody"),
        ("source", f"{ARTICLE}#999"),
        ("person", "park-ji-hu"),
    }


async def test_a_failed_save_is_told_kept_and_retried(isolated_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.tempfile, "mkstemp", full)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "2", "b")
        await settle(pilot)
        assert shown(app, "disk is full"), toasts(app)
        assert "★ Park Ji-hu" in screen_text(app)  # kept for the session
        assert on_disk(isolated_dirs) == {}

        monkeypatch.undo()
        await press(pilot, "j", "b")
        await settle(pilot)
        assert set(on_disk(isolated_dirs)) == {("person", "park-ji-hu"), ("person", "yoon-chan-young")}


async def test_remove_notice_shows_a_title_with_brackets_literally(isolated_dirs: Path) -> None:
    # "[/x]" would show the crash too, but Textual takes ~12 s to report it: "[bold]" is enough.
    knowledge = knowledge_from(bundled_seeds())
    people = [dataclasses.replace(knowledge.people[0], name="Park [bold]Ji-hu[/bold]"), *knowledge.people[1:]]
    app = make_app(changed(knowledge, people=people))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "2", "b", "5", "d")
        await settle(pilot)
        assert shown(app, "Removed “Park [bold]Ji-hu[/bold]”."), toasts(app)
