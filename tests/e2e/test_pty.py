"""End to end: the installed `aoad-tui` in a real pseudo-terminal (80x24), its output fed to pyte.

pyte ignores synchronized-output markers, so after the text we wait for appears we let the
output go quiet for a moment (`settle`) before asserting on the rest of the screen.
"""

from __future__ import annotations

import base64
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
from support.isolation import isolated_env
from support.ptyharness import LEAVE_ALT_SCREEN, PtyApp, process_state, terminal_env
from support.screens import FIRST_FRAME, OSC52, SCRIPT, TAB_CONTENT, looks, visit_every_tab
from support.wire_off import WIRE_TURNED_OFF, wire_off_argv

WAIT = 10.0  # generous: every wait returns as soon as the text is there
QUIET = 0.2  # the output has settled once nothing came for this long

SHOW_CURSOR = b"\x1b[?25h"

pytestmark = pytest.mark.skipif(
    not SCRIPT.exists(), reason=f"the aoad-tui console script is not installed next to {sys.executable}"
)


@contextmanager
def launch(
    tmp_path: Path,
    *args: str,
    term: str = "xterm-256color",
    env: Mapping[str, str] | None = None,
) -> Iterator[PtyApp]:
    """Run the installed aoad-tui at 80x24 with its data directory in tmp_path."""
    extra = {"AOAD_TUI_DATA_DIR": str(tmp_path / "data"), **(env or {})}
    with PtyApp([str(SCRIPT), *args], terminal_env(term=term, extra=extra), cwd=tmp_path) as app:
        yield app


def wait_settled(app: PtyApp, *needles: str, quiet: float = QUIET) -> None:
    app.wait_settled(*needles, timeout=WAIT, quiet=quiet)


def quit_cleanly(app: PtyApp) -> bytes:
    return app.quit_cleanly(timeout=WAIT)


def test_tabs_copy_and_quit(tmp_path: Path) -> None:
    with launch(tmp_path) as app:
        wait_settled(app, *FIRST_FRAME)

        visit_every_tab(app, wait_settled)

        app.press("3")
        wait_settled(app, "TV Guide")
        start = len(app.raw)
        app.press("y")
        assert app.wait_output(OSC52, start, timeout=WAIT), "y wrote no OSC 52 sequence"
        app.settle(quiet=QUIET)
        payloads = [base64.b64decode(m.group(1)).decode() for m in OSC52.finditer(bytes(app.raw[start:]))]
        assert payloads, "y wrote no OSC 52 sequence"
        assert "Nothing is confirmed yet" in payloads[-1]
        assert "Yoon Chan-young" in payloads[-1]  # the attribution travels with the words

        after_quit = quit_cleanly(app)
        assert LEAVE_ALT_SCREEN in after_quit
        assert SHOW_CURSOR in after_quit


@pytest.mark.parametrize("cache", ["cold", "warm"])
def test_the_first_frame_is_the_settled_screen(tmp_path: Path, cache: str) -> None:
    """Nothing is drawn a frame later: not the selected tab, not a row wrapped anew beside the
    scrollbar, not the scrollbar's thumb. (Textual may place the terminal's cursor again.)

    The first frame comes between synchronized-output markers: it is read to its end marker,
    however the pty hands it over, and any cell that changes after it fails the test."""
    own = isolated_env(tmp_path)  # its own cache directory: cold is cold
    if cache == "warm":  # an earlier start wrote the knowledge cache
        with launch(tmp_path, env=own) as app:
            wait_settled(app, *FIRST_FRAME)
            quit_cleanly(app)
    with launch(tmp_path, env=own) as app:
        assert app.wait_for(*FIRST_FRAME, timeout=WAIT) is not None, app.text()
        assert app.read_to_frame_end(timeout=WAIT), "the first frame did not come between synchronized-output markers"
        first, first_bytes = app.cells(), len(app.raw)
        app.settle(quiet=0.5)
        changed = sorted(at for at, cell in app.cells().items() if first[at] != cell)
        later = bytes(app.raw[first_bytes:])
        assert changed == [], f"drawn after the first frame: {changed[:10]} by {later[:300]!r}\n{app.text()}"
        assert "1 Overview" in app.lines()[1]
        quit_cleanly(app)


@pytest.mark.parametrize("term", ["xterm", "xterm-256color", "screen-256color", "tmux-256color", "linux"])
def test_terminal_types(tmp_path: Path, term: str) -> None:
    with launch(tmp_path, term=term) as app:
        wait_settled(app, *FIRST_FRAME)
        quit_cleanly(app)


