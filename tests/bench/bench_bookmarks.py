"""How fast bookmarks reach the disk, and how fast a big bookmarks file loads.

    python tests/bench/bench_bookmarks.py [--toggles N] [--loads N] [--salvages N] [--dir DIR]
        [--json out.jsonl] [--strict]

- toggle: with 1,000 bookmarks already saved, the time BookmarkStore.toggle() takes to return, by
  when the change is on disk (lock, re-read and merge, temporary file, fsync, os.replace, fsync of
  the directory). Alternately adds and removes one more bookmark. Target: median and p95 <= 20 ms.
- load: the time BookmarkStore(dir).load() takes for a file of 10,000 bookmarks (read, decode,
  validate every item). Target: median <= 100 ms.
- salvage: the time BookmarkStore(dir).load() takes for a 16 MiB file (the largest it reads) of
  objects nested in objects, which is not valid JSON: read, salvage, the repair written and the
  file moved aside. Target: the slowest of the shapes tried (--salvages runs each) <= 5,000 ms.
- also shown, not targeted: a toggle with 10,000 saved, and a load of 1,000.

The data directory is a fresh temporary folder (on the file system of --dir, default the system
temporary directory): fsync costs what that disk makes it cost. The process's own data, cache and
config directories are in it too (tests/support/isolation.py). --strict exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the support package
from support.isolation import isolated_env

from aoad_tui.model.bookmarks import MAX_FILE_BYTES, Bookmark, BookmarkStore, serialize

TOGGLE_TARGET_MS = 20.0
LOAD_TARGET_MS = 100.0
SALVAGE_TARGET_MS = 5000.0
# Nested objects that look like bookmarks, objects holding lists, braces in strings.
SALVAGE_SHAPES = (b'{"kind": ', b'{"a":[', b'{"{":{')


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def existing(count: int) -> list[Bookmark]:
    kinds = ("person", "fact", "quote", "rumor", "source")
    return [
        Bookmark(kinds[n % 5], f"entry-{n:05d}", "2026-11-23T21:07:06Z", "a short note" if n % 3 == 0 else "")
        for n in range(count)
    ]


def prepared(root: Path, count: int) -> Path:
    directory = Path(tempfile.mkdtemp(prefix=f"bookmarks-{count}-", dir=root))
    (directory / "bookmarks.json").write_bytes(serialize(existing(count)))
    return directory


def time_toggles(root: Path, count: int, toggles: int) -> list[float]:
    store = BookmarkStore(prepared(root, count))
    store.load()
    assert len(store.bookmarks) == count
    times = []
    for _ in range(toggles):
        started = time.perf_counter()
        store.toggle("person", "benchmark-entry")
        times.append((time.perf_counter() - started) * 1000)
    assert not store.unsaved and not store.take_messages(), "a save failed"
    return times


def time_loads(root: Path, count: int, loads: int) -> list[float]:
    directory = prepared(root, count)
    times = []
    for _ in range(loads):
        store = BookmarkStore(directory)
        started = time.perf_counter()
        store.load()
        times.append((time.perf_counter() - started) * 1000)
        assert len(store.bookmarks) == count and not store.messages
    return times


def time_salvages(root: Path, runs: int) -> list[float]:
    """Each shape, 16 MiB of it, loaded `runs` times (a fresh copy each time: a load repairs it)."""
    timings = []
    for number, shape in enumerate(SALVAGE_SHAPES):
        data = shape * (MAX_FILE_BYTES // len(shape))
        for run in range(runs):
            directory = root / f"salvage-{number}-{run}"
            directory.mkdir()
            (directory / "bookmarks.json").write_bytes(data)
            started = time.perf_counter()
            store = BookmarkStore(directory)
            store.load()
            timings.append((time.perf_counter() - started) * 1000)
            assert "moved aside" in " ".join(store.take_messages())
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--toggles", type=int, default=100, help="toggles to time (default 100)")
    parser.add_argument("--loads", type=int, default=30, help="loads to time (default 30)")
    parser.add_argument("--salvages", type=int, default=3, help="salvages of each 16 MiB shape (default 3)")
    parser.add_argument("--dir", type=Path, default=None, help="where to make the temporary data folders")
    parser.add_argument("--json", type=Path, default=None, help="append the figures to this JSON-lines file")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)

    rows: list[tuple[str, list[float], float | None, Callable[[list[float]], float]]] = []
    with tempfile.TemporaryDirectory(prefix="aoad-bench-", dir=args.dir) as folder:
        root = Path(folder)
        os.environ.update(isolated_env(root / "isolated"))
        time_toggles(root, 1000, 5)  # warm up: imports, caches, the first fsyncs
        toggle = time_toggles(root, 1000, args.toggles)
        # 9,999 saved and one toggled: the store holds at most 10,000.
        toggle_10k = time_toggles(root, 9_999, max(10, args.toggles // 5))
        load = time_loads(root, 10_000, args.loads)
        load_1k = time_loads(root, 1000, args.loads)
        salvage = time_salvages(root, args.salvages)

    median = statistics.median
    p95 = lambda values: percentile(values, 0.95)  # noqa: E731
    rows = [
        ("toggle on disk, 1,000 saved: median", toggle, TOGGLE_TARGET_MS, median),
        ("toggle on disk, 1,000 saved: p95", toggle, TOGGLE_TARGET_MS, p95),
        ("toggle on disk, 9,999-10,000 saved: median", toggle_10k, None, median),
        ("toggle on disk, 9,999-10,000 saved: p95", toggle_10k, None, p95),
        ("load 10,000 bookmarks: median", load, LOAD_TARGET_MS, median),
        ("load 1,000 bookmarks: median", load_1k, None, median),
        ("salvage 16 MiB nested: slowest", salvage, SALVAGE_TARGET_MS, max),
    ]

    print(f"\nbookmarks on {args.dir or tempfile.gettempdir()}; Python {sys.version.split()[0]}")
    header = f"{'measure':<40} {'ms':>8} {'min-max':>17} {'n':>4} {'target':>8}  result"
    print(header)
    print("-" * len(header))
    missed = 0
    figures = {}
    for label, values, target, statistic in rows:
        value = statistic(values)
        figures[label] = round(value, 3)
        verdict = ""
        if target is not None:
            met = value <= target
            missed += not met
            verdict = "ok" if met else "MISSED"
        spread = f"{min(values):.2f}-{max(values):.2f}"
        target_text = f"<= {target:.0f}" if target is not None else ""
        print(f"{label:<40} {value:>8.2f} {spread:>17} {len(values):>4} {target_text:>8}  {verdict}")
    print(f"\n{missed} target{'s' * (missed != 1)} missed" if missed else "\nevery target met")
    if args.json:
        with args.json.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"time": time.time(), "figures_ms": figures}) + "\n")
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
