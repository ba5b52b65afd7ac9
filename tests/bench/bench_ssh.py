"""The byte budget of aoad-tui through a real OpenSSH connection.

    python tests/bench/bench_ssh.py [--runs N] [--idle SECONDS] [--json out.jsonl] [--strict]

Starts a throwaway sshd on 127.0.0.1 (tests/support/sshd.py: its own keys, a free port, stopped by its
pid), and in each run connects with `ssh -tt` in an 80x24 pseudo-terminal (TERM=xterm-256color;
COLORTERM is not forwarded by ssh, so the far side draws in 256 colours) and counts the bytes
that reach the client for:

- the first frame, until the output settles;
- idle: nothing pressed for --idle seconds (default 10) on the first frame;
- a tab switch: key 2 (to Cast);
- a list move: j on the Cast list;
- a search keystroke: after "/", each character of "cheongsan" typed one at a time (the first
  one also swaps the tabs for the results list, so it is shown apart from the others).

The app on the far side starts with sshd's environment (the user's home), so the command it runs
is `env` with the data, cache and config directories of tests/support/isolation.py, in a temporary
folder, before aoad-tui: the first run starts without a knowledge cache, the later ones with it.

Every figure counts what reaches the client's terminal: the app's output as it comes out of ssh
(ssh's own encryption and framing are on the wire, not in the pty). Prints medians (min-max)
beside the targets, a breakdown of the first frame's bytes and the screen updates it came in;
--strict exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the support package
from support.isolation import isolated_env
from support.ptyharness import PtyApp, terminal_env
from support.sshd import SshdError, SshServer, missing_tools

SCRIPT = Path(sys.executable).parent / "aoad-tui"
ENV = shutil.which("env") or "/usr/bin/env"
TIMEOUT = 15.0
QUIET = 0.25  # output has settled once nothing came for this long
FIRST_FRAME = ("Quit", "Season 1 was released on Netflix")
QUERY = "cheongsan"
KB = 1024


@dataclass(frozen=True)
class Row:
    label: str
    key: str
    unit: str  # "B" or "B/s"
    target: str
    ok: Callable[[float], bool]


ROWS = [
    Row("first frame", "first_frame", "B", "<= 16 KB", lambda v: v <= 16 * KB),
    Row("tab switch (2)", "tab_switch", "B", "<= 16 KB", lambda v: v <= 16 * KB),
    Row("list move (j on Cast)", "list_move", "B", "<= 2 KB", lambda v: v <= 2 * KB),
    Row("search: first char", "search_first", "B", "<= 4 KB", lambda v: v <= 4 * KB),
    Row("search: each later char", "search_char", "B", "<= 4 KB", lambda v: v <= 4 * KB),
    Row("idle", "idle_bps", "B/s", "0 B/s", lambda v: v == 0),
]

# What the bytes of a frame are made of.
PARTS = {
    "SGR (colour, style)": re.compile(rb"\x1b\[[0-9;:]*m"),
    "cursor moves": re.compile(rb"\x1b\[[0-9;]*[HfABCDG]|\r\n"),
    "other escapes": re.compile(rb"\x1b[\[\]P_][^\x07\x1b]*?(?:\x07|\x1b\\|[@-~])|\x1b[^\[\]P_]"),
}


def breakdown(raw: bytes) -> dict[str, int]:
    """How many bytes of `raw` are colour, cursor moves, other escapes, and text."""
    counts: dict[str, int] = {}
    rest = raw
    for name, pattern in PARTS.items():
        counts[name] = sum(len(m.group(0)) for m in pattern.finditer(rest))
        rest = pattern.sub(b"", rest)
    counts["text (UTF-8)"] = len(rest)
    counts["SGR sequences"] = len(PARTS["SGR (colour, style)"].findall(raw))
    return counts


MOVE = re.compile(rb"\x1b\[(\d+);\d+H")


def passes(raw: bytes) -> list[int]:
    """The sizes of the screen updates in `raw`, told apart where the cursor jumps back up a row
    (Textual draws each update top to bottom; a rough cut, but it shows repeated full repaints)."""
    sizes: list[int] = []
    start = previous = 0
    for match in MOVE.finditer(raw):
        row = int(match.group(1))
        if row < previous:
            sizes.append(match.start() - start)
            start = match.start()
        previous = row
    sizes.append(len(raw) - start)
    return sizes


def run_once(server: SshServer, root: Path, idle: float) -> tuple[dict[str, float], bytes]:
    """One session through ssh, the app's directories under `root` on both sides: the figures,
    and the first frame's raw bytes."""
    remote_env = [f"{name}={value}" for name, value in isolated_env(root).items()]
    argv = server.ssh_argv([ENV, *remote_env, str(SCRIPT)])
    run: dict[str, float] = {}
    with PtyApp(argv, terminal_env("xterm-256color", colorterm=None, isolated=root)) as app:
        if app.wait_for(*FIRST_FRAME, timeout=TIMEOUT) is None:
            raise RuntimeError(f"first frame never showed {FIRST_FRAME}:\n{app.text()}")
        app.settle(quiet=QUIET)
        first = bytes(app.raw)
        run["first_frame"] = len(first)
        if idle > 0:
            run["idle_bps"] = app.drain(idle) / idle
        run["tab_switch"] = app.key_bytes_written("2", quiet=QUIET)
        if not app.shows(["Yoon Chan-young", "Lomon"]):
            raise RuntimeError(f"2 did not show the Cast tab:\n{app.text()}")
        run["list_move"] = app.key_bytes_written("j", quiet=QUIET)
        app.press("/")  # focuses the search box (not counted)
        app.settle(quiet=QUIET, first=1.0)
        per_char = [app.key_bytes_written(char, quiet=QUIET) for char in QUERY]
        if not app.shows(["Cheong-san"]):
            raise RuntimeError(f"the search for {QUERY!r} found nothing:\n{app.text()}")
        run["search_first"] = per_char[0]
        run["search_char"] = statistics.median(per_char[1:])
        run["search_char_max"] = max(per_char[1:])
        app.press("escape")
        app.settle(quiet=QUIET)
        app.press("q")
        status = app.wait_exit(timeout=TIMEOUT)
        if status != 0:
            raise RuntimeError(f"ssh exit status {status} after q")
    return run, first