def test_no_color(tmp_path: Path) -> None:
    with launch(tmp_path, env={"NO_COLOR": "1"}) as app:
        wait_settled(app, "Overview", "[confirmed]", "Quit")
        assert "[announced]" in app.text()  # every status is written as a word
        colours = {tuple(c) for c in re.findall(rb"[34]8;2;(\d+);(\d+);(\d+)", bytes(app.raw))}
        assert all(len(set(c)) == 1 for c in colours), f"colours despite NO_COLOR: {colours}"
        quit_cleanly(app)


def test_start_on_a_tab(tmp_path: Path) -> None:
    with launch(tmp_path, "--tab", "quotes") as app:
        wait_settled(app, "TV Guide", "Nothing is confirmed yet", "Quit")
        assert TAB_CONTENT["1"][-1] not in app.text()
        quit_cleanly(app)


def test_idle_over_ssh_writes_nothing(tmp_path: Path) -> None:
    with launch(tmp_path, env={"SSH_CONNECTION": "127.0.0.1 1 127.0.0.1 2"}) as app:
        wait_settled(app, *FIRST_FRAME, quiet=0.5)  # a busy machine can pause startup for a moment
        written = app.drain(2.0)
        assert written == 0, f"{written} bytes written in 2 s of idle over SSH: {bytes(app.raw[-written:])[:200]!r}"
        quit_cleanly(app)


def test_broken_seeds_exit_2_with_problems(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "001_example.txt").write_text("date 2025-01-01\nAn article about nothing much.\n")
    (broken / "facts.yaml").write_text("facts: [ {id: X} ]\n")
    with launch(tmp_path, "--seeds", str(broken)) as app:
        status = app.wait_exit(timeout=WAIT)
        output = bytes(app.raw).decode(errors="replace")
    assert status == 2, output
    assert re.search(r"facts\.yaml:\d+: ", output), output
    assert "Traceback" not in output
    assert "\x1b[?1049h" not in output  # the UI never started


def screen_cells(app: PtyApp) -> list[list[tuple[object, ...]]]:
    """What the terminal shows, cell by cell (see screens.looks)."""
    buffer = app.screen.buffer
    return [[looks(buffer[y][x]) for x in range(app.screen.columns)] for y in range(app.screen.lines)]


def redrawn(app: PtyApp) -> list[list[tuple[object, ...]]]:
    """The screen after ctrl+l, which writes every cell again."""
    app.press("ctrl+l")
    app.settle(quiet=QUIET)
    return screen_cells(app)


def test_moving_in_a_list_redraws_only_what_changes_and_leaves_it_right(tmp_path: Path) -> None:
    # A list move repaints just the rows that lost and gained the highlight: what the terminal
    # then shows must be exactly what a full repaint shows.
    with launch(tmp_path) as app:
        wait_settled(app, *FIRST_FRAME)
        app.press("2")
        wait_settled(app, "Yoon Chan-young")
        for key in ("j", "j", "j", "k", "j", "j"):
            written = len(app.raw)
            app.press(key)
            app.settle(quiet=QUIET)
            assert len(app.raw) - written < 2048  # the budget for a list move
        after_moves = screen_cells(app)
        # A resize makes the app repaint everything.
        app.proc.setwinsize(24, 81)
        app.screen.resize(24, 81)
        app.settle(quiet=QUIET)
        app.proc.setwinsize(24, 80)
        app.screen.resize(24, 80)
        app.settle(quiet=QUIET)
        assert screen_cells(app) == after_moves
        quit_cleanly(app)


def test_ctrl_l_repairs_a_screen_garbled_from_outside(tmp_path: Path) -> None:
    # The app writes only the cells that change, so it must be able to write them all again when
    # something else (a `wall` message, line noise) has written over its screen.
    with launch(tmp_path) as app:
        wait_settled(app, *FIRST_FRAME)
        before = screen_cells(app)
        app.stream.feed(b"\x1b[5;3H\x1b[1;31mGARBAGE from another program\x1b[0m\x1b[20;1H!!")
        assert screen_cells(app) != before
        written = len(app.raw)
        app.press("ctrl+l")
        app.settle(quiet=QUIET)
        assert screen_cells(app) == before
        assert len(app.raw) - written > 2048  # every row was written again, not only a change
        quit_cleanly(app)


