"""Cost that does not grow with the data: the installed app on the bundled seeds, on generated packs
and with one long article, side by side in one run.

    python tests/bench/bench_scale.py [--runs 3] [--packs 10000,100000] [--article-mb 10] [--strict]

Every figure comes from outside, through a pseudo-terminal at 80x24 (tests/support/ptyharness.py),
with the installed `aoad-tui` and directories of its own (tests/support/isolation.py):

- first frame with a warm knowledge cache (median of --runs), and with none (cold, one run): on
  seeds over 1 MB, a cold first frame is the screen saying how far reading them has got
  (screens/reading.py), and the Overview comes once they are read (printed too, "read ms");
- peak RSS (VmHWM) of a warm session that visits every tab; RSS per 1,000 entries above the bundled;
- quit: from ctrl+q to the process's exit, after a session that visited every tab;
- a long article (tests/support/packs.py: the bundled seeds and a generated transcript of
  --article-mb MB, the newest article): the Source tab from its key to the article's heading
  drawn; `s` on the fact citing its last paragraph (Overview, end) to those words drawn; peak RSS.

Targets (issue 14): first frame at 10,000 entries <= 1.3x the bundled seeds and at 100,000 <= 2x
(warm; cold within 2x of warm); quit <= 0.5 s at any size; the long article's Source tab <= 1 s,
its `s` <= 0.2 s, its peak RSS <= 200 MiB. --strict exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the support package
from generate_seeds import generate_seeds
from support.packs import LAST_WORDS_START, with_long_article
from support.ptyharness import PtyApp, terminal_env

from aoad_tui.model.paths import bundled_seeds

SCRIPT = Path(sys.executable).parent / "aoad-tui"
TIMEOUT = 180.0
QUIET = 0.3


@dataclass
class Figures:
    name: str
    entries: int
    warm_ms: list[float] = field(default_factory=list)
    cold_ms: float = 0.0  # the first frame: on big seeds, the reading screen
    cold_overview_ms: float = 0.0  # the Overview, once the seeds are read
    rss_mib: float = 0.0
    quit_ms: list[float] = field(default_factory=list)


def session(seeds: Path, root: Path, *, every_tab: bool) -> tuple[float, float, float, float]:
    """One start: (first frame ms, the Overview ms, peak RSS MiB, quit ms). The first frame is the
    first with the key bar: the Overview's, or on a cold start with big seeds the reading screen's."""
    env = terminal_env(isolated=root)
    with PtyApp([str(SCRIPT), "--seeds", str(seeds)], env) as app:
        first = app.wait_for("Quit", timeout=TIMEOUT)
        overview = app.wait_for("Overview", "Quit", timeout=TIMEOUT)
        if first is None or overview is None:
            raise RuntimeError(f"{seeds}: no first frame\n{app.text()}")
        app.settle(quiet=QUIET)
        if every_tab:
            for key in "234561":
                app.press(key)
                app.settle(quiet=QUIET)
        rss = (app.peak_rss_kib() or 0) / 1024
        start = time.monotonic()
        app.press("ctrl+q")
        status = app.wait_exit(timeout=TIMEOUT)
        quit_ms = (time.monotonic() - start) * 1000
        if status != 0:
            raise RuntimeError(f"{seeds}: exit status {status}")
    return first * 1000, overview * 1000, rss, quit_ms


def measure(name: str, seeds: Path, entries: int, runs: int) -> Figures:
    figures = Figures(name, entries)
    with tempfile.TemporaryDirectory(prefix="aoad-scale-cold-") as cold:
        # No cache yet (it is written as it quits): the first frame, and the Overview once read.
        figures.cold_ms, figures.cold_overview_ms, _, _ = session(seeds, Path(cold), every_tab=False)
        rss = []
        for _ in range(runs):
            _, overview, peak, quit_ms = session(seeds, Path(cold), every_tab=True)
            figures.warm_ms.append(overview)
            figures.quit_ms.append(quit_ms)
            rss.append(peak)
        figures.rss_mib = statistics.median(rss)
    print(
        f"  {name}: warm {statistics.median(figures.warm_ms):.0f} ms, cold {figures.cold_ms:.0f} ms "
        f"(the Overview {figures.cold_overview_ms:.0f} ms), "
        f"rss {figures.rss_mib:.1f} MiB, quit {statistics.median(figures.quit_ms):.0f} ms",
        flush=True,
    )
    return figures


def long_article(megabytes: float, runs: int) -> dict[str, float]:
    source_ms, cite_ms, rss, quit_ms = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="aoad-scale-article-") as folder:
        seeds = with_long_article(bundled_seeds(), Path(folder) / "seeds", megabytes)
        root = Path(folder) / "run"
        for _ in range(runs):
            env = terminal_env(isolated=root)
            with PtyApp([str(SCRIPT), "--seeds", str(seeds)], env) as app:
                if app.wait_for("Overview", "Quit", timeout=TIMEOUT) is None:
                    raise RuntimeError(f"no first frame\n{app.text()}")
                app.settle(quiet=QUIET)
                start = app.now()
                app.press("6")
                if app.wait_for("A long transcript", timeout=TIMEOUT) is None:
                    raise RuntimeError(f"the Source tab never showed the transcript\n{app.text()}")
                source_ms.append((app.now() - start) * 1000)
                app.settle(quiet=QUIET)
                app.press("1")
                app.wait_for("Season 2:", timeout=TIMEOUT)
                app.settle(quiet=QUIET)
                app.press("end")
                app.settle(quiet=QUIET)
                start = app.now()
                app.press("s")
                if app.wait_for(LAST_WORDS_START, timeout=TIMEOUT) is None:
                    raise RuntimeError(f"s never showed the last paragraph\n{app.text()}")
                cite_ms.append((app.now() - start) * 1000)
                app.settle(quiet=QUIET)
                rss.append((app.peak_rss_kib() or 0) / 1024)
                start_quit = time.monotonic()
                app.press("ctrl+q")
                app.wait_exit(timeout=TIMEOUT)
                quit_ms.append((time.monotonic() - start_quit) * 1000)
    return {
        "source_ms": statistics.median(source_ms),
        "cite_ms": statistics.median(cite_ms),
        "rss_mib": statistics.median(rss),
        "quit_ms": statistics.median(quit_ms),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="warm starts per data set (default 3)")
    parser.add_argument("--packs", default="10000,100000", help="entries of the generated packs (default 10000,100000)")
    parser.add_argument("--article-mb", type=float, default=10.0, help="size of the long article (default 10)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if not SCRIPT.exists():
        print(f"no installed aoad-tui next to {sys.executable}")
        return 1
    sizes = [int(n) for n in args.packs.split(",") if n]
    print("pty 80x24; medians; each data set in directories of its own", flush=True)
    results = [measure("bundled seeds", bundled_seeds(), 31, args.runs)]
    with tempfile.TemporaryDirectory(prefix="aoad-scale-packs-") as folder:
        for size in sizes:
            seeds = generate_seeds(Path(folder) / f"pack{size}", entries=size)
            results.append(measure(f"{size:,} entries", seeds, size, args.runs))
    article = long_article(args.article_mb, args.runs)

    base = results[0]
    base_warm = statistics.median(base.warm_ms)
    missed: list[str] = []
    print()
    print(
        f"{'data':<16} {'warm ms':>8} {'x bundled':>9} {'cold ms':>8} {'cold/warm':>9} {'read ms':>8} "
        f"{'RSS MiB':>8} {'quit ms':>8}"
    )
    for figures in results:
        warm = statistics.median(figures.warm_ms)
        quit_ms = max(figures.quit_ms)
        ratio = warm / base_warm
        print(
            f"{figures.name:<16} {warm:>8.0f} {ratio:>9.2f} {figures.cold_ms:>8.0f} "
            f"{figures.cold_ms / warm:>9.2f} {figures.cold_overview_ms:>8.0f} {figures.rss_mib:>8.1f} {quit_ms:>8.0f}"
        )
        limit = 1.3 if figures.entries <= 10_000 else 2.0
        if figures is not base and ratio > limit:
            missed.append(f"{figures.name}: first frame {ratio:.2f}x the bundled seeds (target {limit}x)")
        if figures is not base and figures.cold_ms > 2 * warm:
            missed.append(f"{figures.name}: cold {figures.cold_ms / warm:.2f}x warm (target 2x)")
        if quit_ms > 500:
            missed.append(f"{figures.name}: quit {quit_ms:.0f} ms (target 500)")
    print(
        "(warm: the Overview with a knowledge cache; cold: the first frame without one, on big seeds the\n"
        " screen saying how far reading them has got; read: the Overview on that cold start, once read)"
    )
    for figures in results[1:]:
        per_thousand = (figures.rss_mib - base.rss_mib) / ((figures.entries - base.entries) / 1000)
        print(f"memory: {per_thousand:.2f} MiB per 1,000 entries above the bundled seeds ({figures.name})")
    print()
    print(
        f"a {args.article_mb:g} MB article: Source tab {article['source_ms']:.0f} ms (target 1000), "
        f"s to its last paragraph {article['cite_ms']:.0f} ms (target 200), "
        f"peak RSS {article['rss_mib']:.1f} MiB (target 200), quit {article['quit_ms']:.0f} ms"
    )
    per_mb = (article["rss_mib"] - base.rss_mib) / args.article_mb
    print(f"memory: {per_mb:.1f} MiB per MB of article above the bundled seeds")
    if article["source_ms"] > 1000:
        missed.append("long article: Source tab over 1 s")
    if article["cite_ms"] > 200:
        missed.append("long article: s over 0.2 s")
    if article["rss_mib"] > 200:
        missed.append("long article: peak RSS over 200 MiB")
    print()
    print("\n".join(f"MISSED {line}" for line in missed) or "every target met")
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
