"""`aoad-tui serve` on this machine, side by side with the same app through OpenSSH.

    python tests/bench/bench_serve.py [--rounds N] [--storm N] [--held N] [--json out.json]

Starts, on 127.0.0.1, `aoad-tui serve` (tests/support/served.py) twice, forking sessions from its
zygote (the default) and with a fresh interpreter per session (`--spawn exec`), and a throwaway
OpenSSH server (tests/support/sshd.py) that runs the installed `aoad-tui` (`ssh -t host aoad-tui`).
Every client is the real `ssh -tt` in an 80x24 pseudo-terminal read through pyte.

- First frame of one session, from starting ssh to the first frame on the client's screen:
  medians (min-max) of --rounds interleaved rounds, for the three ways.
- Bytes reaching the client: the first frame (settled), a tab switch (2), a typed character in the
  search box (median of the 2nd..9th of "cheongsan"). OpenSSH does not forward COLORTERM, so the
  app behind sshd draws in 256 colours; serve tells the app the client has truecolor unless run
  with --no-truecolor: both are shown.
- A storm: --storm clients (default 20) start at once: first frame p50 / p95 / max, for fork and exec.
- Held: --held sessions (default 100) open at once through serve (fork): every one must answer a
  keypress (2 shows the Cast tab); their memory as PSS (proportional set size: shared pages
  divided among the processes sharing them), total and per session, from /proc/PID/smaps_rollup.

The servers' limits are raised for the storm and the held sessions (they all come from one address
and one key, which the defaults would refuse: that is what the defaults are for).
"""

from __future__ import annotations

import argparse
import json
import select
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the support package
from support.isolation import isolated_env
from support.ptyharness import PtyApp
from support.served import Server, children_of, client_env, client_key, percentile, pss_kib, ssh_argv
from support.sshd import SshServer

SCRIPT = Path(sys.executable).parent / "aoad-tui"
ENV = shutil.which("env") or "/usr/bin/env"
FIRST_FRAME = ("Quit", "Season 1 was released on Netflix")
CAST = ("Yoon Chan-young", "Lomon")
QUIET = 0.25
TIMEOUT = 60.0
RAISED = (
    "--max-per-address", "1000", "--max-per-minute", "10000", "--max-per-user", "1000", "--max-sessions", "1000",
    "--max-logging-in-per-address", "1000",
)  # fmt: skip


def wait_all(apps: list[PtyApp], needles: tuple[str, ...], timeout: float = TIMEOUT) -> list[float]:
    """Read from every client at once until each shows the needles: each one's arrival time."""
    arrived: dict[int, float] = {}
    deadline = time.perf_counter() + timeout
    while len(arrived) < len(apps) and time.perf_counter() < deadline:
        waiting = {app.proc.fd: i for i, app in enumerate(apps) if i not in arrived and not app.eof}
        if not waiting:
            break
        ready, _, _ = select.select(list(waiting), [], [], 0.5)
        for fd in ready:
            i = waiting[fd]
            count, when = apps[i].read_once(0)
            if count and when is not None and apps[i].shows(needles):
                arrived[i] = when
    missing = [i for i in range(len(apps)) if i not in arrived]
    if missing:
        raise RuntimeError(f"{len(missing)} of {len(apps)} never showed {needles}:\n{apps[missing[0]].text()}")
    return [arrived[i] for i in range(len(apps))]


