"""What a session's process is told (serve/session.py: its request, the character set of its
locale), how the request reaches the zygote (spawn.ForkSpawner to zygote.fork_session, over a
socket pair, with fork stubbed out), and `aoad-tui serve`'s options (serve/cli.py)."""

from __future__ import annotations

import argparse
import asyncio
import codecs
import contextlib
import fcntl
import io
import os
import signal
import socket
import stat
import struct
import sys
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from aoad_tui.cli import build_parser
from aoad_tui.serve import zygote
from aoad_tui.serve.limits import Limits
from aoad_tui.serve.options import duration, limits_of
from aoad_tui.serve.pump import MAX_SIZE, set_size
from aoad_tui.serve.rules import allowed_command, private_env, session_env
from aoad_tui.serve.session import SessionRequest, become_session, locale_encoding, run
from aoad_tui.serve.spawn import ForkSpawner

# --- the locale's character set -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "en_US.UTF-8"}, "utf-8"),
        ({"LANG": "en_US.utf8"}, "utf-8"),
        ({"LANG": "C"}, "utf-8"),
        ({"LANG": "C.UTF-8"}, "utf-8"),
        ({}, "utf-8"),
        ({"LANG": "en_US.ISO-8859-1"}, codecs.lookup("iso-8859-1").name),
        ({"LANG": "de_DE.ISO-8859-15@euro"}, codecs.lookup("iso-8859-15").name),
        ({"LANG": "ja_JP.eucJP"}, codecs.lookup("euc-jp").name),
        ({"LANG": "en_US.NOT-A-CHARSET"}, "utf-8"),
        ({"LANG": "en_US."}, "utf-8"),
    ],
)
def test_the_encoding_is_the_charset_the_locale_names(env: dict[str, str], expected: str) -> None:
    assert locale_encoding(env) == expected


def test_lc_all_wins_over_lc_ctype_which_wins_over_lang() -> None:
    latin = codecs.lookup("iso-8859-1").name
    assert locale_encoding({"LANG": "en_US.UTF-8", "LC_ALL": "en_US.ISO-8859-1"}) == latin
    assert locale_encoding({"LANG": "en_US.ISO-8859-1", "LC_ALL": "en_US.UTF-8"}) == "utf-8"
    assert locale_encoding({"LANG": "en_US.UTF-8", "LC_CTYPE": "en_US.ISO-8859-1"}) == latin
    assert locale_encoding({"LC_CTYPE": "en_US.ISO-8859-1", "LC_ALL": "C.UTF-8"}) == "utf-8"


@pytest.mark.parametrize("charset", ["base64", "hex", "rot13", "zlib", "undefined"])
def test_a_charset_that_is_no_text_encoding_falls_back_to_utf_8(charset: str) -> None:
    env = session_env({"LANG": f"en_US.{charset}"}, "xterm", truecolor=True, private={})
    assert env["LANG"] == f"en_US.{charset}"  # the server lets it through
    stream = io.TextIOWrapper(io.BytesIO(), encoding=locale_encoding(env))
    stream.write("Cheong-san é")
    stream.flush()


# --- the request --------------------------------------------------------------------------------


def test_a_session_request_survives_its_trip_as_json() -> None:
    request = SessionRequest(
        "/srv/aoad/users/0123abcd",
        {"LANG": "ko_KR.UTF-8", "TERM": "xterm-256color"},
        ["search", '청산 "quoted" é', "--json"],
        guest=True,
        warning="This session ends in 60 seconds unless you press a key.",
        length_warning="This session reaches its time limit in 60 seconds.",
    )
    text = request.to_json()
    assert isinstance(text, str)
    assert SessionRequest.from_json(text) == request
    assert SessionRequest.from_json(SessionRequest("/d").to_json()) == SessionRequest("/d")


@contextmanager
def zygote_pair(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[ForkSpawner, socket.socket]]:
    """A ForkSpawner talking to our end of a socket pair instead of a zygote process, and a fork
    that only pretends (the zygote's parent side runs; no child is ever made)."""
    monkeypatch.setattr(os, "fork", lambda: 4242)
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    ours.setblocking(False)
    spawner = ForkSpawner({})
    spawner.socket = ours
    loop = asyncio.get_running_loop()
    loop.add_reader(ours.fileno(), spawner.receive, ours)
    try:
        yield spawner, theirs
    finally:
        loop.remove_reader(ours.fileno())
        ours.close()
        theirs.close()


async def spawn_through(spawner: ForkSpawner, zygote_end: socket.socket, request: SessionRequest) -> int:
    """The request sent as the server sends it and read as the zygote reads it: the child's pid."""
    read, write = os.pipe()
    wakeup = os.pipe()
    try:
        task = asyncio.ensure_future(spawner.spawn(request, (read, write, write)))
        for _ in range(5):
            await asyncio.sleep(0)
        assert not task.done()  # sent, and waiting for the pid
        try:
            assert zygote.fork_session(zygote_end, wakeup, None) is True
        except BaseException:
            task.cancel()
            raise
        child = await asyncio.wait_for(task, 5)
        return child.pid
    finally:
        for fd in (read, write, *wakeup):
            os.close(fd)