def test_a_whole_session_of_partial_writes_shows_what_a_full_repaint_shows(tmp_path: Path) -> None:
    # After every step the screen, built from only the changed cells, is compared with the same
    # frame written in full (ctrl+l).
    steps: list[tuple[str, ...]] = [
        ("2",),
        ("j", "j"),
        ("enter",),
        ("escape",),
        ("3",),
        ("4", "j"),
        ("/", *"cheong"),
        ("backspace", "backspace", "backspace"),
        ("down",),
        ("escape",),
        ("6", "j"),
        ("1",),
        ("?",),
        ("escape",),
    ]
    with launch(tmp_path) as app:
        wait_settled(app, *FIRST_FRAME)
        for keys in steps:
            app.press(*keys)
            app.settle(quiet=QUIET)
            shown = screen_cells(app)
            assert redrawn(app) == shown, f"after {keys} the screen differs from a full repaint"
        quit_cleanly(app)


# The wire broken on purpose, in the real process: a Textual without what the wire reads (an
# attribute taken away before the app imports it), and a change computation that raises in the
# middle of a session. Either way the app runs on, writing what Textual writes.
WIRE_RAISING_MIDWAY = (
    "from aoad_tui import wire\n"
    "real, renders = wire.TerminalCopy.render, []\n"
    "def render(self, *args):\n"
    "    renders.append(1)\n"
    "    if len(renders) > 3:\n"
    "        raise RuntimeError('broken on purpose')\n"
    "    return real(self, *args)\n"
    "wire.TerminalCopy.render = render\n"
)


@pytest.mark.parametrize("breakage", [WIRE_TURNED_OFF, WIRE_RAISING_MIDWAY], ids=["turned-off", "raises-midway"])
def test_a_broken_wire_falls_back_to_what_textual_writes(tmp_path: Path, breakage: str) -> None:
    env = terminal_env(extra={"AOAD_TUI_DATA_DIR": str(tmp_path / "data")})
    with PtyApp(wire_off_argv(breakage), env, cwd=tmp_path) as app:
        wait_settled(app, *FIRST_FRAME)
        for keys in [("2",), ("j", "j"), ("enter",), ("escape",), ("/", *"cheong"), ("escape",), ("4", "j")]:
            app.press(*keys)
            app.settle(quiet=QUIET)
            shown = screen_cells(app)
            assert redrawn(app) == shown, f"after {keys} the screen differs from a full repaint"
        assert "Rumors" in app.text()
        after_quit = quit_cleanly(app)
        assert app.proc.exitstatus == 0
    assert b"Traceback" not in bytes(app.raw) and b"broken on purpose" not in after_quit


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_terminal_that_is_not_utf8_gets_stand_ins_of_the_same_width(tmp_path: Path, encoding: str) -> None:
    # Python would write a character the locale lacks as `\u2b58`: six cells for one, every line
    # it is in broken. The app draws an ASCII stand-in of the same width instead.
    with launch(tmp_path, env={"PYTHONIOENCODING": encoding}) as app:
        wait_settled(app, *FIRST_FRAME)
        app.press("2")
        wait_settled(app, "Yoon Chan-young")
        lines = app.lines()
        assert lines[1].startswith(" 1 Overview  2 Cast  3 Quotes"), lines[1]
        assert "Park Ji-hu" in lines[2], lines[2]  # the list right under the one-row tab bar
        assert "Quit" in lines[-1]  # the key bar is still on the last row
        assert "\\u" not in app.text()
        raw = bytes(app.raw)
        assert raw.decode(encoding)  # nothing the terminal cannot show
        quit_cleanly(app)


def test_columns_and_lines_in_the_environment_do_not_override_the_terminal(tmp_path: Path) -> None:
    with launch(tmp_path, env={"COLUMNS": "200", "LINES": "60"}) as app:
        wait_settled(app, *FIRST_FRAME)
        assert "Quit" in app.lines()[23]  # laid out for the 80x24 it has, not 200x60
        quit_cleanly(app)


def test_a_corrupt_knowledge_cache_is_replaced_and_then_used(tmp_path: Path) -> None:
    cache = tmp_path / "cache" / "aoad-tui" / "knowledge.pickle"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"\x80\x05 not what it should be")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    written: list[int] = []
    for _ in range(2):  # the first start reads the seeds and writes the cache, the second uses it
        with launch(tmp_path, env=env) as app:
            wait_settled(app, *FIRST_FRAME)
            assert "Traceback" not in app.text()
            quit_cleanly(app)
        written.append(cache.stat().st_mtime_ns)
    assert not cache.read_bytes().startswith(b"\x80\x05 not")
    assert written[0] == written[1]  # not written again: it was good


