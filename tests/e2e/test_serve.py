"""End to end through `aoad-tui serve`: the installed command serving on 127.0.0.1 (started here,
stopped by its pid: tests/support/served.py), reached by the real OpenSSH client in a pseudo-
terminal read through pyte (tests/support/ptyharness.py), each user with a key of their own.

Skipped when ssh or ssh-keygen is missing, unless AOAD_TUI_REQUIRE_SSH=1 (as in CI): then they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import termios
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from support.ptyharness import PtyApp
from support.served import Server, alive, client_env, client_key, descendants, environ_of, ssh_argv
from support.sshd import REQUIRE_ENV, SshdError, missing_tools, ssh_required

from aoad_tui.model.bookmarks import FILE_NAME, parse_bookmarks
from aoad_tui.serve.people import user_id
from aoad_tui.serve.session import REQUEST_ENV

pytest.importorskip("asyncssh", reason="aoad-tui serve needs the serve extra (asyncssh)")

SCRIPT = Path(sys.executable).parent / "aoad-tui"
WAIT = 15.0
QUIET = 0.25
FIRST_FRAME = ("Overview", "All Of Us Are Dead", "Quit")


def _give_up(reason: str) -> None:
    if ssh_required():
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1: the tests over SSH must run)", pytrace=False)
    pytest.skip(reason)


def start_server(root: Path, *options: str) -> Server:
    missing = [name for name in missing_tools() if name != "sshd"]
    if missing:
        _give_up(f"OpenSSH client programs missing: {', '.join(missing)}")
    server = Server(root, *options)
    try:
        server.start()
    except SshdError as error:
        pytest.fail(str(error), pytrace=False)
    return server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the module; tests that need other limits start their own."""
    served = start_server(tmp_path_factory.mktemp("serve"))
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    return tmp_path / "keys"


def fingerprint_of(key: Path) -> str:
    ssh_keygen = shutil.which("ssh-keygen")
    assert ssh_keygen is not None
    out = subprocess.run([ssh_keygen, "-lf", f"{key}.pub"], capture_output=True, text=True, check=True).stdout
    return out.split()[1]


def bookmarks_of(server: Server, key: Path) -> list[tuple[str, str]]:
    path = server.data / "users" / user_id(fingerprint_of(key)) / FILE_NAME
    return [b.key for b in parse_bookmarks(path.read_bytes())] if path.exists() else []


@contextmanager
def session(
    server: Server, key: Path | None, home: Path, *options: str, cols: int = 80, rows: int = 24, **env: str
) -> Iterator[PtyApp]:
    """`ssh -tt` to the server in a pty of cols x rows."""
    home.mkdir(parents=True, exist_ok=True)
    with PtyApp(ssh_argv(server.port, key, options=options), client_env(home, **env), cols=cols, rows=rows) as app:
        yield app


def wait_settled(app: PtyApp, *needles: str) -> None:
    app.wait_settled(*needles, timeout=WAIT, quiet=QUIET)


def bookmark_in_cast(app: PtyApp, down: int = 1) -> None:
    """Bookmark the person `down` rows below the first in the Cast tab."""
    app.press("2")
    wait_settled(app, "Yoon Chan-young", "Lomon")
    for _ in range(down):
        app.press("j")
    app.settle(quiet=QUIET)
    stars = app.text().count("★")
    app.press("b")
    deadline = time.monotonic() + WAIT
    while app.text().count("★") <= stars and time.monotonic() < deadline:
        app.read_once(0.05)
    assert app.text().count("★") > stars, app.text()  # more: another session's may show up too
    app.settle(quiet=QUIET)


def run_ssh(
    server: Server, key: Path | None, home: Path, *command: str, options: Sequence[str] = ()
) -> subprocess.CompletedProcess[str]:
    """The ssh client without a pty (as a script runs it)."""
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        ssh_argv(server.port, key, *command, tty=False, options=options),
        env=client_env(home),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


# --- a fan's session ------------------------------------------------------------------------------


