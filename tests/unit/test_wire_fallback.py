"""The wire turns itself off, rather than crash, where Textual lacks what it reads (see wire.py);
test_pty.py runs the app so and checks the screen against a full repaint."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from aoad_tui import wire

# Subprocesses start here: `python -c` imports from its working directory, and this one holds
# no aoad_tui, so they import the installed package, as the tests do.
HERE = Path(__file__).resolve().parent

CHECKED_AGAINST = "8.2."  # the Textual series the wire's tests were last run on with the wire on


@pytest.mark.parametrize(
    ("breakage", "reason"),
    [
        ("from textual.strip import Strip\ndel Strip.render_ansi\n", "Strip has no render_ansi"),
        (
            "from textual.app import App\nreal = App._display\n"
            "App._display = lambda self, screen, renderable, more=None: real(self, screen, renderable)\n",
            "App._display",
        ),
        (
            "import textual._compositor as compositor\n"
            "class ChopsUpdate(compositor.ChopsUpdate):\n"
            "    def __init__(self, chops, spans, ends): super().__init__(chops, spans, ends)\n"
            "compositor.ChopsUpdate = ChopsUpdate\n",
            "ChopsUpdate has no chop_ends",
        ),
    ],
    ids=["missing-method", "new-signature", "renamed-parameter"],
)
def test_the_wire_turns_itself_off_where_textual_lacks_what_it_reads(breakage: str, reason: str) -> None:
    # In a fresh interpreter, as `aoad-tui --version` reports it; the app then writes what Textual
    # writes (tests/e2e/test_pty.py runs it so).
    code = f"{breakage}from aoad_tui import wire\nprint(wire.status())\n"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False, cwd=HERE
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("off (") and reason in result.stdout, result.stdout


def test_the_wire_is_on_with_the_textual_it_was_checked_against() -> None:
    # The fallback must not hide a wire that never runs. With a newer Textual it may be off (the
    # app then writes what Textual writes): that is reported as a skip, and by `aoad-tui --version`.
    textual = version("textual")
    if not textual.startswith(CHECKED_AGAINST):
        pytest.skip(f"textual {textual}: wire {wire.status()}")
    assert wire.PROBLEM is None and wire.status() == "changes-only"
