"""Startup, bytes and memory of aoad-tui against the bare Textual skeleton it is compared with.

    python tests/bench/bench_startup.py [--runs N] [--json out.jsonl] [--strict]

Both run in a pseudo-terminal at 80x24 (TERM=xterm-256color, COLORTERM=truecolor), interleaved in
the same run (A B, B A, A B, ... after one uncounted warm-up round), each twice per round:

- local: time from spawn to the first complete frame (and the CPU time the child used until then,
  which a busy machine disturbs far less), its bytes (until the output settles), the bytes of a
  tab switch and of moving one row in a list, and peak RSS (VmHWM);
- over SSH (SSH_CONNECTION set: no animations, no cursor blink): the same again, and the bytes
  written in 3 s of idle.

The skeleton is <repo>/../shared/bench/bare_skeleton.py. Prints medians (min-max), the ratios
app/skeleton and the targets; rows marked "info" are shown but not counted. --strict exits 1 when
a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ptyharness import PtyApp, terminal_env

REPO = Path(__file__).resolve().parents[2]
SKELETON = REPO.parent / "shared" / "bench" / "bare_skeleton.py"
SSH = {"SSH_CONNECTION": "127.0.0.1 1 127.0.0.1 2"}
TIMEOUT = 15.0
QUIET = 0.25  # output has settled once nothing came for this long
IDLE = 3.0


@dataclass(frozen=True)
class Subject:
    name: str
    argv: list[str]
    sentinels: tuple[str, ...]  # visible only once the first frame is complete
    tab_key: str  # switches tab (to Cast)
    tab_shows: str  # on screen after the tab switch
    list_prepare: tuple[str, ...]  # keys that focus the Cast list after the switch (not measured)
    list_key: str  # moves one row


def subjects() -> list[Subject]:
    script = Path(sys.executable).parent / "aoad-tui"
    app_argv = [str(script)] if script.exists() else [sys.executable, "-m", "aoad_tui"]
    return [
        Subject("app", app_argv, ("Quit", "Season 1 was released on Netflix"), "2", "Yoon Chan-young", (), "j"),
        Subject(
            "skeleton",
            [sys.executable, str(SKELETON)],
            ("Overview line 10", "Quit"),
            "right",  # the tab bar has focus at start
            "Cast member 1",
            ("tab",),
            "down",
        ),
    ]


def keys_and_list(app: PtyApp, subject: Subject, run: dict[str, float], suffix: str) -> None:
    run[f"tab_bytes{suffix}"] = app.key_bytes_written(subject.tab_key, subject.tab_shows, quiet=QUIET, timeout=TIMEOUT)
    for key in subject.list_prepare:
        app.key_bytes_written(key, quiet=QUIET)
    run[f"list_bytes{suffix}"] = moved = app.key_bytes_written(subject.list_key, quiet=QUIET)
    if not moved:
        raise RuntimeError(f"{subject.list_key} wrote nothing: is the list focused?\n{app.text()}")


def session(subject: Subject, data_dir: str, ssh: bool) -> dict[str, float]:
    """One launch: the figures of one run, local or over SSH."""
    run: dict[str, float] = {}
    env = terminal_env("xterm-256color", "truecolor", {"AOAD_TUI_DATA_DIR": data_dir, **(SSH if ssh else {})})
    with PtyApp(subject.argv, env) as app:
        first = app.wait_for(*subject.sentinels, timeout=TIMEOUT)
        cpu = app.cpu_seconds()
        if first is None:
            raise RuntimeError(f"first frame never showed {subject.sentinels}:\n{app.text()}")
        app.settle(quiet=QUIET)
        suffix = "_ssh" if ssh else ""
        run[f"ttff_ms{suffix}"] = first * 1000
        if cpu is not None:
            run[f"cpu_ms{suffix}"] = cpu * 1000
        run[f"ff_bytes{suffix}"] = len(app.raw)
        if ssh:
            run["idle_bps_ssh"] = app.drain(IDLE) / IDLE
        keys_and_list(app, subject, run, suffix)
        if not ssh:
            run["rss_mib"] = (app.peak_rss_kib() or 0) / 1024
        app.press("ctrl+q")
        status = app.wait_exit(timeout=TIMEOUT)
        if status != 0:
            raise RuntimeError(f"exit status {status} after ctrl+q")
    return run


@dataclass(frozen=True)
class Row:
    label: str
    key: str
    unit: str  # "ms", "B", "B/s", "MiB"
    target: str
    ok: Callable[[float, float], bool]  # (app median, skeleton median) -> target met
    counts: bool = True  # False: shown for information, never counted as missed


KB = 1024
ROWS = [
    Row("time to first frame", "ttff_ms", "ms", "app/skel <= 1.10", lambda a, s: a <= 1.10 * s),
    # CPU time of the child is far less sensitive to a busy machine than wall time.
    Row("CPU until first frame", "cpu_ms", "ms", "app/skel <= 1.10", lambda a, s: a <= 1.10 * s, counts=False),
    Row("first frame bytes", "ff_bytes", "B", "<= 16 KB", lambda a, s: a <= 16 * KB),
    Row("tab switch bytes", "tab_bytes", "B", "<= 16 KB", lambda a, s: a <= 16 * KB),
    Row("list move bytes", "list_bytes", "B", "<= 2 KB", lambda a, s: a <= 2 * KB),
    Row("peak RSS (VmHWM)", "rss_mib", "MiB", "app/skel <= 1.15", lambda a, s: a <= 1.15 * s),
    Row("SSH: time to first frame", "ttff_ms_ssh", "ms", "app/skel <= 1.10", lambda a, s: a <= 1.10 * s, counts=False),
    Row("SSH: first frame bytes", "ff_bytes_ssh", "B", "<= 16 KB", lambda a, s: a <= 16 * KB, counts=False),
    Row("SSH: tab switch bytes", "tab_bytes_ssh", "B", "<= 16 KB", lambda a, s: a <= 16 * KB),
    Row("SSH: list move bytes", "list_bytes_ssh", "B", "<= 2 KB", lambda a, s: a <= 2 * KB, counts=False),
    Row("SSH: idle bytes/s (3 s)", "idle_bps_ssh", "B/s", "0 B/s", lambda a, s: a == 0),
]


def fmt(value: float, unit: str) -> str:
    if unit == "B":
        return f"{value / KB:.1f}K" if value >= KB else f"{value:.0f}"
    if unit == "MiB":
        return f"{value:.1f}"
    return f"{value:.0f}"


def spread(values: list[float], unit: str) -> str:
    if not values:
        return "-"
    return f"{fmt(statistics.median(values), unit)} ({fmt(min(values), unit)}-{fmt(max(values), unit)})"


def report(results: dict[str, list[dict[str, float]]], runs: int) -> int:
    """Print the table; returns how many targets were missed."""
    print(f"\n80x24, TERM=xterm-256color COLORTERM=truecolor; medians (min-max) of {runs} interleaved runs")
    print("load average (1, 5, 15 min) at the end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"app: {' '.join(subjects()[0].argv)}\nskeleton: {SKELETON}\n")
    header = f"{'figure':<26} {'unit':<4} {'app':>20} {'skeleton':>20} {'app/skel':>8}  {'target':<17} result"
    print(header)
    print("-" * len(header))
    missed = 0
    for row in ROWS:
        app = [r[row.key] for r in results["app"] if row.key in r]
        skel = [r[row.key] for r in results["skeleton"] if row.key in r]
        if not app or not skel:
            print(f"{row.label:<26} {row.unit:<4} {'no data':>20}")
            missed += 1
            continue
        a, s = statistics.median(app), statistics.median(skel)
        ratio = f"{a / s:.2f}" if s else "-"
        ok = row.ok(a, s)
        missed += row.counts and not ok
        verdict = ("ok" if ok else "MISSED") if row.counts else ("(info: ok)" if ok else "(info: over)")
        print(
            f"{row.label:<26} {row.unit:<4} {spread(app, row.unit):>20} {spread(skel, row.unit):>20} {ratio:>8}  "
            f"{row.target:<17} {verdict}"
        )
    print(f"\n{missed} target{'s' * (missed != 1)} missed" if missed else "\nevery target met")
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="counted rounds (default 9)")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted rounds first (default 1)")
    parser.add_argument("--json", metavar="PATH", help="also write every run as JSON lines to PATH")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if not SKELETON.is_file():
        sys.exit(f"bench_startup: the bare skeleton is missing: {SKELETON} (expected at <repo>/../shared/bench/)")

    results: dict[str, list[dict[str, float]]] = {"app": [], "skeleton": []}
    failures = 0
    print("load average (1, 5, 15 min) at the start: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)
    with tempfile.TemporaryDirectory(prefix="aoad-bench-") as data_dir:
        for rnd in range(args.warmup + args.runs):
            order = subjects() if rnd % 2 == 0 else subjects()[::-1]
            counted = rnd >= args.warmup
            tag = f"run {rnd - args.warmup + 1}/{args.runs}" if counted else "warm-up"
            for subject in order:
                try:
                    run = session(subject, data_dir, ssh=False) | session(subject, data_dir, ssh=True)
                except (RuntimeError, TimeoutError) as error:
                    failures += 1
                    print(f"[{subject.name}] {tag}: FAILED: {error}", file=sys.stderr, flush=True)
                    continue
                print(
                    f"[{subject.name:<8}] {tag}: first frame {run['ttff_ms']:.0f} ms "
                    f"(cpu {run.get('cpu_ms', 0):.0f} ms), {run['ff_bytes']:.0f} B; "
                    f"tab {run['tab_bytes']:.0f} B; list {run['list_bytes']:.0f} B; rss {run['rss_mib']:.1f} MiB; "
                    f"ssh idle {run['idle_bps_ssh']:.0f} B/s",
                    file=sys.stderr,
                    flush=True,
                )
                if counted:
                    results[subject.name].append(run)
                if args.json:
                    with open(args.json, "a", encoding="utf-8") as out:
                        out.write(json.dumps({"subject": subject.name, "round": rnd, "counted": counted, **run}) + "\n")
    sys.stderr.flush()
    missed = report(results, args.runs)
    if failures:
        print(f"{failures} run{'s' * (failures != 1)} failed", file=sys.stderr)
        return 1
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
