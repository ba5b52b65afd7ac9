"""End to end: the installed `aoad-tui` on big generated seeds (made here, never committed) with no
knowledge cache. Its first frame says it is reading them, then it is the app; the next start is
the app from its first frame (the cache). Seeds found invalid while it reads end it with their
problems on the terminal, and quitting while it reads does not wait for the reading."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import pytest
from support import TESTS
from support.ptyharness import PtyApp, terminal_env

from aoad_tui.launch import READ_BEFORE_START
from aoad_tui.model.loader import seeds_size

SCRIPT = Path(sys.executable).parent / "aoad-tui"
BOUND = 30.0  # seconds for each step: generous, for a busy machine

pytestmark = pytest.mark.skipif(
    not SCRIPT.exists(), reason=f"the aoad-tui console script is not installed next to {sys.executable}"
)


def generated(where: Path, entries: int) -> Path:
    spec = importlib.util.spec_from_file_location("generate_seeds", TESTS / "bench" / "generate_seeds.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    seeds = Path(module.generate_seeds(where, articles=50, entries=entries, files=4))
    assert seeds_size(seeds) > READ_BEFORE_START
    return seeds


def test_a_first_start_on_big_seeds_says_it_is_reading_then_the_next_is_quick(tmp_path: Path) -> None:
    seeds = generated(tmp_path / "seeds", 2000)
    env = terminal_env(isolated=tmp_path / "home")
    with PtyApp([str(SCRIPT), "--seeds", str(seeds)], env) as app:
        assert app.wait_for("Reading the sources", "Quit", timeout=BOUND) is not None, app.text()
        assert "Overview" not in app.text()  # the first frame is the reading screen
        assert app.wait_for("1 Overview", "Synthetic Show", timeout=BOUND) is not None, app.text()
        app.settle()
        app.press("2")
        assert app.wait_for("2 Cast", timeout=BOUND) is not None
        app.quit_cleanly()
    with PtyApp([str(SCRIPT), "--seeds", str(seeds)], env) as app:
        assert app.wait_for("1 Overview", "Synthetic Show", timeout=BOUND) is not None, app.text()
        assert "Reading the sources" not in app.text()
        app.quit_cleanly()


def test_big_seeds_found_invalid_end_the_app_with_their_problems(tmp_path: Path) -> None:
    seeds = generated(tmp_path / "seeds", 2000)
    (seeds / "zz_broken.yaml").write_text("facts:\n  - id: [unclosed\n", encoding="utf-8")
    with PtyApp([str(SCRIPT), "--seeds", str(seeds)], terminal_env(isolated=tmp_path / "home")) as app:
        assert app.wait_for("Reading the sources", timeout=BOUND) is not None, app.text()
        assert app.wait_exit(timeout=BOUND) == 2
        # As printed, not as the screen shows it: the seeds' path is as long as the temporary
        # folder's, and wraps at 80 columns wherever it happens to.
        printed = app.printed().splitlines()
        assert printed[0].startswith(f"{seeds / 'zz_broken.yaml'}:2: YAML syntax"), printed
        assert printed[1:] == [f"{seeds}: 1 problem"], printed


def test_quitting_while_big_seeds_are_read_does_not_wait_for_them(tmp_path: Path) -> None:
    """Quitting takes a fraction of what reading these seeds takes, measured here, on this machine
    as loaded as it is now: a ratio, not a number of seconds."""
    seeds = generated(tmp_path / "seeds", 10_000)  # seconds of reading
    with PtyApp([str(SCRIPT), "--seeds", str(seeds)], terminal_env(isolated=tmp_path / "quit")) as app:
        assert app.wait_for("Reading the sources", timeout=BOUND) is not None, app.text()
        pressed = time.monotonic()
        app.press("q")
        assert app.wait_exit(timeout=BOUND) == 0
        quitting = time.monotonic() - pressed
    with PtyApp([str(SCRIPT), "--seeds", str(seeds)], terminal_env(isolated=tmp_path / "read")) as app:
        assert app.wait_for("Reading the sources", timeout=BOUND) is not None, app.text()
        shown = time.monotonic()
        assert app.wait_for("1 Overview", timeout=BOUND) is not None, app.text()
        reading = time.monotonic() - shown
        app.quit_cleanly(timeout=BOUND)
    assert quitting < reading / 2, f"quitting took {quitting:.2f} s, reading {reading:.2f} s: it waited for the reading"
