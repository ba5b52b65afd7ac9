"""End to end: the installed `aoad-tui` in a real pseudo-terminal (80x24, read through pyte)
bookmarks an entry, quits, and finds the bookmark again in a second session.

Uses the pty harness in tests/support/ptyharness.py (shared with tests/e2e/test_pty.py).
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from support.ptyharness import PtyApp, terminal_env

from aoad_tui.model.bookmarks import FILE_NAME, parse_bookmarks
from aoad_tui.model.freshness import added_in_words

SCRIPT = Path(sys.executable).parent / "aoad-tui"
WAIT = 10.0
QUIET = 0.2
FIRST_FRAME = ("Overview", "All Of Us Are Dead", "Quit")

pytestmark = pytest.mark.skipif(
    not SCRIPT.exists(), reason=f"the aoad-tui console script is not installed next to {sys.executable}"
)


def start(data: Path, cwd: Path) -> PtyApp:
    return PtyApp([str(SCRIPT)], terminal_env(extra={"AOAD_TUI_DATA_DIR": str(data)}), cwd=cwd)


def wait_settled(app: PtyApp, *needles: str, quiet: float = QUIET) -> None:
    app.wait_settled(*needles, timeout=WAIT, quiet=quiet)


def quit_cleanly(app: PtyApp) -> bytes:
    return app.quit_cleanly(timeout=WAIT)


def test_a_bookmark_survives_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "data"

    with start(data, tmp_path) as app:
        wait_settled(app, *FIRST_FRAME)
        app.press("2")
        wait_settled(app, "Yoon Chan-young", "Lomon")
        app.press("j")
        app.settle(quiet=QUIET)
        app.press("b")
        wait_settled(app, "★ Yoon Chan-young")
        assert app.text().count("★") == 1
        quit_cleanly(app)

    saved = parse_bookmarks((data / FILE_NAME).read_bytes())
    assert [b.key for b in saved] == [("person", "yoon-chan-young")]

    with start(data, tmp_path) as app:
        wait_settled(app, *FIRST_FRAME)
        app.press("5")
        wait_settled(app, "Yoon Chan-young", "added")
        screen = app.text()
        assert re.search(r"person +Yoon Chan-young +\[confirmed\]", screen), screen
        # in the machine's own time, to the minute ("today 10:51"), as the app's process reads it
        assert f"added {added_in_words(saved[0].added, datetime.now().astimezone())}" in screen
        assert "No bookmarks yet" not in screen

        app.press("n")  # a note, typed in the dialog and saved with enter
        wait_settled(app, "Note for: Yoon Chan-young")
        app.send(b"alive?")
        app.press("enter")
        wait_settled(app, "note: alive?")

        app.press("2")
        wait_settled(app, "★ Yoon Chan-young")
        quit_cleanly(app)

    assert parse_bookmarks((data / FILE_NAME).read_bytes())[0].note == "alive?"
    export = subprocess.run(
        [str(SCRIPT), "bookmarks", "export", "--data-dir", str(data)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "- Note: alive?" in export.stdout and "## Yoon Chan-young" in export.stdout


def test_a_removed_bookmark_stays_removed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with start(data, tmp_path) as app:
        wait_settled(app, *FIRST_FRAME)
        app.press("4")
        wait_settled(app, "Star News")
        app.press("b")
        wait_settled(app, "★ Cheong-san")
        app.press("5")
        wait_settled(app, "rumor")
        app.press("d")
        wait_settled(app, "Press u to undo", "No bookmarks yet")
        quit_cleanly(app)
    assert parse_bookmarks((data / FILE_NAME).read_bytes()) == []

    with start(data, tmp_path) as app:
        wait_settled(app, *FIRST_FRAME)
        app.press("5")
        wait_settled(app, "No bookmarks yet")
        quit_cleanly(app)
