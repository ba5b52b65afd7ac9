"""End to end through a real OpenSSH connection: a throwaway sshd on 127.0.0.1 (tests/support/sshd.py),
the real `ssh -tt` client in a pseudo-terminal read through pyte (tests/support/ptyharness.py), and
the installed aoad-tui started on the far side with its data directory in tmp.

Over ssh the far side gets TERM (in the pty request) and SSH_CONNECTION, but not COLORTERM: the
app runs in 256 colours. Other variables travel only when the client sends them (SendEnv) and the
server accepts them (AcceptEnv NO_COLOR here).

Skipped when sshd, ssh or ssh-keygen is missing, unless AOAD_TUI_REQUIRE_SSH=1 (as in CI): then
they fail.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from support.isolation import isolated_env
from support.ptyharness import PtyApp, terminal_env
from support.screens import FIRST_FRAME, OSC52, SCRIPT, TAB_CONTENT, visit_every_tab
from support.sshd import REQUIRE_ENV, SshdError, SshServer, missing_tools, ssh_required

from aoad_tui.model.bookmarks import FILE_NAME, parse_bookmarks

WAIT = 15.0  # generous: every wait returns as soon as the text is there
QUIET = 0.25  # the output has settled once nothing came for this long (ssh adds a little jitter)

SGR = re.compile(rb"\x1b\[([0-9;:]*)m")
# 256-colour indices without hue: the standard black, greys and white, the cube's diagonal, the ramp
GREY_INDICES = {0, 7, 8, 15, 16, 59, 102, 145, 188, 231, *range(232, 256)}
GREY_BASIC = {30, 37, 40, 47, 90, 97, 100, 107}


def _unavailable() -> str | None:
    missing = missing_tools()
    if missing:
        return (
            f"OpenSSH is not installed (missing: {', '.join(missing)}): "
            "apt-get install openssh-server openssh-client to run the tests over SSH"
        )
    if not SCRIPT.exists():
        return f"the aoad-tui console script is not installed next to {sys.executable}"
    return None


def _give_up(reason: str) -> None:
    if ssh_required():
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1: the tests over SSH must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshServer]:
    """One sshd for the module, on a free loopback port, stopped by its pid at the end."""
    reason = _unavailable()
    if reason:
        _give_up(reason)
    sshd = SshServer(tmp_path_factory.mktemp("sshd"), accept_env=("NO_COLOR",))
    try:
        sshd.start()
    except (SshdError, OSError, subprocess.SubprocessError) as error:
        _give_up(f"could not start a throwaway sshd: {error}")
    try:
        login = sshd.run(["/bin/sh", "-c", "echo logged-in"])
        if "logged-in" not in login.stdout:
            pytest.fail(f"could not log in to the throwaway sshd:\n{login.stderr}\n{sshd.log()}", pytrace=False)
        yield sshd
    finally:
        sshd.stop()


ENV = shutil.which("env") or "/usr/bin/env"


@contextmanager
def over_ssh(
    server: SshServer,
    data_dir: Path,
    *args: str,
    term: str = "xterm-256color",
    env: Mapping[str, str] | None = None,
    send_env: Sequence[str] = (),
    cols: int = 80,
    rows: int = 24,
) -> Iterator[PtyApp]:
    """`ssh -tt` in a pty of cols x rows, running the installed aoad-tui on the far side, where sshd
    gives it the user's home: its cache and config directories are set beside its data directory."""
    far_side = [f"{name}={value}" for name, value in isolated_env(data_dir.parent / "far-side").items()]
    remote = [ENV, *far_side, str(SCRIPT), "--data-dir", str(data_dir), *args]
    argv = server.ssh_argv(remote, send_env=send_env)
    # No COLORTERM: it would not travel anyway (the far side picks 256 colours from TERM).
    with PtyApp(argv, terminal_env(term=term, colorterm=None, extra=env), cols=cols, rows=rows) as app:
        yield app


def wait_settled(app: PtyApp, *needles: str, quiet: float = QUIET) -> None:
    app.wait_settled(*needles, timeout=WAIT, quiet=quiet)


def quit_cleanly(app: PtyApp) -> bytes:
    return app.quit_cleanly(timeout=WAIT)


