"""Hostile SSH clients, for tests/e2e/test_serve_attacks.py and tests/bench/bench_serve_attacks.py.

Not a test module. A hostile client sends what OpenSSH's `ssh` never does: environment variables
by the thousand, or after its session has started; keys as fast as the server takes them. paramiko
sends them through its public API (Channel.set_environment_variable, Channel.send). Each attack
is bounded (bytes, seconds) and returns what it measured; the caller asserts or prints.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import paramiko

from support.ptyharness import PtyApp
from support.served import client_env, ssh_argv

VALUE = "v" * (30 << 10)  # a 30 KiB environment value, as the attack that was measured sent


def rss_mib(pid: int) -> float:
    """The resident memory of a live process (VmRSS), in MiB; 0 once it is gone."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def guest(port: int, name: str = "attacker") -> paramiko.Transport:
    """A connection logged in as a guest (the empty keyboard-interactive round)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    transport = paramiko.Transport(sock)
    transport.start_client(timeout=10)
    transport.auth_interactive(name, lambda title, instructions, prompts: [])
    return transport


def app_session(transport: paramiko.Transport, *, shell: bool = True) -> paramiko.Channel:
    """A session channel with a pty; the app started in it if `shell`."""
    channel = transport.open_session(timeout=10)
    channel.get_pty("xterm-256color", 80, 24)
    if shell:
        channel.invoke_shell()
    return channel


def read_some(channel: paramiko.Channel, seconds: float) -> bytes:
    """What the channel says within `seconds` (the app's frames), read so that it never waits on us."""
    got = b""
    end = time.monotonic() + seconds
    channel.settimeout(0.05)
    while time.monotonic() < end:
        try:
            data = channel.recv(1 << 16)
        except TimeoutError:
            continue
        if not data:  # closed, and everything it said has been read
            break
        got += data
    return got


@dataclass
class EnvFlood:
    sent_mib: float  # environment sent before the server dropped the connection (or the budget ran out)
    dropped: bool  # the server closed the connection
    seconds: float


def flood_env(channel: paramiko.Channel, budget_mib: float, seconds: float) -> EnvFlood:
    """Send env requests with new names and 30 KiB values until the server drops the connection,
    `budget_mib` are sent, or `seconds` pass."""
    transport = channel.get_transport()
    assert transport is not None
    sent, start = 0, time.monotonic()
    number = 0
    try:
        while sent < budget_mib * (1 << 20) and time.monotonic() - start < seconds and transport.is_active():
            channel.set_environment_variable(f"FLOOD_{number}", VALUE)
            number += 1
            sent += len(VALUE) + 12
    except (OSError, EOFError, paramiko.SSHException):
        pass
    # The last requests may still be on their way: the server has dropped us once the socket closes.
    deadline = time.monotonic() + 5
    while transport.is_active() and time.monotonic() < deadline:
        time.sleep(0.05)
    return EnvFlood(sent / (1 << 20), not transport.is_active(), time.monotonic() - start)


def flood_keys(channels: list[paramiko.Channel], seconds: float, chunk: bytes = b"\0" * 4096) -> list[int]:
    """Write `chunk` to every channel for `seconds`, as fast as each takes it, reading what they
    say: the bytes each one took."""
    taken = [0] * len(channels)
    for channel in channels:
        channel.setblocking(False)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        moved = False
        for number, channel in enumerate(channels):
            with contextlib.suppress(OSError, EOFError, paramiko.SSHException):  # gone: it takes no more
                while channel.recv_ready():
                    channel.recv(1 << 16)
                    moved = True
                if channel.send_ready():
                    sent = channel.send(chunk)
                    taken[number] += sent
                    moved = moved or sent > 0
        if not moved:
            time.sleep(0.01)
    return taken


class IdleHolders:
    """Raw TCP connections that never send a byte, from each of `addresses` (127.0.0.N: every one
    is loopback on Linux), `each` per address, opened again as the server closes them: a thread of
    its own, stopped by `stop()`."""

    def __init__(self, port: int, addresses: list[str], each: int) -> None:
        self.port, self.addresses, self.each = port, addresses, each
        self.held: dict[str, list[socket.socket]] = {address: [] for address in addresses}
        self.opened = 0
        self.running = True
        self.thread = threading.Thread(target=self.hold, daemon=True)
        self.thread.start()

    def hold(self) -> None:
        while self.running:
            for address, sockets in self.held.items():
                for sock in [s for s in sockets if closed(s)]:
                    sockets.remove(sock)
                    sock.close()
                while len(sockets) < self.each and self.running:
                    try:
                        sock = socket.create_connection(
                            ("127.0.0.1", self.port), timeout=2, source_address=(address, 0)
                        )
                    except OSError:
                        break
                    sock.setblocking(False)
                    sockets.append(sock)
                    self.opened += 1
            time.sleep(0.1)

    def count(self) -> int:
        return sum(len(sockets) for sockets in self.held.values())

    def stop(self) -> None:
        self.running = False
        self.thread.join(5)
        for sockets in self.held.values():
            for sock in sockets:
                sock.close()


def closed(sock: socket.socket) -> bool:
    """The server has closed it (or said something and closed it): a read finds the end."""
    try:
        while data := sock.recv(4096):
            del data
        return True
    except BlockingIOError:
        return False
    except OSError:
        return True


def time_to_get_in(port: int, key: Path, home: Path, limit: float = 10.0) -> tuple[float, int]:
    """A real user: OpenSSH's `ssh` with `key`, run again half a second after each refusal, as a
    person would, until the app's first frame shows or `limit` seconds pass. The seconds it took
    (past `limit`: not in) and the tries."""
    started, tries = time.monotonic(), 0
    while time.monotonic() - started < limit:
        tries += 1
        with PtyApp(ssh_argv(port, key), client_env(home)) as app:
            if app.wait_for("Quit", timeout=max(limit - (time.monotonic() - started), 0.1)) is not None:
                return time.monotonic() - started, tries
            said = bytes(app.raw).decode(errors="replace")
            if "logging in" not in said:
                raise AssertionError(f"not in, and not told why:\n{app.text()}")
        time.sleep(0.5)
    return time.monotonic() - started, tries


def key_latencies(channel: paramiko.Channel, presses: int) -> list[float]:
    """Seconds from a key (1 and 2 in turn: a tab switch each) to the first bytes of the app's
    answer, `presses` times, the output let settle between them."""
    channel.setblocking(True)
    channel.settimeout(10)
    latencies = []
    for number in range(presses):
        read_some(channel, 0.15)  # what is left of the last answer
        channel.settimeout(10)
        start = time.perf_counter()
        channel.send(b"12"[number % 2 : number % 2 + 1])
        channel.recv(1 << 16)
        latencies.append(time.perf_counter() - start)
    return latencies
