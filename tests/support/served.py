"""`aoad-tui serve` on 127.0.0.1, started by a test or benchmark and stopped by its pid, and the
OpenSSH client command lines that reach it: for tests/e2e/test_serve.py and
tests/bench/bench_serve.py.

Not a test module. The server runs the installed console script with its data directory under a
folder the caller owns; its log (stderr, key=value lines) is kept in that folder. The client is the
real OpenSSH `ssh`, without any config of the user's (-F /dev/null), with a key of its own or none
(a guest).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from support.sshd import SshdError, free_port, keygen, tool

START_LINE = re.compile(rb"event=start (?:port|web)=(\d+)")
WEB_PORT = re.compile(rb"event=start .*?\bweb=(\d+)")
CLIENT_OPTIONS = (
    "StrictHostKeyChecking=no",
    "UserKnownHostsFile=/dev/null",
    "GlobalKnownHostsFile=/dev/null",
    "LogLevel=ERROR",  # no "Permanently added" lines; a refusal ("Received disconnect") still shows
    "ConnectTimeout=10",
    "IdentityAgent=none",
    "ControlMaster=no",
    "ControlPath=none",
    "EscapeChar=none",  # every byte typed reaches the app
)


def descendants(pid: int) -> set[int]:
    """Every live process below `pid` (children, their children, ...), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def pss_kib(pid: int) -> int:
    """A process's proportional set size (shared pages divided among their sharers), in KiB."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def percentile(values: list[float], share: float) -> float:
    """The value `share` of the way up `values` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def environ_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    pairs = (item.decode(errors="replace").partition("=") for item in raw.split(b"\0") if item)
    return {name: value for name, _, value in pairs}


class Server:
    """`aoad-tui serve` in `root` (its data in root/data, its log in root/serve.log)."""

    def __init__(self, root: Path, *options: str, env: dict[str, str] | None = None, web: bool = False) -> None:
        """`web`: browsers served too (--web on a free loopback port: `url`)."""
        self.root = Path(root)
        self.web = web
        self.web_port = 0
        self.root.mkdir(parents=True, exist_ok=True)
        self.options = list(options)
        self.env = env
        self.data = self.root / "data"
        self.log_path = self.root / "serve.log"
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, timeout: float = 60.0) -> None:
        program = shutil.which("aoad-tui")
        if program is None:
            raise SshdError("aoad-tui is not installed")
        for _attempt in range(3):  # another process may take the free port first
            self.port = free_port()
            argv = [program, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--data-dir", str(self.data)]
            if self.web:
                argv += ["--web", f"127.0.0.1:{free_port()}"]
            log = self.log_path.open("ab")
            self.proc = subprocess.Popen(
                [*argv, *self.options], stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=self.env
            )
            log.close()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and self.proc.poll() is None:
                if START_LINE.search(written := self.log_path.read_bytes()):
                    if self.web and (found := WEB_PORT.search(written)) is not None:
                        self.web_port = int(found.group(1))
                    return
                time.sleep(0.05)
            self.proc.kill()
            self.proc.wait()
            if b"already in use" not in self.log_path.read_bytes():
                break
        raise SshdError(f"aoad-tui serve did not start:\n{self.log()}")

    @property
    def url(self) -> str:
        """The page browsers open (with web=True)."""
        return f"http://127.0.0.1:{self.web_port}/"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_lines(self, event: str) -> list[dict[str, str]]:
        """The log's lines of one event, as dicts (quoted values unquoted)."""
        found = []
        for line in self.log().splitlines():
            fields = dict(
                (name, value.strip('"')) for name, value in re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)', line)
            )
            if fields.get("event") == event:
                found.append(fields)
        return found

    def wait_log(self, event: str, count: int = 1, timeout: float = 15.0) -> list[dict[str, str]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.log_lines(event)
            if len(lines) >= count:
                return lines
            time.sleep(0.05)
        raise AssertionError(f"fewer than {count} {event} lines in the log:\n{self.log()}")

    def sessions(self) -> set[int]:
        """The pids of the session processes now running (the zygote's children, or the server's
        fresh interpreters)."""
        zygotes = {pid for pid in children_of(self.pid) if b"aoad_tui.serve.zygote" in cmdline(pid)}
        return descendants(self.pid) - zygotes

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 40.0) -> int | None:
        """Stop it by its pid (then KILL whatever is left of it): its exit status."""
        if self.proc is None:
            return None
        left = descendants(self.pid)
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(sig)
        try:
            status: int | None = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            status = None
        for pid in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return status


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def client_key(folder: Path, name: str) -> Path:
    """A new ed25519 key pair in `folder`: a user of the server."""
    folder.mkdir(parents=True, exist_ok=True)
    return keygen(folder / name)


def ssh_argv(
    port: int, key: Path | None, *command: str, tty: bool = True, options: Sequence[str] = (), user: str = "fan"
) -> list[str]:
    """The OpenSSH client reaching the server: with `key`, or as a guest (no key: the empty
    keyboard-interactive round)."""
    ssh = tool("ssh")
    if ssh is None:
        raise SshdError("ssh is not installed")
    argv = [ssh, "-tt" if tty else "-T", "-F", "/dev/null", *options]  # first: ssh keeps an option's first value
    for option in CLIENT_OPTIONS:
        argv += ["-o", option]
    if key is None:
        argv += ["-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=keyboard-interactive"]
    else:
        argv += ["-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-i", str(key)]
    return [*argv, "-p", str(port), f"{user}@127.0.0.1", *command]


def client_env(home: Path, **extra: str) -> dict[str, str]:
    """What the ssh client runs with: a home of its own (no agent, no config), TERM, the rest."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }
    env.update(extra)
    return env
