"""`aoad-tui serve` under the attacks of a hostile client: what the server's memory does.

    python tests/bench/bench_serve_attacks.py [--seconds S] [--sessions N]

Each attack gets a server of its own, on 127.0.0.1 (tests/support/served.py), default limits,
sessions forked from its zygote; the hostile client is paramiko (tests/support/hostile.py).
Memory is the server process's VmRSS (not its sessions'), before and at the end.

- env before start: a session channel with a pty, no shell; 1.5 s later, env requests with new
  names and 30 KiB values (budget 400 MiB, or --seconds).
- env after start: the same once the app is running in the session.
- keys: --sessions guest sessions (default 8) write NUL bytes as fast as the server takes them for
  --seconds: the server's growth, and the rate each session's keys were taken at (bytes/s, after
  the first INPUT_BURST + WINDOW).

- login places: 17 addresses (127.0.0.2-18) each hold 16 TCP connections that send nothing,
  reopened as the server closes them, while a real `ssh` user logs in --runs times, trying again
  half a second after each refusal: the seconds until the app's first frame, and the tries.

- typing: a guest types `/abcdefgh` over and over for 60 s: the session process's VmRSS at the
  start and its peak (VmHWM).

- cpu: a quiet session's key latency (a tab switch: key to the first bytes of the answer), 40
  presses alone, then 40 while --sessions other sessions type `/abcdefgh` as fast as the server
  takes keys: medians and p95, and the ratio of the medians.

Not covered: the sessions' own memory (the app's), other kinds of flood (window changes, channels
opened and closed), several addresses.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the support package
from support.hostile import (
    IdleHolders,
    app_session,
    flood_env,
    flood_keys,
    guest,
    key_latencies,
    read_some,
    rss_mib,
    time_to_get_in,
)
from support.ptyharness import peak_rss_kib
from support.served import Server, client_key

from aoad_tui.serve.connection import WINDOW
from aoad_tui.serve.pump import INPUT_BURST


def env_attack(root: Path, *, started: bool, seconds: float) -> str:
    with Server(root) as server:
        before = rss_mib(server.pid)
        transport = guest(server.port)
        try:
            channel = app_session(transport, shell=started)
            if started:
                read_some(channel, 3.0)  # the app's first frames
            else:
                time.sleep(1.5)  # past the server's first look at a new session
            flood = flood_env(channel, budget_mib=400, seconds=seconds)
            after = rss_mib(server.pid)
        finally:
            transport.close()
    return (
        f"sent {flood.sent_mib:6.1f} MiB in {flood.seconds:4.1f} s, dropped={flood.dropped}, "
        f"server {before:.0f} -> {after:.0f} MiB (+{after - before:.0f})"
    )


def key_attack(root: Path, *, sessions: int, seconds: float) -> str:
    with Server(root) as server:
        transports = [guest(server.port, f"flood{n}") for n in range(sessions)]
        try:
            channels = [app_session(transport) for transport in transports]
            for channel in channels:
                read_some(channel, 0.5)
            before = rss_mib(server.pid)
            taken = flood_keys(channels, seconds)
            after = rss_mib(server.pid)
        finally:
            for transport in transports:
                transport.close()
    # What the server takes at once (its burst, and a window it holds unread) is not the rate.
    rates = sorted(max(t - INPUT_BURST - WINDOW, 0) / seconds for t in taken)
    return (
        f"{sessions} sessions, {seconds:.0f} s: server {before:.0f} -> {after:.0f} MiB (+{after - before:.0f}); "
        f"keys taken {min(taken) >> 10}-{max(taken) >> 10} KiB a session, "
        f"{rates[0] / 1024:.2f}-{rates[-1] / 1024:.2f} KiB/s past the first {(INPUT_BURST + WINDOW) >> 10} KiB"
    )


def login_attack(root: Path, *, runs: int) -> str:
    """17 addresses x 16 idle TCP connections, reopened as they close; a real ssh user, each run."""
    times, tries = [], []
    with Server(root) as server:
        key = client_key(root / "keys", "fan")
        holders = IdleHolders(server.port, [f"127.0.0.{n}" for n in range(2, 19)], each=16)
        try:
            while holders.count() < 17 * 16:
                time.sleep(0.05)
            for _ in range(runs):
                took, tried = time_to_get_in(server.port, key, root / "home", limit=30.0)
                times.append(took)
                tries.append(tried)
                time.sleep(2.0)  # the attack goes on meanwhile
            opened = holders.opened
        finally:
            holders.stop()
    return (
        f"a real user in after {min(times):.1f}-{max(times):.1f} s (median {statistics.median(times):.1f}), "
        f"{min(tries)}-{max(tries)} tries, {runs} runs; the attack opened {opened} connections"
    )


def typing_attack(root: Path, *, seconds: float) -> str:
    """One guest types `/abcdefgh` over and over, as fast as the server takes keys."""
    with Server(root) as server:
        transport = guest(server.port)
        try:
            channel = app_session(transport)
            read_some(channel, 1.0)
            [pid] = server.sessions()
            start = rss_mib(pid)
            taken = flood_keys([channel], seconds, chunk=b"/abcdefgh" * 16)
            peak = (peak_rss_kib(pid) or 0) / 1024
        finally:
            transport.close()
    return f"{seconds:.0f} s, {taken[0] >> 10} KiB taken: the session's process {start:.0f} MiB, peak {peak:.0f} MiB"


def cpu_attack(root: Path, *, flooders: int, presses: int) -> str:
    """A quiet session's key latency alone, then while `flooders` sessions type as fast as the
    server takes keys."""
    with Server(root, "--max-per-address", "64", "--max-per-user", "64") as server:
        quiet_transport = guest(server.port, "quiet")
        transports = [guest(server.port, f"flood{n}") for n in range(flooders)]
        stop = threading.Event()
        flooding: threading.Thread | None = None
        try:
            quiet = app_session(quiet_transport)
            read_some(quiet, 1.0)
            alone = key_latencies(quiet, presses)
            channels = [app_session(transport) for transport in transports]
            for channel in channels:
                read_some(channel, 0.5)

            def flood() -> None:
                while not stop.is_set():
                    flood_keys(channels, 1.0, chunk=b"/abcdefgh" * 16)

            flooding = threading.Thread(target=flood, daemon=True)
            flooding.start()
            time.sleep(3.0)  # past the burst: the flooders are paced, and niced
            crowded = key_latencies(quiet, presses)
        finally:
            stop.set()
            if flooding is not None:
                flooding.join()
            for transport in [quiet_transport, *transports]:
                transport.close()

    def figures(seconds: list[float]) -> str:
        ms = sorted(1000 * s for s in seconds)
        return f"median {statistics.median(ms):.0f} ms, p95 {ms[int(0.95 * (len(ms) - 1))]:.0f} ms"

    ratio = statistics.median(crowded) / statistics.median(alone)
    return f"a quiet session's key: alone {figures(alone)}; with {flooders} floods {figures(crowded)} ({ratio:.2f}x)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--runs", type=int, default=5, help="real users logging in during the login-place attack")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="aoad-attacks-") as folder:
        root = Path(folder)
        print("env before start: ", env_attack(root / "env1", started=False, seconds=args.seconds), flush=True)
        print("env after start:  ", env_attack(root / "env2", started=True, seconds=args.seconds), flush=True)
        print("keys:             ", key_attack(root / "keys", sessions=args.sessions, seconds=args.seconds), flush=True)
        print("login places:     ", login_attack(root / "login", runs=args.runs), flush=True)
        print("typing:           ", typing_attack(root / "typing", seconds=60.0), flush=True)
        print("cpu:              ", cpu_attack(root / "cpu", flooders=args.sessions, presses=40), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