def test_a_whole_session_a_search_a_bookmark_and_a_resize(server: Server, keys: Path, tmp_path: Path) -> None:
    key = client_key(keys, "fan")
    with session(server, key, tmp_path / "home") as app:
        wait_settled(app, *FIRST_FRAME)
        wait_settled(app, fingerprint_of(key)[:16])  # told which key they are here
        for tab, needle in (("3", "Yoon Chan-young, TV Guide"), ("4", "Rumors"), ("6", "Source")):
            app.press(tab)
            wait_settled(app, needle)
        bookmark_in_cast(app)
        app.press("/")
        app.send(b"lomon")
        wait_settled(app, "Lomon  Cast of the 2022 series")
        app.press("escape")
        app.settle(quiet=QUIET)
        app.proc.setwinsize(30, 100)  # ssh sends a window-change; the app must hear of it
        app.screen.resize(30, 100)
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline and not any(len(line.rstrip()) > 80 for line in app.lines()):
            app.read_once(0.05)
        assert any(len(line.rstrip()) > 80 for line in app.lines()), app.text()
        app.quit_cleanly(timeout=WAIT)
    assert bookmarks_of(server, key) == [("person", "yoon-chan-young")]
    line = server.wait_log("session")[-1]
    assert line["end"] == "quit" and line["size"] == "100x30" and line["term"] == "xterm-256color"
    assert 0 < float(line["duration"]) < 120  # this session's length, in seconds
    assert line["user"] == user_id(fingerprint_of(key)) and line["name"] == "fan"


def test_two_users_see_only_their_own_bookmarks(server: Server, keys: Path, tmp_path: Path) -> None:
    first, second = client_key(keys, "first"), client_key(keys, "second")
    with session(server, first, tmp_path / "home") as app:
        wait_settled(app, *FIRST_FRAME)
        bookmark_in_cast(app)
        app.quit_cleanly(timeout=WAIT)
    with session(server, second, tmp_path / "home") as app:
        wait_settled(app, *FIRST_FRAME)
        app.press("5")
        wait_settled(app, "No bookmarks yet")
        app.quit_cleanly(timeout=WAIT)
    with session(server, first, tmp_path / "home") as app:
        wait_settled(app, *FIRST_FRAME)
        app.press("5")
        wait_settled(app, "Yoon Chan-young", "added")
        app.quit_cleanly(timeout=WAIT)
    assert bookmarks_of(server, second) == []


def test_one_user_in_two_sessions_loses_nothing(server: Server, keys: Path, tmp_path: Path) -> None:
    key = client_key(keys, "twice")
    with session(server, key, tmp_path / "a") as one, session(server, key, tmp_path / "b") as two:
        wait_settled(one, *FIRST_FRAME)
        wait_settled(two, *FIRST_FRAME)
        bookmark_in_cast(one, down=1)
        bookmark_in_cast(two, down=2)
        one.quit_cleanly(timeout=WAIT)
        two.quit_cleanly(timeout=WAIT)
    assert len(set(bookmarks_of(server, key))) == 2
    with session(server, key, tmp_path / "c") as app:
        wait_settled(app, *FIRST_FRAME)
        app.press("5")
        wait_settled(app, "Yoon Chan-young")
        assert app.text().count(" person ") >= 2 or app.text().count("person") >= 2, app.text()
        app.quit_cleanly(timeout=WAIT)


def test_a_guest_gets_in_without_a_key_and_keeps_nothing(server: Server, tmp_path: Path) -> None:
    with session(server, None, tmp_path / "home") as app:
        wait_settled(app, *FIRST_FRAME)
        wait_settled(app, "ssh-keygen")  # the app says how to keep bookmarks
        bookmark_in_cast(app)
        app.quit_cleanly(timeout=WAIT)
    assert server.wait_log("session")[-1]["user"] == "guest"
    assert not any((server.data / "guests").iterdir()), "a guest's data outlived the session"
    with session(server, None, tmp_path / "home") as app:
        wait_settled(app, *FIRST_FRAME)
        app.press("5")
        wait_settled(app, "No bookmarks yet")
        app.quit_cleanly(timeout=WAIT)