def fmt(value: float, unit: str) -> str:
    if unit == "B" and value >= KB:
        return f"{value / KB:.1f}K"
    return f"{value:.0f}"


def report(results: list[dict[str, float]], first: bytes, idle: float) -> int:
    """Print the table; returns how many targets were missed."""
    print("\nthrough ssh -tt to a loopback sshd, 80x24, TERM=xterm-256color (256 colours: COLORTERM not forwarded)")
    print(f"app: {SCRIPT}; medians (min-max) of {len(results)} runs; idle measured for {idle:g} s\n")
    header = f"{'figure':<26} {'median':>9} {'(min-max)':<15} {'target':<9} result"
    print(header)
    print("-" * len(header))
    missed = 0
    for row in ROWS:
        values = [r[row.key] for r in results if row.key in r]
        if not values:
            print(f"{row.label:<26} {'no data':>9}")
            continue
        median = statistics.median(values)
        ok = row.ok(median)
        missed += not ok
        figure = f"{fmt(median, row.unit)}{' B/s' if row.unit == 'B/s' else ''}"
        spread = f"({fmt(min(values), row.unit)}-{fmt(max(values), row.unit)})"
        print(f"{row.label:<26} {figure:>9} {spread:<15} {row.target:<9} {'ok' if ok else 'MISSED'}")
    worst = max(r["search_char_max"] for r in results)
    print(f"{'search: worst later char':<26} {fmt(worst, 'B'):>9}")
    print(f"\n{missed} target{'s' * (missed != 1)} missed" if missed else "\nevery target met")

    sizes = passes(first)
    big = [size for size in sizes if size >= 2 * KB]
    print(
        f"\nthe first frame came as {len(sizes)} screen updates (last run), {len(big)} of them of 2 KB or more: "
        + ", ".join(fmt(size, "B") for size in sizes)
    )
    print("what the first frame is made of (last run):")
    for name, count in breakdown(first).items():
        share = f"{100 * count / len(first):5.1f} %" if not name.endswith("sequences") else ""
        print(f"  {name:<22} {count:>7} {share}")
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="counted runs (default 5)")
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle to measure (default 10)")
    parser.add_argument("--json", metavar="PATH", help="also write every run as JSON lines to PATH")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    missing = missing_tools()
    if missing:
        sys.exit(f"bench_ssh: OpenSSH programs missing: {', '.join(missing)} (apt-get install openssh-server)")
    if not SCRIPT.exists():
        sys.exit(f"bench_ssh: aoad-tui is not installed next to {sys.executable}")

    results: list[dict[str, float]] = []
    first = b""
    with tempfile.TemporaryDirectory(prefix="aoad-bench-ssh-") as tmp:
        try:
            server = SshServer(Path(tmp) / "sshd", accept_env=())
            server.start()
        except SshdError as error:
            sys.exit(f"bench_ssh: could not start sshd: {error}")
        try:
            for number in range(1, args.runs + 1):
                try:
                    run, first = run_once(server, Path(tmp) / "app", args.idle)
                except RuntimeError as error:
                    print(f"run {number}/{args.runs}: FAILED: {error}", file=sys.stderr, flush=True)
                    continue
                print(
                    f"run {number}/{args.runs}: first frame {run['first_frame']:.0f} B; tab {run['tab_switch']:.0f} B; "
                    f"list {run['list_move']:.0f} B; search first {run['search_first']:.0f} B, "
                    f"then {run['search_char']:.0f} B/char (max {run['search_char_max']:.0f}); "
                    f"idle {run.get('idle_bps', 0):.0f} B/s",
                    file=sys.stderr,
                    flush=True,
                )
                results.append(run)
                if args.json:
                    with open(args.json, "a", encoding="utf-8") as out:
                        out.write(json.dumps({"run": number, **run}) + "\n")
        finally:
            server.stop()
    if not results:
        sys.exit("bench_ssh: every run failed")
    missed = report(results, first, args.idle)
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
