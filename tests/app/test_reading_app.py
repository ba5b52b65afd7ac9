"""Big seeds with no knowledge cache (a first start, or changed seeds): the app is on the screen at
once, saying how far reading them has got, and becomes itself once they are read; seeds found
invalid end it with their problems (printed by the command line, tests/e2e/test_reading_pty.py).

The reading is held back by a gate (the loader waits for it), so that each test decides when it
ends: the screen in between is what a user sees for seconds at 100,000 entries.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.helpers import TODAY, press, screen_text, settle, wait_for

from aoad_tui.app import AoadApp
from aoad_tui.launch import READ_BEFORE_START
from aoad_tui.model.loader import Progress, SeedsError, load_knowledge, seeds_size
from aoad_tui.model.paths import bundled_seeds
from aoad_tui.screens import reading
from aoad_tui.screens.main import MainScreen
from aoad_tui.screens.reading import ReadingScreen

SIZE = (80, 24)


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Reading the seeds waits until the test sets this (and gives up after 30 s)."""
    opened = threading.Event()

    def held(seeds: Path, progress: Progress | None = None) -> object:
        if progress is not None:
            progress(1, 4)
        opened.wait(30)
        return load_knowledge(seeds, progress)

    monkeypatch.setattr(reading, "load_knowledge", held)
    yield opened
    opened.set()


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    return Path(shutil.copytree(bundled_seeds(), tmp_path / "seeds"))


def reading_app(seeds: Path) -> AoadApp:
    app = AoadApp(None, seeds=seeds, today=TODAY, write_cache=lambda knowledge: None)
    app.animation_level = "none"
    return app


async def test_the_app_says_it_is_reading_then_is_itself(seeds: Path, gate: threading.Event) -> None:
    app = reading_app(seeds)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen)
        await wait_for(pilot, lambda: "(25%)" in screen_text(app), "the progress")
        text = screen_text(app)
        assert "Reading the sources" in text and "Quit" in text
        assert seeds.parent.name in "".join(text.split())  # the path, however it wraps
        # Nothing to show yet: the keys that need the knowledge do nothing (and break nothing).
        await press(pilot, "2", "slash", "question_mark", "b", "w", "f", "ctrl+p", "s", "y")
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen) and len(app.screen_stack) == 1
        gate.set()
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), "the app, once read")
        await settle(pilot)
        assert "Overview" in screen_text(app) and app.knowledge.show is not None
        await press(pilot, "2")
        await settle(pilot)
        assert app.main.active_tab == "cast"
        await press(pilot, "question_mark")
        await settle(pilot)
        assert not isinstance(app.screen, MainScreen)
        await press(pilot, "escape")
        await settle(pilot)
        assert app.screen is app.main
        await press(pilot, "b")
        await settle(pilot)
        assert len(app.store.bookmarks) == 1
        await press(pilot, "1")  # back to the main screen from anywhere: the reading screen stays below
        await settle(pilot)
        assert app.screen is app.main and app.main.active_tab == "overview"


async def test_invalid_seeds_end_the_app_with_their_problems(seeds: Path, gate: threading.Event) -> None:
    (seeds / "broken.yaml").write_text("facts:\n  - id: [unclosed\n", encoding="utf-8")
    app = reading_app(seeds)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen)
        gate.set()
        await wait_for(pilot, lambda: app.unreadable is not None, "the problems")
    assert app.return_code == 2
    assert isinstance(app.unreadable, SeedsError)
    assert any("broken.yaml" in str(problem) for problem in app.unreadable.problems)


async def test_quitting_while_reading_does_not_wait_for_it(seeds: Path, gate: threading.Event) -> None:
    app = reading_app(seeds)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "q")
        await settle(pilot)
    assert not gate.is_set() and app.return_code in (0, None) and app.unreadable is None


async def test_a_loader_that_fails_unexpectedly_is_a_problem_said_not_a_traceback(
    seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(seeds: Path, progress: object = None) -> object:
        raise MemoryError("out of memory")

    monkeypatch.setattr(reading, "load_knowledge", failing)
    app = reading_app(seeds)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.unreadable is not None, "the problem")
    assert app.return_code == 2 and app.unreadable is not None
    assert "MemoryError" in str(app.unreadable.problems[0])


async def test_the_seeds_path_is_shown_as_text_on_a_tiny_terminal_too(tmp_path: Path, gate: threading.Event) -> None:
    odd = Path(shutil.copytree(bundled_seeds(), tmp_path / "[bold]red\x1b[31m"))
    app = reading_app(odd)
    async with app.run_test(size=(24, 8)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen)
    app = reading_app(odd)
    async with app.run_test(size=(200, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "[bold]red" in text and "\x1b" not in text


def test_small_seeds_are_read_before_the_first_frame_and_big_ones_after(tmp_path: Path) -> None:
    assert seeds_size(bundled_seeds()) < READ_BEFORE_START  # the bundled ones: at once
    big = tmp_path / "big"
    big.mkdir()
    (big / "a.txt").write_bytes(b"x" * (READ_BEFORE_START + 1))
    assert seeds_size(big) > READ_BEFORE_START
    assert seeds_size(tmp_path / "missing") == 0


@pytest.mark.parametrize("slow", [True, False])
async def test_quitting_before_the_cache_is_kept_says_so_while_it_waits(slow: bool) -> None:
    """Slow: the cache is still being written when the app has quit (it takes seconds at 100,000
    entries), and stays so until the app says it waits. Quick: written before the quit, so there is
    nothing to wait for or to say. Events, not times: however long the session takes."""
    started, said_it, written = threading.Event(), threading.Event(), threading.Event()

    def write_cache(knowledge: object) -> None:
        started.set()
        if slow:
            said_it.wait(30)
        written.set()

    knowledge = load_knowledge(bundled_seeds())
    app = AoadApp(knowledge, today=TODAY, write_cache=write_cache)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_for(pilot, started.is_set, "the cache's thread to start (after the first frame)")
        if not slow:
            await wait_for(pilot, written.is_set, "the cache to be kept")
        await press(pilot, "q")
    said: list[str] = []

    def waiting() -> None:
        said.append("waiting")
        said_it.set()

    app.background.finish(waiting=waiting)
    assert written.is_set()  # waited for, either way
    assert said == (["waiting"] if slow else [])