async def test_a_request_reaches_the_zygote_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    env = session_env({"LANG": "ko_KR.UTF-8"}, "xterm-256color", truecolor=True, private={"HOME": "/srv/u"})
    request = SessionRequest("/srv/u", env, ["search", "청산"], warning="soon")
    children: list[SessionRequest] = []
    monkeypatch.setattr(zygote, "run_guarded", lambda request, *_: children.append(request))
    with zygote_pair(monkeypatch) as (spawner, zygote_end):
        assert await spawn_through(spawner, zygote_end, request) == 4242
    assert children == []  # the parent's side only: no child's part ran here


async def test_a_request_with_long_client_variables_reaches_the_zygote_small_and_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = {f"LC_{letter}{letter * 30_000}": "x" for letter in "ABC"}  # names no locale has
    request = SessionRequest("/srv/g", session_env(client, "xterm", truecolor=True, private={}))
    assert len(request.to_json()) < 1000
    with zygote_pair(monkeypatch) as (spawner, zygote_end):
        assert await spawn_through(spawner, zygote_end, request) == 4242


async def test_a_socket_of_a_replaced_zygote_is_ignored_and_no_longer_watched() -> None:
    """A zygote's socket still readable (its end closed) after another replaced it: what it says
    is never taken for the current zygote's going."""
    stale, stale_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    current, current_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    stale.setblocking(False)
    spawner = ForkSpawner({})
    spawner.socket = current
    loop = asyncio.get_running_loop()
    waiting: asyncio.Future[int] = loop.create_future()
    spawner.pending[1] = waiting
    try:
        loop.add_reader(stale.fileno(), spawner.receive, stale)
        stale_end.close()  # the old zygote has gone: its socket reads as the end
        for _ in range(5):
            await asyncio.sleep(0)
        assert not waiting.done()  # the current zygote's requests still wait for it
        assert spawner.socket is current and current.fileno() != -1
        assert loop.remove_reader(stale.fileno()) is False  # receive stopped watching it
    finally:
        loop.remove_reader(stale.fileno())
        for sock in (stale, current, current_end):
            sock.close()


def test_only_the_standard_locale_variables_are_passed() -> None:
    client = {
        "LC_ALL": "ko_KR.UTF-8",
        "LC_CTYPE": "en_US.UTF-8",
        "LC_TIME": "C",
        "LC_TERMINAL": "iTerm2",  # sent by some clients; no locale category
        "LC_IDENTIFICATION_X": "x",
        "LC_": "x",
        "lc_all": "x",
    }
    env = session_env(client, "xterm", truecolor=True, private={})
    assert {name for name in env if name.upper().startswith("LC_")} == {"LC_ALL", "LC_CTYPE", "LC_TIME"}
    assert env["LC_ALL"] == "ko_KR.UTF-8"


def test_a_command_longer_than_any_search_is_refused() -> None:
    assert allowed_command("search " + "é" * 15_000) is None
    assert allowed_command("search " + "é" * 100) is not None