def test_the_same_user_after_a_server_restart_keeps_everything(keys: Path, tmp_path: Path) -> None:
    key = client_key(keys, "loyal")
    root = tmp_path / "serve"
    server = start_server(root)
    try:
        with session(server, key, tmp_path / "home") as app:
            wait_settled(app, *FIRST_FRAME)
            bookmark_in_cast(app)
            app.quit_cleanly(timeout=WAIT)
    finally:
        assert server.stop() == 0
    first_print = server.wait_log("start")[-1]["fingerprint"]
    server = start_server(root)
    try:
        assert server.wait_log("start", 2)[-1]["fingerprint"] == first_print  # the same host key
        with session(server, key, tmp_path / "home") as app:
            wait_settled(app, *FIRST_FRAME)
            app.press("5")
            wait_settled(app, "Yoon Chan-young", "added")
            app.quit_cleanly(timeout=WAIT)
    finally:
        server.stop()
    key_file = root / "data" / "ssh_host_ed25519_key"
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_the_host_key_is_published_and_an_unreadable_one_stops_the_server(tmp_path: Path) -> None:
    server = start_server(tmp_path / "serve")
    try:
        scan = subprocess.run(
            [shutil.which("ssh-keyscan") or "ssh-keyscan", "-t", "ed25519", "-p", str(server.port), "127.0.0.1"],
            capture_output=True, text=True, timeout=30, check=True,
        )  # fmt: skip
        seen = subprocess.run(
            [shutil.which("ssh-keygen") or "ssh-keygen", "-lf", "-"],
            input=scan.stdout, capture_output=True, text=True, timeout=30, check=True,
        ).stdout.split()[1]  # fmt: skip
    finally:
        server.stop()
    printed = subprocess.run(
        [str(SCRIPT), "serve", "--fingerprint", "--data-dir", str(server.data)],
        capture_output=True, text=True, timeout=30, check=True,
    ).stdout.strip()  # fmt: skip
    assert printed == seen == server.log_lines("start")[0]["fingerprint"]

    key_file = server.data / "ssh_host_ed25519_key"
    key_file.write_bytes(b"-----BEGIN OPENSSH PRIVATE KEY-----\ngarbage\n")
    refused = subprocess.run(
        [str(SCRIPT), "serve", "--port", "0", "--data-dir", str(server.data)],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert refused.returncode == 1 and "host key" in refused.stderr and "Traceback" not in refused.stderr
    assert key_file.read_bytes().endswith(b"garbage\n")  # never replaced


# --- what is refused ------------------------------------------------------------------------------


def test_without_a_pty_one_line_says_to_use_ssh_t(server: Server, keys: Path, tmp_path: Path) -> None:
    result = run_ssh(server, client_key(keys, "k"), tmp_path / "home")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "ssh -t" in lines[0], result.stderr


@pytest.mark.parametrize("command", ["sh", "bash -c id", "search x --seeds /etc", "scp -t /tmp"])
def test_a_command_outside_the_allowlist_is_refused(server: Server, keys: Path, tmp_path: Path, command: str) -> None:
    result = run_ssh(server, client_key(keys, "k"), tmp_path / "home", command)
    assert result.returncode != 0
    assert "not allowed" in result.stderr and result.stdout == "", result


def test_allowed_commands_run_as_the_cli_runs_them(server: Server, keys: Path, tmp_path: Path) -> None:
    key = client_key(keys, "script")
    found = run_ssh(server, key, tmp_path / "home", "search", "lomon", "--json")
    assert found.returncode == 0, found.stderr
    assert any(row["title"] == "Lomon" for row in json.loads(found.stdout)["results"])
    export = run_ssh(server, key, tmp_path / "home", "bookmarks", "export", "--format", "md")
    assert export.returncode == 0 and export.stdout.startswith("#"), export


def test_a_commands_help_and_usage_errors_are_the_clis_own(server: Server, keys: Path, tmp_path: Path) -> None:
    key = client_key(keys, "k")
    helped = run_ssh(server, key, tmp_path / "home", "search", "--help")
    assert helped.returncode == 0 and "QUERY" in helped.stdout, helped
    wrong = run_ssh(server, key, tmp_path / "home", "search")  # no query: argparse's usage error
    assert wrong.returncode == 2 and "usage" in wrong.stderr.lower(), wrong
    assert "failed" not in helped.stderr + wrong.stderr


def test_a_connection_that_opens_no_session_is_closed(keys: Path, tmp_path: Path) -> None:
    server = start_server(tmp_path / "serve", "--login-timeout", "2s")
    try:
        started = time.monotonic()
        idle = run_ssh(server, client_key(keys, "k"), tmp_path / "home", options=["-N"])
        assert time.monotonic() - started < 15
        assert idle.returncode == 255 and "no session" in idle.stderr, idle
    finally:
        server.stop()


def test_forwarding_and_sftp_are_refused(server: Server, keys: Path, tmp_path: Path) -> None:
    key = client_key(keys, "k")
    tunnel = run_ssh(server, key, tmp_path / "home", options=["-W", f"127.0.0.1:{server.port}"])
    assert tunnel.returncode == 255 and "SSH-2.0" not in tunnel.stdout
    remote = run_ssh(
        server, key, tmp_path / "home", "news", options=["-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:9"]
    )
    assert remote.returncode == 255
    sftp = run_ssh(server, key, tmp_path / "home", "sftp", options=["-s"])
    assert sftp.returncode != 0


def marker_traps(folder: Path) -> tuple[dict[str, str], Path]:
    """Variables a hostile client sends, each of which would create the marker file if it reached
    a session's process: a sitecustomize on PYTHONPATH, a Textual driver, a preloaded library."""
    marker = folder / "marker"
    lib = folder / "lib"
    lib.mkdir(parents=True)
    touch = f"open({str(marker)!r}, 'a').close()\n"
    (lib / "sitecustomize.py").write_text(touch)
    (lib / "trap_driver.py").write_text(touch + "from textual.drivers.linux_driver import LinuxDriver as Driver\n")
    env = {"PYTHONPATH": str(lib), "TEXTUAL_DRIVER": "trap_driver:Driver", "TEXTUAL_LOG": str(marker)}
    compiler = shutil.which("cc")
    if compiler is not None:
        source = folder / "trap.c"
        source.write_text(
            # ssh itself runs with the client's environment: only a process other than ssh springs it
            "#include <stdio.h>\n#include <string.h>\n"
            "__attribute__((constructor)) static void trap(void) {\n"
            '  char name[64] = ""; FILE *comm = fopen("/proc/self/comm", "r");\n'
            "  if (comm) { fgets(name, sizeof name, comm); fclose(comm); }\n"
            '  if (strcmp(name, "ssh\\n") == 0) return;\n'
            f'  FILE *f = fopen("{marker}", "a"); if (f) fclose(f);\n'
            "}\n"
        )
        subprocess.run([compiler, "-shared", "-fPIC", "-o", str(folder / "trap.so"), str(source)], check=True)
        env["LD_PRELOAD"] = str(folder / "trap.so")
    return env, marker


def start_agent(path: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """An ssh-agent on `path` (in the foreground: stopped by its pid), for -A to forward."""
    program = shutil.which("ssh-agent")
    if program is None:
        _give_up("ssh-agent is not installed")
    assert program is not None
    agent = subprocess.Popen(
        [program, "-D", "-a", str(path)], stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env
    )
    deadline = time.monotonic() + 10
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return agent


@pytest.mark.parametrize("spawn", ["fork", "exec"])
def test_a_clients_environment_and_agent_never_reach_the_session(keys: Path, tmp_path: Path, spawn: str) -> None:
    traps, marker = marker_traps(tmp_path / "traps")
    server = start_server(tmp_path / "serve", "--spawn", spawn)
    agent: subprocess.Popen[bytes] | None = None
    try:
        send = [item for name in traps for item in ("-o", f"SendEnv={name}")]
        agent_socket = tmp_path / "agent.sock"
        agent = start_agent(agent_socket)  # -A offers it: the server must refuse
        key = client_key(keys, "k")
        options = ("-A", "-o", f"IdentityAgent={agent_socket}", *send)
        with session(server, key, tmp_path / "home", *options, **traps) as app:
            wait_settled(app, *FIRST_FRAME)
            (pid,) = server.sessions()
            if spawn == "exec":  # a forked child's /proc environ is the zygote's, from before the fork
                env = environ_of(pid)  # what the interpreter and the dynamic loader started with
                assert not set(env) & {*traps, "SSH_AUTH_SOCK"}, env
                asked = json.loads(env[REQUEST_ENV])["env"]  # what the session runs with
                assert not set(asked) & {*traps, "SSH_AUTH_SOCK"}, asked
                assert asked["COLORTERM"] == "truecolor" and asked["TERM"] == "xterm-256color"
            # The app is up: TEXTUAL_DRIVER named a driver it could not have imported.
            app.quit_cleanly(timeout=WAIT)
    finally:
        server.stop()
        if agent is not None:
            agent.kill()
            agent.wait()
    assert not marker.exists(), "a client's variable reached the server's processes"


@pytest.mark.parametrize("then", ["another-key", "keyboard-interactive"])
def test_a_key_offered_but_never_signed_with_is_never_the_user(keys: Path, tmp_path: Path, then: str) -> None:
    """As after soft-serve's 2026 advisory (GHSA-pchf-49fh-w34r): the client's agent offers key A
    and the server accepts the offer, but A's signature fails (the agent asks for a confirmation
    nobody gives). The client goes on with key B, or keyboard-interactive: the user is B, or a
    guest, never A."""
    server = start_server(tmp_path / "serve")
    offered, signed = client_key(keys, "offered"), client_key(keys, "signed")
    agent_socket = tmp_path / "agent.sock"
    refusing = {"PATH": os.environ.get("PATH", ""), "SSH_ASKPASS": shutil.which("false") or "/bin/false"}
    agent = start_agent(agent_socket, {**refusing, "SSH_ASKPASS_REQUIRE": "force", "DISPLAY": ":0"})
    try:
        add = [shutil.which("ssh-add") or "ssh-add", "-c", str(offered)]  # -c: each use asks to confirm
        subprocess.run(add, env={**refusing, "SSH_AUTH_SOCK": str(agent_socket)}, check=True, capture_output=True)
        options = (
            "-v",  # says which key was offered, accepted, and failed to sign
            "-o", f"IdentityAgent={agent_socket}", "-o", "IdentitiesOnly=no", "-o", "PubkeyAuthentication=yes",
            "-o", "PreferredAuthentications=publickey,keyboard-interactive",
        )  # fmt: skip
        key = signed if then == "another-key" else None
        argv = ssh_argv(server.port, key, "search", "cheongsan", tty=False, options=options)
        home = client_env(tmp_path / "home")
        done = subprocess.run(argv, check=False, env=home, capture_output=True, text=True, timeout=60)
    finally:
        server.stop()
        agent.kill()
        agent.wait()
    said = done.stderr
    assert f"Server accepts key: {fingerprint_of(offered)}" in said.replace("aoad-tui-test ED25519 ", ""), said
    assert "agent refused operation" in said, said  # A was accepted as an offer, and never signed with
    assert "Cheong-san" in done.stdout, done  # and the session ran
    [line] = server.log_lines("session")
    assert line["user"] != user_id(fingerprint_of(offered))
    assert line["user"] == (user_id(fingerprint_of(signed)) if then == "another-key" else "guest"), line


def test_over_the_limits_a_clear_line(keys: Path, tmp_path: Path) -> None:
    server = start_server(tmp_path / "serve", "--max-per-user", "1", "--max-per-address", "2")
    key = client_key(keys, "busy")
    try:
        with session(server, key, tmp_path / "home") as app:
            wait_settled(app, *FIRST_FRAME)
            with session(server, key, tmp_path / "home") as again:
                assert again.wait_exit(WAIT) == 1
                assert "sessions open already" in again.text() or "sessions open already" in bytes(again.raw).decode(
                    errors="replace"
                )
            with session(server, None, tmp_path / "home") as guest:
                wait_settled(guest, *FIRST_FRAME)
                with session(server, None, tmp_path / "home") as third:
                    assert third.wait_exit(WAIT) == 255
                assert "too many connections" in bytes(third.raw).decode(errors="replace"), bytes(third.raw)
                guest.quit_cleanly(timeout=WAIT)
            app.quit_cleanly(timeout=WAIT)
    finally:
        server.stop()
    assert {line["end"] for line in server.log_lines("session")} >= {"refused:limit", "quit"}
    assert server.log_lines("refused")


def test_keys_typed_before_the_app_starts_are_not_echoed(server: Server, keys: Path, tmp_path: Path) -> None:
    """From the moment ssh has the client's terminal in raw mode (logged in), a key every few ms
    until the first frame: any that reached a far-side pty still in cooked mode would be echoed."""
    with session(server, client_key(keys, "quick"), tmp_path / "home") as app:
        deadline = time.monotonic() + WAIT
        while termios.tcgetattr(app.proc.fd)[3] & termios.ECHO and time.monotonic() < deadline:
            time.sleep(0.002)
        sent = 0
        while not app.shows(FIRST_FRAME) and time.monotonic() < deadline:
            app.send(b"%")
            sent += 1
            app.read_once(0.005)
        wait_settled(app, *FIRST_FRAME)
        assert sent > 10
        assert b"%%" not in bytes(app.raw), bytes(app.raw[:300])
        app.quit_cleanly(timeout=WAIT)


def test_sessions_starting_at_once_wait_in_line_and_are_told(keys: Path, tmp_path: Path) -> None:
    server = start_server(tmp_path / "serve", "--max-starting", "1")
    key = client_key(keys, "crowd")
    try:
        apps = [PtyApp(ssh_argv(server.port, key), client_env(tmp_path / "home")) for _ in range(6)]
        try:
            for app in apps:
                wait_settled(app, *FIRST_FRAME)
            told = [app for app in apps if b"in line" in bytes(app.raw)]
            assert told, "six sessions started one at a time, and nobody was told their place"
            assert all(b"number 1 in line" in bytes(app.raw) or b"in line" in bytes(app.raw) for app in told)
            for app in apps:
                app.quit_cleanly(timeout=WAIT)
        finally:
            for app in apps:
                app.close()
    finally:
        server.stop()


def test_an_idle_session_is_warned_then_ended(keys: Path, tmp_path: Path) -> None:
    server = start_server(tmp_path / "serve", "--idle-timeout", "6s", "--warning", "4s")
    try:
        with session(server, client_key(keys, "sleepy"), tmp_path / "home") as app:
            wait_settled(app, *FIRST_FRAME)
            wait_settled(app, "unless you press a key")
            assert app.wait_exit(WAIT) == 0
            assert "idle" in bytes(app.raw[-400:]).decode(errors="replace")
    finally:
        server.stop()
    assert server.wait_log("session")[-1]["end"] == "idle"


def test_a_session_at_its_length_limit_is_warned_then_ended_keys_or_not(keys: Path, tmp_path: Path) -> None:
    server = start_server(tmp_path / "serve", "--max-length", "6s", "--warning", "4s")
    try:
        with session(server, client_key(keys, "long"), tmp_path / "home") as app:
            wait_settled(app, *FIRST_FRAME)
            for tab in "1234":  # keys do not stretch a length limit
                app.press(tab)
                app.settle(quiet=QUIET)
            wait_settled(app, "time limit")
            assert app.wait_exit(WAIT) == 0
            assert "time limit" in bytes(app.raw[-400:]).decode(errors="replace")
    finally:
        server.stop()
    assert server.wait_log("session")[-1]["end"] == "length"


# --- endings --------------------------------------------------------------------------------------


def test_ended_at_any_moment_of_its_start_a_session_shows_no_error(keys: Path, tmp_path: Path) -> None:
    """SIGTERM (the server's drain) at every moment of a session's start, 20 ms apart: Textual,
    told to quit halfway through building its first screen, printed an error on the user's
    terminal. A fresh interpreter per session makes the start long enough to hit each part."""
    server = start_server(tmp_path / "serve", "--spawn", "exec")
    key = client_key(keys, "early")
    try:
        for delay in [step / 50 for step in range(5, 21)]:
            with session(server, key, tmp_path / "home") as app:
                deadline = time.monotonic() + WAIT
                pids: set[int] = set()
                while not pids and time.monotonic() < deadline:
                    pids = server.sessions()
                    app.read_once(0.002)
                time.sleep(delay)
                for pid in pids:
                    os.kill(pid, signal.SIGTERM)
                app.wait_exit(WAIT)
                seen = bytes(app.raw)
                assert b"Error" not in seen and b"Traceback" not in seen, (delay, seen[-400:])
    finally:
        server.stop()


def test_a_client_killed_mid_session_leaves_nothing_running(server: Server, keys: Path, tmp_path: Path) -> None:
    key = client_key(keys, "dropped")
    with session(server, key, tmp_path / "home") as app:
        wait_settled(app, *FIRST_FRAME)
        bookmark_in_cast(app)
        pids = server.sessions()
        assert pids
        os.kill(app.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(pid) for pid in pids):
            time.sleep(0.05)
        assert not any(alive(pid) for pid in pids), "the session's app outlived its client"
    assert bookmarks_of(server, key) == [("person", "yoon-chan-young")]
    assert server.wait_log("session")[-1]["end"] == "client-gone"


def test_sigterm_drains_the_server(keys: Path, tmp_path: Path) -> None:
    server = start_server(tmp_path / "serve")
    key = client_key(keys, "patient")
    with session(server, key, tmp_path / "home") as app:
        wait_settled(app, *FIRST_FRAME)
        bookmark_in_cast(app)
        everything = {server.pid, *descendants(server.pid)}  # the zygote and every session
        started = time.monotonic()
        assert server.stop(signal.SIGTERM, timeout=30) == 0
        assert time.monotonic() - started < 30
        assert app.wait_exit(WAIT) is not None
        assert "the server is restarting" in bytes(app.raw[-400:]).decode(errors="replace")
    assert not any(alive(pid) for pid in everything)
    (line,) = server.log_lines("session")
    assert line["end"] == "restart" and line["code"] == "0"  # the app quit cleanly, not killed
    assert bookmarks_of(server, key) == [("person", "yoon-chan-young")]
