"""What remembering a visit costs (model/visits.py), on the bundled seeds and a generated pack.

    python tests/bench/bench_news.py [--entries 10000] [--runs 5] [--no-pty]

In process, per knowledge base: hashing every entry (a cold start's cost; a warm start reads the
fingerprints from the knowledge cache), a start that finds nothing changed (one line of seen.json
read), a start that finds 1% of the entries new or changed (the whole file read and compared), and
writing a visit (done in a thread after the first frame), with seen.json's size.

Then, unless --no-pty, the installed app at 80x24 in a pseudo-terminal on the pack, with a warm
knowledge cache, interleaved: time to the first frame (medians) on a first visit (no seen.json), a
returning visit that finds nothing new, and one that finds 1% changed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the support package
from generate_seeds import generate_seeds
from support.isolation import isolated_env
from support.ptyharness import PtyApp, terminal_env

from aoad_tui.model.entries import KnowledgeBase
from aoad_tui.model.loader import load_knowledge
from aoad_tui.model.paths import bundled_seeds
from aoad_tui.model.visits import (
    FILE_NAME,
    Seen,
    Visit,
    VisitStore,
    fingerprint,
    remember,
    serialize_visit,
    start_visit,
    visit_of,
)

TODAY = date.today()
SCRIPT = Path(sys.executable).parent / "aoad-tui"


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def one_percent_changed(visit: Visit) -> Visit:
    """The visit as it would have been before 1% of its entries were added or changed."""
    seen = dict(visit.seen)
    for number, entry_id in enumerate(list(seen)):
        if number % 200 == 0:
            del seen[entry_id]  # new since
        elif number % 200 == 100:
            old = seen[entry_id]
            seen[entry_id] = Seen(old.kind, "0" * 16, "speculated", old.articles)  # changed since
    return Visit(visit.on.replace(day=1), seen)


def in_process(name: str, knowledge: KnowledgeBase, runs: int) -> None:
    entries = knowledge.entries()
    hashing = median_ms(lambda: [fingerprint(e) for e in entries], runs)
    with tempfile.TemporaryDirectory(prefix="aoad-bench-news-") as folder:
        data = Path(folder)
        store = VisitStore(data)
        writing = median_ms(lambda: remember(store, knowledge, TODAY), runs)
        size = (data / FILE_NAME).stat().st_size
        unchanged = median_ms(lambda: start_visit(VisitStore(data), knowledge, TODAY), runs)
        (data / FILE_NAME).write_bytes(serialize_visit(one_percent_changed(visit_of(knowledge, TODAY))))
        news, _ = start_visit(VisitStore(data), knowledge, TODAY)
        changed = median_ms(lambda: start_visit(VisitStore(data), knowledge, TODAY), runs)
    print(f"{name}: {len(entries):,} entries")
    print(f"  hash every entry (cold start only)          {hashing:8.1f} ms")
    print(f"  start, nothing changed (digest line only)   {unchanged:8.1f} ms")
    print(f"  start, 1% changed ({len(news.changes):,} listed)          {changed:8.1f} ms")
    print(f"  remember the visit (after the first frame)  {writing:8.1f} ms   seen.json {size / 1024:,.0f} KiB")


def first_frame(seeds: Path, root: Path) -> float:
    env = terminal_env(isolated=root)
    with PtyApp([str(SCRIPT), "--seeds", str(seeds)], env) as app:
        first = app.wait_for("Quit", "Overview", timeout=120)
        if first is None:
            raise RuntimeError(f"no first frame:\n{app.text()}")
        app.settle(quiet=0.3)
        app.press("ctrl+q")
        app.wait_exit(timeout=60)
    return first * 1000


def pty_starts(seeds: Path, knowledge: KnowledgeBase, runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="aoad-bench-news-pty-") as folder:
        root = Path(folder)
        seen = Path(isolated_env(root)["AOAD_TUI_DATA_DIR"]) / FILE_NAME
        first_frame(seeds, root)  # writes the knowledge cache (with the fingerprints) as it quits
        current = seen.read_bytes()
        older = serialize_visit(one_percent_changed(visit_of(knowledge, TODAY)))
        kinds: dict[str, Callable[[], None]] = {
            "first visit (no seen.json)": lambda: seen.unlink(missing_ok=True),
            "returning, nothing new": lambda: seen.write_bytes(current),
            "returning, 1% new or changed": lambda: seen.write_bytes(older),
        }
        times: dict[str, list[float]] = {kind: [] for kind in kinds}
        for _ in range(runs):
            for kind, prepare in kinds.items():
                prepare()
                times[kind].append(first_frame(seeds, root))
        cache = Path(isolated_env(root)["XDG_CACHE_HOME"])
        assert any(cache.rglob("knowledge.pickle")), "no knowledge cache: the starts were not warm"
    print(f"pty 80x24, warm knowledge cache, {runs} interleaved rounds: time to the first frame (median, min-max)")
    for kind, values in times.items():
        print(f"  {kind:<32} {statistics.median(values):7.0f} ms  ({min(values):.0f}-{max(values):.0f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000, help="entries of the generated pack (default 10000)")
    parser.add_argument("--runs", type=int, default=5, help="repetitions (default 5)")
    parser.add_argument("--no-pty", action="store_true", help="in-process figures only")
    args = parser.parse_args(argv)
    in_process("bundled seeds", load_knowledge(bundled_seeds()), args.runs)
    with tempfile.TemporaryDirectory(prefix="aoad-bench-pack-") as folder:
        seeds = generate_seeds(Path(folder) / "seeds", entries=args.entries)
        knowledge = load_knowledge(seeds)
        in_process(f"generated pack ({seeds.name})", knowledge, args.runs)
        if not args.no_pty:
            if not SCRIPT.exists():
                print(f"no installed aoad-tui next to {sys.executable}: pty starts skipped")
                return 1
            pty_starts(seeds, knowledge, args.runs)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
