"""The app with a hostile bookmarks file, a note pasted in, a save that fails, and quitting: each
outcome said once, nothing raw on screen, nothing lost without a word."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest
from support import DATA
from support.helpers import flat, make_app, plain, press, screen_text, settle, toasts, wait_for
from textual import events
from textual.widgets import Input, Static, Tab

from aoad_tui.model import bookmarks as bookmarks_module
from aoad_tui.model.bookmarks import FILE_NAME, MAX_NOTE, Bookmark, BookmarkStore, parse_bookmarks
from aoad_tui.model.inert import UNSAFE
from aoad_tui.screens.note import NoteScreen
from aoad_tui.screens.unsaved import UnsavedScreen

SIZE = (80, 24)


def on_disk(directory: Path) -> set[tuple[str, str]]:
    return {b.key for b in parse_bookmarks((directory / FILE_NAME).read_bytes())}


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Every save fails as on a full disk, until monkeypatch.undo()."""

    def refuse(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(bookmarks_module, "write_atomically", refuse)
    return monkeypatch


async def test_a_failed_save_says_only_that_it_failed(isolated_dirs: Path, full_disk: pytest.MonkeyPatch) -> None:
    app = make_app(tab="cast")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "b")
        await settle(pilot)
        said = toasts(app)
        assert len(said) == 1 and "not saved" in said[0] and "the disk is full" in said[0], said
        assert str(isolated_dirs / FILE_NAME) in said[0]  # the file at fault is named
        assert not any("Bookmarked." in toast for toast in said)


async def test_quitting_with_unsaved_changes_asks_and_retry_saves_them(
    isolated_dirs: Path, full_disk: pytest.MonkeyPatch
) -> None:
    app = make_app(tab="cast")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "b", "q")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedScreen) and app.is_running
        assert "1 change(s) to your bookmarks could not be saved" in screen_text(app)
        assert "the disk is full" in screen_text(app)
        await press(pilot, "escape")  # stay
        await settle(pilot)
        assert not isinstance(app.screen, UnsavedScreen) and app.is_running
        await press(pilot, "q", "r")  # still full: asked again
        await settle(pilot)
        assert isinstance(app.screen, UnsavedScreen) and app.is_running
        full_disk.undo()  # room again
        await press(pilot, "r")
        await settle(pilot)
        assert not app.is_running
    assert on_disk(isolated_dirs) == {("person", "park-ji-hu")}  # the first of the cast


async def test_quit_anyway_leaves_at_once(isolated_dirs: Path, full_disk: pytest.MonkeyPatch) -> None:
    app = make_app(tab="cast")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "b", "ctrl+c")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedScreen)
        await press(pilot, "ctrl+c")  # a second ctrl+c quits anyway
        await settle(pilot)
        assert not app.is_running


async def test_a_multi_line_paste_makes_one_line_and_a_long_one_is_cut_and_said(isolated_dirs: Path) -> None:
    BookmarkStore(isolated_dirs).add(Bookmark("person", "lomon", "2026-11-01T08:00:00Z"))
    app = make_app(tab="bookmarks")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "n")
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen)
        note = app.screen.query_one("#note", Input)
        note.post_message(events.Paste("first line\nsecond line\r\nthird\tline"))
        await settle(pilot)
        assert note.value == "first line second line  third line"
        note.post_message(events.Paste("x" * (MAX_NOTE + 100)))
        await settle(pilot)
        assert len(note.value) == MAX_NOTE and note.value.endswith("x")
        assert any(f"at most {MAX_NOTE} characters" in toast for toast in toasts(app))
        await press(pilot, "enter")
        await settle(pilot)
    saved = parse_bookmarks((isolated_dirs / FILE_NAME).read_bytes())
    assert saved[0].note.startswith("first line second line") and len(saved[0].note) == MAX_NOTE


async def test_a_hostile_bookmarks_file_shows_inert_and_the_note_editor_too(isolated_dirs: Path) -> None:
    isolated_dirs.mkdir(parents=True)
    shutil.copy(DATA / "bookmarks" / "hostile.json", isolated_dirs / FILE_NAME)
    app = make_app(tab="bookmarks")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert any("moved aside" in toast for toast in toasts(app)), toasts(app)
        text = screen_text(app)
        assert "added: unknown" in text and "␛]0;title␇" in text
        for static in app.screen.query(Static):
            assert not UNSAFE.search(str(static.render())), static
        await press(pilot, "n")
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen)
        value = app.screen.query_one("#note", Input).value
        assert "␛]0;title␇" in value and not UNSAFE.search(value)


async def test_a_key_right_after_a_tab_finds_its_list_even_before_it_was_built(isolated_dirs: Path) -> None:
    # Hidden tabs are built when first shown; a fast `3` then `b` must not find an empty pane.
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "3", "b")
        await settle(pilot)
        assert on_disk(isolated_dirs) == {("quote", "yoon-chan-young-hopes-alive")}


@pytest.mark.parametrize(("label", "shows"), [("Cast", "Lomon"), ("Source", ".txt")])
async def test_a_tab_clicked_with_the_mouse_is_built_when_first_shown(label: str, shows: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert shows not in screen_text(app)
        (tab,) = [tab for tab in app.query(Tab) if label in tab.label.plain]
        await pilot.click(tab)
        await settle(pilot)
        assert shows in screen_text(app)


async def test_a_screenshot_lands_in_the_data_directory_and_says_where(isolated_dirs: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        app.deliver_screenshot()
        folder = isolated_dirs / "screenshots"

        def written() -> bool:  # written in a thread: whole once it ends its svg
            return any(shot.read_text(encoding="utf-8").rstrip().endswith("</svg>") for shot in folder.glob("*.svg"))

        await wait_for(pilot, written, "the screenshot file")
        (shot,) = folder.glob("*.svg")
        assert shot.read_text(encoding="utf-8").lstrip().startswith("<svg")
        await wait_for(pilot, lambda: any(shot.name in flat(plain(t)) for t in app.screen.query("Toast")), "where")
