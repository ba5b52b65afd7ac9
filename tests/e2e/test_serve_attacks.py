"""End to end: `aoad-tui serve` against a hostile client (tests/support/hostile.py, paramiko) that
sends what OpenSSH's client never does. Each attack is bounded in bytes and seconds, runs against a
server of its own on 127.0.0.1 (started here, stopped by its pid), and must leave the server's
memory (VmRSS of the server process) less than 64 MiB above where it was.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.hostile import (
    IdleHolders,
    app_session,
    flood_env,
    flood_keys,
    guest,
    read_some,
    rss_mib,
    time_to_get_in,
)
from support.ptyharness import peak_rss_kib
from support.served import Server, alive, client_key
from support.sshd import SshdError

from aoad_tui.serve.connection import WINDOW
from aoad_tui.serve.lifetime import FLOODING_NICE
from aoad_tui.serve.pump import INPUT_BURST, INPUT_RATE

pytest.importorskip("asyncssh", reason="aoad-tui serve needs the serve extra (asyncssh)")

SCRIPT = Path(sys.executable).parent / "aoad-tui"
GROWTH_MIB = 64  # what one attack may add to the server's memory
ENV_BUDGET_MIB = 400  # what the measured attack sent (the server then held 447 MiB)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    served = Server(tmp_path / "serve")
    try:
        served.start()
    except SshdError as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield served
    finally:
        served.stop()


def peak_rss_mib(pid: int) -> float:
    return (peak_rss_kib(pid) or 0) / 1024


def niceness(pid: int) -> tuple[int, int | None]:
    """A process's niceness, and its session group's where Linux groups them (autogroup)."""
    own = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])
    try:
        group: int | None = int(Path(f"/proc/{pid}/autogroup").read_text().split("nice")[1])
    except (OSError, IndexError, ValueError):
        group = None
    return own, group


@pytest.mark.parametrize("started", [False, True], ids=["before-start", "after-start"])
def test_an_environment_flood_is_dropped_and_logged(server: Server, started: bool) -> None:
    before = rss_mib(server.pid)
    transport = guest(server.port)
    try:
        channel = app_session(transport, shell=started)
        if started:
            assert read_some(channel, 3.0), "the app never drew its first frame"
        else:
            time.sleep(1.5)  # past the server's first look at the new session
        flood = flood_env(channel, budget_mib=ENV_BUDGET_MIB, seconds=30)
        grown = rss_mib(server.pid) - before
    finally:
        transport.close()
    assert flood.dropped, f"{flood.sent_mib:.0f} MiB of environment sent in {flood.seconds:.1f} s, still connected"
    assert flood.sent_mib < ENV_BUDGET_MIB / 4
    assert grown < GROWTH_MIB, f"the server grew {grown:.0f} MiB"
    [refused] = [line for line in server.wait_log("refused") if "environment" in line.get("reason", "")]
    assert ("after the session started" in refused["reason"]) is started, refused


@pytest.mark.parametrize("chunk", [64, 4096])
def test_a_keystroke_flood_waits_in_the_client_and_the_flooder_yields_the_cpu(server: Server, chunk: int) -> None:
    """Eight guest sessions writing NUL bytes as fast as the server takes them, in packets of
    `chunk` bytes: the server holds at most a window or two of each, takes keys at INPUT_RATE past
    its burst, and the flooding sessions run niced. (Before: 2 MiB windows, about 4 KiB/s taken,
    the server +135 MiB in a minute; small packets got past a pause at 58 KiB/s.)"""
    seconds = 12.0
    transports = [guest(server.port, f"flood{n}") for n in range(8)]
    try:
        channels = [app_session(transport) for transport in transports]
        for channel in channels:
            assert read_some(channel, 1.0), "the app never drew its first frame"
        before = rss_mib(server.pid)
        taken = flood_keys(channels, seconds, chunk=b"\0" * chunk)
        grown = rss_mib(server.pid) - before
        sessions = server.sessions()
        niced = {pid: niceness(pid) for pid in sessions}
    finally:
        for transport in transports:
            transport.close()
    assert grown < GROWTH_MIB, f"the server grew {grown:.0f} MiB"
    most = INPUT_BURST + 2 * WINDOW + INPUT_RATE * seconds * 1.25
    assert max(taken) <= most, f"a session's keys were taken at {max(taken) / seconds:.0f} B/s: {taken}"
    assert min(taken) >= INPUT_BURST, taken  # and each was served
    assert len(niced) == 8, niced
    assert all(own == FLOODING_NICE and group in (None, FLOODING_NICE) for own, group in niced.values()), niced


def test_nul_bytes_do_not_keep_a_session_from_being_idle(tmp_path: Path) -> None:
    server = Server(tmp_path / "serve", "--idle-timeout", "5s", "--warning", "2s")
    server.start()
    try:
        transport = guest(server.port)
        try:
            channel = app_session(transport)
            assert read_some(channel, 1.0)
            flood_keys([channel], 12.0, chunk=b"\0" * 64)
            ended = server.wait_log("session", timeout=5)
        finally:
            transport.close()
    finally:
        server.stop()
    assert ended[-1]["end"] == "idle", ended


def log_is_one_line_per_event(server: Server) -> None:
    lines = server.log().splitlines()
    assert lines and all(line.startswith(("time=", "aoad-tui serve: ")) for line in lines), server.log()


def fds_of(pid: int) -> set[str]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            found.add(os.readlink(fd))
    return found


def test_sessions_hold_nothing_of_the_servers_and_start_in_their_users_directory(server: Server) -> None:
    transport = guest(server.port)
    try:
        channel = app_session(transport)
        assert read_some(channel, 2.0)
        [pid] = server.sessions()
        assert str(server.log_path) in fds_of(server.pid)  # the server's log: its stderr
        assert str(server.log_path) not in fds_of(pid)
        home = Path(os.readlink(f"/proc/{pid}/cwd"))
        assert home.is_relative_to(server.data), home  # the guest's own directory, not the operator's
    finally:
        transport.close()


def test_a_long_term_and_a_refused_command_are_one_cut_line_each(server: Server) -> None:
    transport = guest(server.port, "n" * 1000)
    try:
        channel = transport.open_session(timeout=10)
        channel.set_combine_stderr(True)  # the server's lines go to stderr
        channel.get_pty("x" * 30_000, 80, 24)
        channel.invoke_shell()
        said = read_some(channel, 5.0).decode(errors="replace")
        assert "longer than 64 characters" in said, said
        channel = transport.open_session(timeout=10)
        channel.set_combine_stderr(True)
        channel.exec_command("rm -rf / " + "y" * 5000)
        assert "not allowed" in read_some(channel, 5.0).decode(errors="replace")
    finally:
        transport.close()
    sessions = server.wait_log("session", count=2)
    assert [line["end"] for line in sessions] == ["refused:term", "refused:command"], sessions
    assert sessions[1]["kind"] == "exec"
    log_is_one_line_per_event(server)
    assert max(len(line) for line in server.log().splitlines()) < 1000


def test_a_session_that_fails_is_one_line_and_its_traceback_goes_to_the_debug_log(tmp_path: Path) -> None:
    """A session whose process may hold 1 MiB more than it has (--max-memory) fails as it starts."""
    tracebacks = tmp_path / "tracebacks.log"
    server = Server(tmp_path / "serve", "--max-memory", "1", "--debug-log", str(tracebacks))
    server.start()
    try:
        transport = guest(server.port)
        try:
            channel = app_session(transport)
            said = read_some(channel, 10.0).decode(errors="replace")
        finally:
            transport.close()
        [error] = server.wait_log("error")
        server.wait_log("session")
    finally:
        server.stop()
    assert "this session failed" in said and "Traceback" not in said, said
    assert error["traceback"] == str(tracebacks), error
    written = tracebacks.read_text()
    assert "MemoryError" in written and written.count("--- pid") == 1, written
    assert server.log_lines("session")[-1]["end"] == "error"
    log_is_one_line_per_event(server)


@pytest.mark.parametrize("what", ["data-dir", "host-key"])
def test_a_data_directory_or_host_key_others_can_read_stops_the_server_with_the_fix(tmp_path: Path, what: str) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    key = tmp_path / "host_key"
    key.write_bytes(b"")  # not read: the mode is checked first
    (data if what == "data-dir" else key).chmod(0o777 if what == "data-dir" else 0o644)
    key.chmod(0o644 if what == "host-key" else 0o600)
    argv = ["serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", str(data), "--host-key", str(key)]
    done = subprocess.run(
        [str(SCRIPT), *argv], check=False, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 1, done
    fix = f"chmod 700 {data}" if what == "data-dir" else f"chmod 600 {key}"
    assert fix in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1, done.stderr


def test_a_real_user_gets_in_within_10_s_while_17_addresses_hold_every_login_place_they_may(tmp_path: Path) -> None:
    """17 addresses x 16 TCP connections that send nothing (reopened as they are closed) held all
    256 places before: a real `ssh` was told "too many people are logging in" for as long as
    they held them. Each address now holds at most 8 places, and once half are taken a
    connection has 5 s to log in and new ones are dropped at random (the user may retry)."""
    server = Server(tmp_path / "serve")
    server.start()
    key = client_key(tmp_path / "keys", "fan")
    holders = IdleHolders(server.port, [f"127.0.0.{n}" for n in range(2, 19)], each=16)
    try:
        deadline = time.monotonic() + 20
        while holders.count() < 17 * 16 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert time.monotonic() < deadline, f"the attack held only {holders.count()} connections"
        took, tries = time_to_get_in(server.port, key, tmp_path / "home")
    finally:
        holders.stop()
        server.stop()
    assert took < 10, f"no way in for {took:.1f} s, {tries} tries"
    reasons = {line["reason"] for line in server.log_lines("refused")}
    assert any("are logging in (at most 8)" in reason for reason in reasons), reasons  # the attack did try


def test_past_the_memory_of_all_sessions_the_largest_is_told_and_ended(tmp_path: Path) -> None:
    """A budget smaller than one session (--max-total-memory 8, in MiB): the session is ended
    within a few seconds, told why on its terminal, and the log says what it used."""
    server = Server(tmp_path / "serve", "--max-total-memory", "8")
    server.start()
    try:
        transport = guest(server.port)
        try:
            channel = app_session(transport)
            channel.set_combine_stderr(True)
            said = read_some(channel, 20.0).decode(errors="replace")
        finally:
            transport.close()
        [over] = server.wait_log("memory")
        [ended] = server.wait_log("session")
    finally:
        server.stop()
    assert "memory" in said and "has ended" in said, said[-300:]
    assert float(over["used"]) > 8 and over["budget"] == "8", over
    assert ended["end"] == "memory", ended


def test_a_session_typing_for_60_s_stays_under_200_mib(server: Server) -> None:
    """`/abcdefgh` over and over, as fast as the server takes keys: the session's process went
    41 -> 987 MiB in 70 s before (the search box held all of it), then died at its 1 GiB cap."""
    transport = guest(server.port)
    try:
        channel = app_session(transport)
        assert read_some(channel, 1.0)
        [pid] = server.sessions()
        flood_keys([channel], 60.0, chunk=b"/abcdefgh" * 16)
        peak = peak_rss_mib(pid)
        assert alive(pid), "the session ended while typing"
    finally:
        transport.close()
    assert peak < 200, f"the session's process peaked at {peak:.0f} MiB"