def test_a_request_the_zygote_cannot_use_never_ends_it() -> None:
    """A datagram that is not a request (cut short, not JSON, no descriptors): the zygote says so
    and goes on, for every other session needs it."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    wakeup = os.pipe()
    try:
        for message in (b'{"id": 1, "request": {"data_dir"', b"not json", b'{"id": 2, "request": {}}'):
            ours.send(message)
            assert zygote.fork_session(theirs, wakeup, None) is True
        ours.close()
        assert zygote.fork_session(theirs, wakeup, None) is False  # the server has gone
    finally:
        theirs.close()
        for fd in wakeup:
            os.close(fd)


# --- the session's terminal ---------------------------------------------------------------------


def size_of(fd: int) -> tuple[int, int]:
    rows, columns, _, _ = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, bytes(8)))
    return columns, rows


@pytest.mark.parametrize(
    ("claimed", "given"),
    [((80, 24), (80, 24)), ((0, 0), (1, 1)), ((10**6, 10**6), MAX_SIZE), ((MAX_SIZE[0] + 1, 30), (MAX_SIZE[0], 30))],
)
def test_the_app_gets_the_client_s_window_size_within_bounds(claimed: tuple[int, int], given: tuple[int, int]) -> None:
    master, slave = os.openpty()
    try:
        set_size(master, *claimed)
        assert size_of(slave) == given
    finally:
        os.close(master)
        os.close(slave)


def ended_by(number: int) -> int:
    """A child process that becomes a session (become_session, on /dev/null), is sent `number` by
    the server a moment later, and then leaves with 0: its exit code (negative: the signal)."""
    null = os.open(os.devnull, os.O_RDWR)
    pid = os.fork()
    if pid == 0:  # the child: nothing of pytest's is used, and it always leaves by os._exit
        code = 3
        try:
            become_session((null, null, null))
            os.kill(os.getpid(), number)
            time.sleep(0.05)
            code = 0
        finally:
            os._exit(code)
    os.close(null)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


@pytest.mark.parametrize("number", [signal.SIGUSR1, signal.SIGUSR2], ids=["idle", "length"])
def test_a_warning_from_the_server_never_ends_the_session_s_process(number: signal.Signals) -> None:
    assert ended_by(number) == 0


def test_a_session_s_process_still_ends_when_the_server_says_so() -> None:
    assert ended_by(signal.SIGTERM) == -signal.SIGTERM


# --- `aoad-tui serve`'s options -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90), ("90s", 90), ("30m", 1800), ("1.5h", 5400), ("12h", 43200), ("0", 0), (" 10m ", 600)],
)
def test_a_duration_is_seconds_minutes_or_hours(text: str, seconds: float) -> None:
    assert duration(text) == seconds


@pytest.mark.parametrize("text", ["", "m", "-5", "1d", "ten", "1e3", "1.5.h", "30 m", "30mm", "0x10"])
def test_a_bad_duration_is_an_argument_error(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        duration(text)


def test_serve_s_limits_come_from_its_options_and_default_otherwise() -> None:
    args = build_parser().parse_args(["serve", "--max-sessions", "5", "--idle-timeout", "10m"])
    assert limits_of(args) == Limits(sessions=5, idle=600)
    assert limits_of(build_parser().parse_args(["serve"])) == Limits()


def test_every_limit_has_an_option() -> None:
    argv = [
        "serve",
        *("--max-sessions", "7", "--max-per-user", "2", "--max-per-address", "3", "--max-per-minute", "4"),
        *("--max-logging-in", "5", "--max-starting", "6", "--login-timeout", "15s", "--idle-timeout", "0"),
        *("--max-length", "2h", "--warning", "1m", "--max-memory", "512"),
    ]
    limits = limits_of(build_parser().parse_args(argv))
    assert limits == Limits(
        sessions=7,
        per_user=2,
        per_address=3,
        per_address_per_minute=4,
        unauthenticated=5,
        starting=6,
        login_timeout=15,
        idle=0,
        length=7200,
        warning=60,
        memory=512,
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["--max-sessions", "0"],
        ["--max-sessions", "-3"],
        ["--max-sessions", "many"],
        ["--max-per-user", "1.5"],
        ["--idle-timeout", "soon"],
        ["--max-length", "-1h"],
        ["--spawn", "thread"],
    ],
)
def test_a_bad_option_value_stops_the_parser(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        build_parser().parse_args(["serve", *argv])
    assert raised.value.code != 0
    assert capsys.readouterr().err.strip()  # said why


def test_serve_without_the_extra_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from aoad_tui.__main__ import main

    monkeypatch.setitem(sys.modules, "asyncssh", None)  # as if it were not installed
    assert main(["serve", "--port", "0"]) == 2
    assert "aoad-tui[serve]" in capsys.readouterr().err


# --- a command run as a session (session.run) ---------------------------------------------------


@pytest.fixture
def restored() -> Iterator[None]:
    """session.run takes the process over (its environment, stdio, umask): given back after."""
    environ = dict(os.environ)
    streams = {name: getattr(sys, name) for name in ("stdin", "stdout", "stderr")}
    originals = {name: getattr(sys, f"__{name}__") for name in streams}
    umask = os.umask(0o022)
    os.umask(umask)
    try:
        yield
    finally:
        for name in streams:
            with contextlib.suppress(Exception):
                getattr(sys, name).flush()
        os.environ.clear()
        os.environ.update(environ)
        for name, stream in streams.items():
            setattr(sys, name, stream)
            setattr(sys, f"__{name}__", originals[name])
        os.umask(umask)


def run_command(tmp_path: Path, command: list[str]) -> int:
    data = tmp_path / "user"
    env = session_env({}, None, truecolor=False, private=private_env(data, tmp_path / "seeds", tmp_path / "cache"))
    del env["AOAD_TUI_SEEDS"]  # the bundled seeds
    code = run(SessionRequest(str(data), env, command), None)
    sys.stdout.flush()
    sys.stderr.flush()
    assert stat.S_IMODE(data.stat().st_mode) == 0o700  # the user's alone
    return code


@pytest.mark.usefixtures("restored")
def test_a_command_s_help_is_its_answer_not_the_end_of_the_session(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    # run() writes to descriptors 1 and 2 through streams of its own: capfd, not capsys, sees that.
    assert run_command(tmp_path, ["search", "--help"]) == 0
    out = capfd.readouterr().out
    assert "QUERY" in out and "--json" in out


@pytest.mark.usefixtures("restored")
def test_a_command_s_usage_error_is_its_exit_code_not_the_end_of_the_session(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    code = run_command(tmp_path, ["search"])
    assert code == 2  # argparse's usage error
    captured = capfd.readouterr()
    assert "search" in captured.err and captured.out == ""
