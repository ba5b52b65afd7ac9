"""Startup, bytes and memory of aoad-tui, cold and warm, against the bare Textual skeleton it is
compared with.

    python tests/bench/bench_startup.py [--runs N] [--warmup N] [--idle SECONDS] [--json out.jsonl] [--strict]

Four subjects, each in a pseudo-terminal at 80x24 (TERM=xterm-256color, COLORTERM=truecolor),
interleaved in the same run (every round takes the next of the 24 orders of the four, after one
uncounted warm-up round), each twice per round:

- cold: the app without a knowledge cache (it reads and validates the seeds): every launch gets
  fresh, empty data, cache and config directories;
- warm: the app with the knowledge cache that one earlier, uncounted launch wrote (the launch
  checks that it used it: the cache must not be written again);
- skeleton: tests/bench/bare_skeleton.py, a bare Textual app shaped like this one;
- wire-off: the warm start with the wire turned off (as on a Textual that lacks what it reads:
  support/wire_off.py), writing what Textual writes: what the wire buys is warm against it.

No launch uses the user's own directories (tests/support/isolation.py). "Cold" is about the
knowledge cache only: the operating system's file cache is warm for all three.

For each launch:

- local: time from spawn to the first complete frame (and the CPU time the child used until then,
  which a busy machine disturbs far less), its bytes (until the output settles), the bytes of a
  tab switch and of moving one row in a list, and peak RSS (VmHWM);
- over SSH (SSH_CONNECTION set: no animations, no cursor blink): the same again, and the bytes
  written in --idle seconds (default 3) of idle.

Prints medians (min-max), the ratios cold/skeleton and warm/skeleton, and the targets; then the
bytes with the wire and without it (warm against wire-off). The targets
are judged on the warm start, as a user meets it on every start but the first; the cold start's
verdict is shown in brackets, for information, as are rows marked "info". --strict exits 1 when a
target is missed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the support package
from support.isolation import files_under, isolated_env
from support.ptyharness import PtyApp, terminal_env
from support.wire_off import wire_off_argv

REPO = Path(__file__).resolve().parents[2]
SKELETON = REPO / "tests" / "bench" / "bare_skeleton.py"
SSH = {"SSH_CONNECTION": "127.0.0.1 1 127.0.0.1 2"}
TIMEOUT = 15.0
QUIET = 0.25  # output has settled once nothing came for this long
IDLE = 3.0


@dataclass(frozen=True)
class Subject:
    name: str  # "cold", "warm", "skeleton" or "wire-off"
    argv: list[str]
    sentinels: tuple[str, ...]  # visible only once the first frame is complete
    tab_key: str  # switches tab (to Cast)
    tab_shows: str  # on screen after the tab switch
    list_prepare: tuple[str, ...]  # keys that focus the Cast list after the switch (not measured)
    list_key: str  # moves one row
    cache: str | None = None  # "cold": new empty directories for every launch; "warm": a prepared cache
    markers: bool = True  # the first frame comes between synchronized-output markers (the wire's)


def subjects() -> list[Subject]:
    script = Path(sys.executable).parent / "aoad-tui"
    app_argv = [str(script)] if script.exists() else [sys.executable, "-m", "aoad_tui"]
    warm = Subject(
        "warm", app_argv, ("Quit", "Season 1 was released on Netflix"), "2", "Yoon Chan-young", (), "j", cache="warm"
    )
    return [
        replace(warm, name="cold", cache="cold"),
        warm,
        replace(warm, name="wire-off", argv=wire_off_argv(), markers=False),
        Subject(
            "skeleton",
            [sys.executable, str(SKELETON)],
            ("Overview line 10", "Quit"),
            "right",  # the tab bar has focus at start
            "Cast member 1",
            ("tab",),
            "down",
            markers=False,
        ),
    ]


def keys_and_list(app: PtyApp, subject: Subject, run: dict[str, float], suffix: str) -> None:
    run[f"tab_bytes{suffix}"] = app.key_bytes_written(subject.tab_key, subject.tab_shows, quiet=QUIET, timeout=TIMEOUT)
    for key in subject.list_prepare:
        app.key_bytes_written(key, quiet=QUIET)
    run[f"list_bytes{suffix}"] = moved = app.key_bytes_written(subject.list_key, quiet=QUIET)
    if not moved:
        raise RuntimeError(f"{subject.list_key} wrote nothing: is the list focused?\n{app.text()}")


def session(subject: Subject, root: Path, ssh: bool, idle: float = IDLE) -> dict[str, float]:
    """One launch with its data, cache and config directories under `root`: the figures of one
    run, local or over SSH."""
    run: dict[str, float] = {}
    env = terminal_env("xterm-256color", "truecolor", SSH if ssh else None, isolated=root)
    # The app's first frame comes between synchronized-output markers: it is read to its end
    # marker, with no window of time (the skeleton's, written by Textual alone, has none).
    with PtyApp(subject.argv, env) as app:
        first = app.wait_for(*subject.sentinels, timeout=TIMEOUT)
        cpu = app.cpu_seconds()
        if first is None:
            raise RuntimeError(f"first frame never showed {subject.sentinels}:\n{app.text()}")
        if not app.read_to_frame_end(timeout=TIMEOUT) and subject.markers:
            raise RuntimeError("the first frame did not come between synchronized-output markers")
        first_bytes, first_cells = len(app.raw), app.cells()
        app.settle(quiet=QUIET)
        suffix = "_ssh" if ssh else ""
        run[f"ttff_ms{suffix}"] = first * 1000
        if cpu is not None:
            run[f"cpu_ms{suffix}"] = cpu * 1000
        run[f"ff_bytes{suffix}"] = len(app.raw)
        # The first frame should be the settled one: what changes after it, and when it stops.
        settled = app.cells()
        run[f"later_bytes{suffix}"] = len(app.raw) - first_bytes
        run[f"later_cells{suffix}"] = sum(first_cells.get(at) != cell for at, cell in settled.items())
        run[f"settled_ms{suffix}"] = (app.last_arrival or first) * 1000
        if ssh:
            run["idle_bps_ssh"] = app.drain(idle) / idle
        keys_and_list(app, subject, run, suffix)
        if not ssh:
            run["rss_mib"] = (app.peak_rss_kib() or 0) / 1024
        app.press("ctrl+q")
        status = app.wait_exit(timeout=TIMEOUT)
        if status != 0:
            raise RuntimeError(f"exit status {status} after ctrl+q")
    return run


def cache_dir(root: Path) -> Path:
    """The cache directory of the launches whose directories are under `root`."""
    return Path(isolated_env(root)["XDG_CACHE_HOME"])


def launch(subject: Subject, tmp: Path, ssh: bool, idle: float) -> dict[str, float]:
    """One session of `subject`, in the directories its kind of start needs (under `tmp`); a
    RuntimeError when the start was not as cold or as warm as it should have been."""
    if subject.cache == "cold":
        with tempfile.TemporaryDirectory(prefix="cold-", dir=tmp) as fresh:
            run = session(subject, Path(fresh), ssh, idle)
            if not files_under(cache_dir(Path(fresh))):  # a cold start writes the cache as it quits
                raise RuntimeError("the cold start wrote no knowledge cache when it quit: was it cold?")
        return run
    root = tmp / subject.name
    before = files_under(cache_dir(root))
    run = session(subject, root, ssh, idle)
    if subject.cache == "warm" and (not before or files_under(cache_dir(root)) != before):
        raise RuntimeError("the warm start did not use the prepared knowledge cache (it wrote it again)")
    return run


def prepare_warm(subject: Subject, tmp: Path) -> None:
    """One uncounted launch that leaves the knowledge cache the warm starts use."""
    session(subject, tmp / subject.name, ssh=False)
    if not files_under(cache_dir(tmp / subject.name)):
        raise RuntimeError(f"no knowledge cache was written under {cache_dir(tmp / subject.name)}")


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
    # The first frame is the settled screen: nothing comes later (the skeleton's underline does).
    Row("  cells changed after it", "later_cells", "cells", "0", lambda a, s: a == 0),
    # Textual places the terminal's cursor again after the first frame (a few bytes, no cell changes).
    Row("  bytes written after it", "later_bytes", "B", "info", lambda a, s: True, counts=False),
    Row("  time to the settled frame", "settled_ms", "ms", "info", lambda a, s: True, counts=False),
    Row("tab switch bytes", "tab_bytes", "B", "<= 16 KB", lambda a, s: a <= 16 * KB),
    Row("list move bytes", "list_bytes", "B", "<= 2 KB", lambda a, s: a <= 2 * KB),
    Row("peak RSS (VmHWM)", "rss_mib", "MiB", "app/skel <= 1.15", lambda a, s: a <= 1.15 * s),
    Row("SSH: time to first frame", "ttff_ms_ssh", "ms", "app/skel <= 1.10", lambda a, s: a <= 1.10 * s, counts=False),
    Row("SSH: first frame bytes", "ff_bytes_ssh", "B", "<= 16 KB", lambda a, s: a <= 16 * KB, counts=False),
    Row("SSH: tab switch bytes", "tab_bytes_ssh", "B", "<= 16 KB", lambda a, s: a <= 16 * KB),
    Row("SSH: list move bytes", "list_bytes_ssh", "B", "<= 2 KB", lambda a, s: a <= 2 * KB, counts=False),
    Row("SSH: idle bytes/s", "idle_bps_ssh", "B/s", "0 B/s", lambda a, s: a == 0),
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


def ratio(value: float | None, skeleton: float) -> str:
    return f"{value / skeleton:.2f}" if value is not None and skeleton else "-"


def report(results: dict[str, list[dict[str, float]]], runs: int, idle: float) -> int:
    """Print the table; returns how many targets the warm start missed."""
    print(
        f"\n80x24, TERM=xterm-256color COLORTERM=truecolor; medians (min-max) of {runs} interleaved runs; "
        f"SSH idle measured for {idle:g} s"
    )
    print("load average (1, 5, 15 min) at the end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"app: {' '.join(subjects()[0].argv)}\nskeleton: {SKELETON}")
    print("cold: no knowledge cache (fresh directories each launch); warm: the cache an earlier launch wrote\n")
    header = (
        f"{'figure':<26} {'unit':<4} {'cold':>17} {'warm':>17} {'skeleton':>17} {'cold/sk':>7} {'warm/sk':>7}  "
        f"{'target':<17} {'warm':<12} cold"
    )
    print(header)
    print("-" * len(header))
    missed = 0
    for row in ROWS:
        cold, warm, skel = (
            [r[row.key] for r in results[name] if row.key in r] for name in ("cold", "warm", "skeleton")
        )
        if not warm or not skel:
            print(f"{row.label:<26} {row.unit:<4} {'no data':>17}")
            missed += 1
            continue
        w, s = statistics.median(warm), statistics.median(skel)
        c = statistics.median(cold) if cold else None
        ok = row.ok(w, s)
        missed += row.counts and not ok
        verdict = ("ok" if ok else "MISSED") if row.counts else ("(info: ok)" if ok else "(info: over)")
        cold_verdict = "-" if c is None else ("(ok)" if row.ok(c, s) else "(over)")
        print(
            f"{row.label:<26} {row.unit:<4} {spread(cold, row.unit):>17} {spread(warm, row.unit):>17} "
            f"{spread(skel, row.unit):>17} {ratio(c, s):>7} {ratio(w, s):>7}  {row.target:<17} {verdict:<12} "
            f"{cold_verdict}"
        )
    wire_rows = [row for row in ROWS if row.unit in ("B", "B/s", "cells")]
    print(f"\n{'what the wire buys':<26} {'unit':<5} {'wire (warm)':>17} {'wire off':>17} {'off/wire':>8}")
    for row in wire_rows:
        on, off = ([r[row.key] for r in results[name] if row.key in r] for name in ("warm", "wire-off"))
        if on and off:
            times = statistics.median(off) / statistics.median(on) if statistics.median(on) else None
            shown = f"{times:.1f}x" if times is not None else "-"
            print(f"{row.label:<26} {row.unit:<5} {spread(on, row.unit):>17} {spread(off, row.unit):>17} {shown:>8}")
    cold_ms = [r["ttff_ms"] for r in results["cold"] if "ttff_ms" in r]
    warm_ms = [r["ttff_ms"] for r in results["warm"] if "ttff_ms" in r]
    if cold_ms and warm_ms:
        extra = statistics.median(cold_ms) - statistics.median(warm_ms)
        print(f"\nthe cold start's first frame comes {extra:+.0f} ms after the warm one's (difference of medians)")
    print(f"\n{missed} target{'s' * (missed != 1)} missed" if missed else "\nevery target met")
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="counted rounds (default 9)")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted rounds first (default 1)")
    parser.add_argument("--idle", type=float, default=IDLE, help=f"seconds of SSH idle to measure (default {IDLE:g})")
    parser.add_argument("--json", metavar="PATH", help="also write every run as JSON lines to PATH")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.idle <= 0:
        parser.error("--idle must be more than 0 seconds")

    everyone = subjects()
    results: dict[str, list[dict[str, float]]] = {subject.name: [] for subject in everyone}
    orders = list(itertools.permutations(everyone))  # each subject as often first, second and last
    failures = 0
    print("load average (1, 5, 15 min) at the start: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)
    with tempfile.TemporaryDirectory(prefix="aoad-bench-") as folder:
        tmp = Path(folder)
        try:
            for subject in everyone:
                if subject.cache == "warm":
                    prepare_warm(subject, tmp)
        except (RuntimeError, TimeoutError) as error:
            sys.exit(f"bench_startup: could not prepare the warm start's cache: {error}")
        for rnd in range(args.warmup + args.runs):
            counted = rnd >= args.warmup
            tag = f"run {rnd - args.warmup + 1}/{args.runs}" if counted else "warm-up"
            for subject in orders[rnd % len(orders)]:
                try:
                    run = launch(subject, tmp, False, args.idle) | launch(subject, tmp, True, args.idle)
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
    missed = report(results, args.runs, args.idle)
    if failures:
        print(f"{failures} run{'s' * (failures != 1)} failed", file=sys.stderr)
        return 1
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