def resize(app: PtyApp, cols: int, rows: int) -> None:
    """Resize the client's pty: the kernel sends ssh SIGWINCH and ssh forwards a window-change."""
    app.proc.setwinsize(rows, cols)
    app.screen.resize(rows, cols)


def colours(raw: bytes) -> tuple[set[str], set[str]]:
    """Every colour an SGR sequence in `raw` sets, split into (greys, hues)."""
    greys: set[str] = set()
    hues: set[str] = set()
    for match in SGR.finditer(raw):
        params = [int(p) if p.isdigit() else -1 for p in re.split(rb"[;:]", match.group(1))]
        i = 0
        while i < len(params):
            p = params[i]
            if p in (38, 48, 58) and i + 2 < len(params) and params[i + 1] == 5:
                n = params[i + 2]
                (greys if n in GREY_INDICES else hues).add(f"{p};5;{n}")
                i += 3
            elif p in (38, 48, 58) and i + 4 < len(params) and params[i + 1] == 2:
                r, g, b = params[i + 2 : i + 5]
                (greys if r == g == b else hues).add(f"{p};2;{r};{g};{b}")
                i += 5
            else:
                if 30 <= p <= 47 or 90 <= p <= 107:
                    (greys if p in GREY_BASIC else hues).add(str(p))
                i += 1
    return greys, hues


def far_side_pids(marker: str, client_pid: int) -> set[int]:
    """Processes whose command line contains `marker` (pgrep -f; /proc where procps is missing),
    the local ssh client excepted."""
    if shutil.which("pgrep"):
        found = subprocess.run(["pgrep", "-f", re.escape(marker)], capture_output=True, text=True, check=False)
        pids = {int(pid) for pid in found.stdout.split()}
    else:
        pids = set()
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            with contextlib.suppress(OSError):
                if marker.encode() in cmdline.read_bytes():
                    pids.add(int(cmdline.parent.name))
    return pids - {client_pid, os.getpid()}


# --- the tests -------------------------------------------------------------------------------------


def test_whole_session_over_ssh(server: SshServer, tmp_path: Path) -> None:
    """Every tab, a search with a typo, a bookmark, a copy through OSC 52, quit; then the bookmark
    is still there in a second session."""
    data = tmp_path / "data"
    with over_ssh(server, data) as app:
        wait_settled(app, *FIRST_FRAME)

        visit_every_tab(app, wait_settled)

        app.press("1")
        wait_settled(app, *TAB_CONTENT["1"])
        app.press("/")
        app.settle(quiet=0.5, first=2.0)
        # The search box has focus (what is typed next lands in it). sshd set SSH_CONNECTION, so
        # its cursor does not blink: an idle screen sends nothing.
        idle = app.drain(1.5)
        assert idle == 0, f"{idle} bytes in 1.5 s of idle over ssh: {bytes(app.raw[-idle:])[:200]!r}"
        app.send(b"cheongsn")  # a typo for Cheongsan
        wait_settled(app, "cheongsn", "person Yoon Chan-young", "Cheong-san")
        app.press("enter")  # into the results
        app.settle(quiet=QUIET)
        app.press("enter")  # open the best one: Yoon Chan-young's detail, over the results
        wait_settled(app, "Cast of the 2022 series, as Cheong-san", "esc Back")
        assert "cheongsn" not in app.text(), "the detail does not cover the search"

        app.press("b")  # acts on the entry shown
        app.press("escape")  # back to the results, the query kept
        wait_settled(app, "★ person Yoon Chan-young", "cheongsn")
        assert app.text().count("★") == 1

        app.press("3")
        wait_settled(app, "TV Guide")
        start = len(app.raw)
        app.press("y")
        assert app.wait_output(OSC52, start, timeout=WAIT), "y wrote no OSC 52 sequence through ssh"
        app.settle(quiet=QUIET)
        payloads = [base64.b64decode(m.group(1)).decode() for m in OSC52.finditer(bytes(app.raw[start:]))]
        assert "Nothing is confirmed yet. but, personally, I really hope that he's alive." in payloads[-1]
        assert "Yoon Chan-young" in payloads[-1]  # the attribution travels with the words

        after_quit = quit_cleanly(app)
        assert b"\x1b[?1049l" in after_quit  # the alternate screen was left

    saved = parse_bookmarks((data / FILE_NAME).read_bytes())
    assert [b.key for b in saved] == [("person", "yoon-chan-young")]

    with over_ssh(server, data) as app:
        wait_settled(app, *FIRST_FRAME)
        app.press("5")
        wait_settled(app, "Yoon Chan-young", "added")
        screen = app.text()
        assert re.search(r"person +Yoon Chan-young +\[confirmed\]", screen), screen
        assert "No bookmarks yet" not in screen
        quit_cleanly(app)