class Ways:
    """The three ways to the app, each with its client's command line."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.key = client_key(root / "keys", "fan")
        self.home = root / "home"
        self.home.mkdir()
        self.fork = Server(root / "fork", *RAISED)
        self.exec = Server(root / "exec", "--spawn", "exec", *RAISED)
        self.plain = Server(root / "plain", "--no-truecolor")
        self.sshd = SshServer(root / "sshd")

    def __enter__(self) -> Ways:
        for server in (self.fork, self.exec, self.plain):
            server.start()
        self.sshd.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        for server in (self.fork, self.exec, self.plain):
            server.stop()
        self.sshd.stop()

    def client(self, way: str) -> PtyApp:
        if way == "openssh":
            far = self.root / "far-side"
            remote = [ENV, *(f"{k}={v}" for k, v in isolated_env(far).items()), str(SCRIPT)]
            return PtyApp(self.sshd.ssh_argv(remote), client_env(self.home))
        server = {"fork": self.fork, "exec": self.exec, "plain": self.plain}[way]
        return PtyApp(ssh_argv(server.port, self.key), client_env(self.home))


def first_frame(ways: Ways, way: str) -> float:
    with ways.client(way) as app:
        when = app.wait_for(*FIRST_FRAME, timeout=TIMEOUT)
        if when is None:
            raise RuntimeError(f"{way}: no first frame:\n{app.text()}")
        app.settle(quiet=QUIET)
        app.quit_cleanly(timeout=TIMEOUT)
        return when


def byte_counts(ways: Ways, way: str) -> dict[str, float]:
    with ways.client(way) as app:
        if app.wait_for(*FIRST_FRAME, timeout=TIMEOUT) is None:
            raise RuntimeError(f"{way}: no first frame:\n{app.text()}")
        app.settle(quiet=QUIET)
        first = len(app.raw)
        tab = app.key_bytes_written("2", *CAST, quiet=QUIET)
        app.press("/")
        app.settle(quiet=QUIET, first=1.0)
        chars = [app.key_bytes_written(char, quiet=QUIET) for char in "cheongsan"]
        app.press("escape")
        app.settle(quiet=QUIET)
        app.quit_cleanly(timeout=TIMEOUT)
    return {"first_frame": first, "tab_switch": tab, "typed_char": statistics.median(chars[1:])}


def storm(ways: Ways, way: str, count: int) -> list[float]:
    apps = [ways.client(way) for _ in range(count)]
    try:
        times = wait_all(apps, FIRST_FRAME)
        for app in apps:
            app.press("q")
        for app in apps:
            app.wait_exit(TIMEOUT)
        return times
    finally:
        for app in apps:
            app.close()


def held(ways: Ways, count: int) -> dict[str, float]:
    apps: list[PtyApp] = []
    try:
        started = time.perf_counter()
        for _ in range(count):
            apps.append(ways.client("fork"))
        wait_all(apps, FIRST_FRAME)
        up = time.perf_counter() - started
        time.sleep(1.0)  # the first frame is out; let each finish what it does after it
        sessions = ways.fork.sessions()
        pss = [pss_kib(pid) for pid in sessions]
        zygotes = {pid for pid in (ways.fork.pid, *children_of(ways.fork.pid)) if pid not in sessions}
        pressed = time.perf_counter()
        for app in apps:
            app.press("2")
        answers = wait_all(apps, CAST)
        answered = time.perf_counter() - pressed
        for app in apps:
            app.press("q")
        for app in apps:
            app.wait_exit(TIMEOUT)
    finally:
        for app in apps:
            app.close()
    return {
        "sessions": len(sessions),
        "all_up_s": up,
        "answered": len(answers),
        "all_answered_s": answered,
        "pss_total_mib": sum(pss) / 1024,
        "pss_per_session_mib": sum(pss) / 1024 / max(len(pss), 1),
        "pss_server_and_zygote_mib": sum(pss_kib(pid) for pid in zygotes) / 1024,
    }


def spread(values: list[float], scale: float = 1000) -> str:
    return f"{statistics.median(values) * scale:.0f} ({min(values) * scale:.0f}-{max(values) * scale:.0f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--storm", type=int, default=20)
    parser.add_argument("--held", type=int, default=100)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as folder, Ways(Path(folder)) as ways:
        for way in ("fork", "exec", "openssh"):  # warm: caches made, first connections done
            first_frame(ways, way)
        frames: dict[str, list[float]] = {"fork": [], "exec": [], "openssh": []}
        for _ in range(args.rounds):
            for way, times in frames.items():
                times.append(first_frame(ways, way))
        print(f"First frame of one session, ms, median (min-max) of {args.rounds}:")
        for way, label in (
            ("fork", "aoad-tui serve (forked from the zygote)"),
            ("exec", "aoad-tui serve --spawn exec (fresh interpreter)"),
            ("openssh", "OpenSSH sshd, ssh -t host aoad-tui"),
        ):
            print(f"  {label:<50} {spread(frames[way])}")
        results["first_frame_ms"] = {way: statistics.median(times) * 1000 for way, times in frames.items()}

        print("\nBytes reaching the client (first frame settled / tab switch / typed character):")
        counts = {way: byte_counts(ways, way) for way in ("fork", "plain", "openssh")}
        for way, label in (
            ("fork", "aoad-tui serve (truecolor)"),
            ("plain", "aoad-tui serve --no-truecolor (256 colours)"),
            ("openssh", "OpenSSH, ssh -t host aoad-tui (256 colours)"),
        ):
            c = counts[way]
            print(f"  {label:<50} {c['first_frame']:>6.0f} / {c['tab_switch']:>5.0f} / {c['typed_char']:>4.0f}")
        results["bytes"] = counts

        print(f"\nA storm of {args.storm} clients at once, first frame s (goal: p95 <= 2 s):")
        for way in ("fork", "exec"):
            times = storm(ways, way, args.storm)
            p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
            print(f"  {way:<6} p50 {p50:.2f}  p95 {p95:.2f}  max {max(times):.2f}")
            results[f"storm_{way}"] = {"p50": p50, "p95": p95, "max": max(times)}

        print(f"\n{args.held} sessions held open at once (serve, forked; goal: <= 25 MiB PSS each):")
        figures = held(ways, args.held)
        print(
            f"  {figures['sessions']:.0f} sessions up in {figures['all_up_s']:.1f} s; "
            f"{figures['answered']:.0f} answered a keypress (all within {figures['all_answered_s']:.1f} s)"
        )
        print(
            f"  PSS: {figures['pss_total_mib']:.0f} MiB in all, {figures['pss_per_session_mib']:.1f} MiB per session "
            f"(+ {figures['pss_server_and_zygote_mib']:.0f} MiB for the server and its zygote)"
        )
        results["held"] = figures
        print("\nserve's log lines:", shlex.quote(str(ways.fork.log_path)), "(removed with the temporary folder)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