def wait_until(condition: Callable[[], bool], timeout: float = WAIT) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_after_ctrl_z_and_fg_the_whole_screen_comes_back(tmp_path: Path) -> None:
    # Suspended, the terminal shows the shell; resumed, every cell must be written again, not
    # only what changed since.
    with launch(tmp_path) as app:
        wait_settled(app, *FIRST_FRAME)
        app.press("2")
        wait_settled(app, "Yoon Chan-young")
        before = screen_cells(app)
        os.kill(app.pid, signal.SIGTSTP)  # as a shell's job control would
        assert wait_until(lambda: process_state(app.pid) == "T"), "the app did not stop"
        app.settle(quiet=QUIET)
        app.stream.feed(b"\x1b[2J\x1b[Hshell output while aoad-tui was stopped")
        os.kill(app.pid, signal.SIGCONT)
        app.settle(quiet=QUIET)
        assert screen_cells(app) == before
        quit_cleanly(app)


def test_ctrl_z_without_a_shell_to_go_back_to_says_so_and_keeps_running(tmp_path: Path) -> None:
    # Here, as under `ssh -t host aoad-tui`, the app leads its own session: stopped, nothing
    # would ever continue it.
    with launch(tmp_path) as app:
        wait_settled(app, *FIRST_FRAME)
        app.press("ctrl+z")
        wait_settled(app, "No shell to go back to")
        assert process_state(app.pid) != "T"
        app.press("2")
        wait_settled(app, "Yoon Chan-young")
        quit_cleanly(app)


def test_quitting_never_waits_for_the_search_index(tmp_path: Path) -> None:
    # An index that takes a minute to build (a huge pack, say): ctrl+q and ctrl+c quit at once.
    slow = (
        "import time\n"
        "from aoad_tui.model import search\n"
        "real = search.build_index\n"
        "search.build_index = lambda knowledge: (time.sleep(60), real(knowledge))[1]\n"
    )
    code = f"{slow}import sys\nfrom aoad_tui.__main__ import main\nsys.exit(main())\n"
    env = terminal_env(extra={"AOAD_TUI_DATA_DIR": str(tmp_path / "data")})
    for key in ("ctrl+q", "ctrl+c"):
        with PtyApp([sys.executable, "-c", code], env, cwd=tmp_path) as app:
            wait_settled(app, *FIRST_FRAME)
            app.press("/", "x")  # the first search asks for the index: its build starts now
            app.settle(quiet=QUIET)
            started = time.monotonic()
            app.press(key)
            assert app.wait_exit(timeout=WAIT) == 0, f"{key} did not quit"
            assert time.monotonic() - started < WAIT  # not the minute the build would take


def test_typing_100_kb_into_the_search_box_keeps_the_app_small(tmp_path: Path) -> None:
    """The box holds a query, not a document: what is typed past it is left out and said, and the
    app does not grow with it (an unbounded box grew about 5 MiB a KB typed). Typed 1 KiB at a time,
    each handled before the next (home and end in turn show the box's two ends): keys sent
    faster than the app handles them wait in its event queue, which is another matter."""
    typed = "".join(f"word{n} " for n in range(20_000))[:100_000]
    head, tail = "word0 word1", typed[180:199]
    with launch(tmp_path) as app:
        wait_settled(app, *FIRST_FRAME)
        app.press("/")
        # Keys that arrive with the slash go to the list it leaves (Textual routes a key to what
        # has focus as the key comes in): type once the box has it, as its key bar shows.
        deadline = time.monotonic() + WAIT
        while "Copy" in app.text() and time.monotonic() < deadline:
            app.read_once(0.05)
        app.type_text(typed[:300])
        wait_settled(app, "holds 200 characters")  # a toast: its words wrap as its width allows
        wait_settled(app, "No matches for")  # the search index built, and the query searched
        before = app.rss_kib()
        assert before is not None
        started = time.monotonic()
        for number, start in enumerate(range(300, len(typed), 1024)):
            app.type_text(typed[start : start + 1024])
            key, shown = ("home", head) if number % 2 == 0 else ("end", tail)
            app.press(key)
            wait_settled(app, shown)
        took = time.monotonic() - started
        peak = app.peak_rss_kib()
        assert peak is not None
        assert (peak - before) / 1024 < 32, f"the app grew {(peak - before) / 1024:.0f} MiB"
        assert took < 60, f"100 KB of keys took {took:.0f} s"
        app.press("escape")
        wait_settled(app, "1 Overview", *FIRST_FRAME)
        quit_cleanly(app)