def test_resize_travels_through_ssh(server: SshServer, tmp_path: Path) -> None:
    with over_ssh(server, tmp_path / "data", "--tab", "cast") as app:
        wait_settled(app, "Yoon Chan-young", "Lomon", "Quit")
        assert "Status:" not in app.text()  # at 80 columns the Cast list has no preview

        resize(app, 120, 30)
        wait_settled(app, "Status: [confirmed]", "Sources")  # the preview of the highlighted entry
        assert max(len(line.rstrip()) for line in app.lines()) > 80, app.text()

        resize(app, 30, 10)
        wait_settled(app, "Terminal too small")
        assert "Lomon" not in app.text()

        resize(app, 80, 24)
        wait_settled(app, "Yoon Chan-young", "Lomon", "Quit")
        assert "Terminal too small" not in app.text()
        assert "Status:" not in app.text()
        quit_cleanly(app)


@pytest.mark.parametrize("term", ["xterm-256color", "screen-256color", "tmux-256color", "linux"])
def test_terminal_types_over_ssh(server: SshServer, tmp_path: Path, term: str) -> None:
    with over_ssh(server, tmp_path / "data", term=term) as app:
        wait_settled(app, *FIRST_FRAME)
        quit_cleanly(app)


def test_no_color_travels_with_send_env(server: SshServer, tmp_path: Path) -> None:
    with over_ssh(server, tmp_path / "data") as app:  # the control: colour, so hues can be seen
        wait_settled(app, *FIRST_FRAME)
        _, hues = colours(bytes(app.raw))
        quit_cleanly(app)
    assert hues, "no colour at all without NO_COLOR: the check below could not tell"

    with over_ssh(server, tmp_path / "data", env={"NO_COLOR": "1"}, send_env=["NO_COLOR"]) as app:
        wait_settled(app, "Overview", "[confirmed]", "[announced]", "Quit")  # every status as a word
        greys, hues = colours(bytes(app.raw))
        quit_cleanly(app)
    assert greys, "no SGR colour at all: is this still the 256-colour output?"
    assert not hues, f"colours with a hue despite NO_COLOR: {sorted(hues)}"


def test_killing_the_client_ends_the_far_side(server: SshServer, tmp_path: Path) -> None:
    data = tmp_path / "killed-client-data"  # unique: it marks the far side's command line
    with over_ssh(server, data, "--tab", "cast") as app:
        wait_settled(app, "Yoon Chan-young", "Lomon", "Quit")
        app.press("j")
        app.settle(quiet=QUIET)
        app.press("b")
        wait_settled(app, "★ Yoon Chan-young")
        far_side = far_side_pids(str(data), app.pid)
        assert far_side, "pgrep -f found no far-side aoad-tui: the check below would prove nothing"

        os.kill(app.pid, signal.SIGKILL)  # the client dies; sshd closes the pty, the app gets SIGHUP
        app.wait_exit(timeout=WAIT)
        assert not app.alive()

        deadline = time.monotonic() + 10.0
        left = far_side_pids(str(data), app.pid)
        while left and time.monotonic() < deadline:
            time.sleep(0.1)
            left = far_side_pids(str(data), app.pid)
        assert not left, f"aoad-tui still running 10 s after its ssh client was killed: pids {sorted(left)}"

    raw = (data / FILE_NAME).read_bytes()
    json.loads(raw)  # valid JSON, not a torn write
    assert [b.key for b in parse_bookmarks(raw)] == [("person", "yoon-chan-young")]
    kept = (FILE_NAME, "seen.json")  # the bookmarks, and what the visit showed: nothing half-written besides
    assert not [p.name for p in data.iterdir() if p.name not in kept and not p.name.endswith(".lock")], (
        f"left in the data directory: {sorted(p.name for p in data.iterdir())}"
    )
