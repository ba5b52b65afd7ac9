"""How long loading and validating seeds takes, in-process.

    python tests/bench/bench_load.py [--repeat-bundled N] [--repeat-synthetic N] [--keep DIR]

Measures load_knowledge() (read, parse, validate, check every citation) on
- the bundled seeds, many times; target: median under 50 ms;
- a synthetic pack of 500 articles and 10,000 entries made by generate_seeds.py in a temporary
  directory, at least 5 times; target: median under 1.5 s.
It prints the median and the minimum wall time of each (and the process CPU time, which other
programs running on the machine disturb less), and whether PyYAML's C parser is in use. The
process runs with data, cache and config directories of its own (tests/support/isolation.py).
Exit status 0 when both medians meet their targets, else 1. Not a pytest module.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the support package
from generate_seeds import generate_seeds
from support.isolation import isolated_env

from aoad_tui.model import yamlfile
from aoad_tui.model.loader import load_knowledge
from aoad_tui.model.paths import bundled_seeds

BUNDLED_TARGET = 0.050
SYNTHETIC_TARGET = 1.5


def measure(action: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each of `repeat` runs of `action`, after one warm-up run. Each run
    starts from a collected heap, as the app's one load at startup does."""
    action()
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus


def report(label: str, walls: list[float], cpus: list[float], target: float) -> bool:
    median = statistics.median(walls)
    ok = median < target
    print(
        f"{label}: median {_ms(median)}, min {_ms(min(walls))} over {len(walls)} runs"
        f" (CPU median {_ms(statistics.median(cpus))}, min {_ms(min(cpus))});"
        f" target < {_ms(target)}: {'OK' if ok else 'MISSED'}"
    )
    return ok


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.3f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat-bundled", type=int, default=50, metavar="N")
    parser.add_argument("--repeat-synthetic", type=int, default=7, metavar="N")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="generate the synthetic pack here and keep it")
    args = parser.parse_args(argv)

    c_loader = yamlfile._BaseLoader is getattr(yaml, "CSafeLoader", None)
    print(f"Python {sys.version.split()[0]}, PyYAML {yaml.__version__}")
    print(f"PyYAML C loader (libyaml): {'in use' if c_loader else 'NOT in use: the pure-Python parser is slower'}")

    with tempfile.TemporaryDirectory(prefix="aoad-bench-") as tmp:
        os.environ.update(isolated_env(Path(tmp) / "isolated"))
        seeds = bundled_seeds()
        knowledge = load_knowledge(seeds)
        print(f"bundled seeds: {seeds} ({len(knowledge.articles)} articles, {len(knowledge.entries())} entries)")
        del knowledge
        walls, cpus = measure(lambda: load_knowledge(seeds), max(args.repeat_bundled, 1))
        ok = report("  load+validate", walls, cpus, BUNDLED_TARGET)

        pack = args.keep or Path(tmp) / "seeds"
        started = time.perf_counter()
        generate_seeds(pack)
        generated = time.perf_counter() - started
        knowledge = load_knowledge(pack)
        size = sum(p.stat().st_size for p in pack.iterdir()) / 1e6
        print(
            f"synthetic pack: {len(knowledge.articles)} articles, {len(knowledge.entries())} entries,"
            f" {len(list(pack.glob('*.yaml')))} YAML files, {size:.1f} MB (generated in {generated:.1f} s)"
        )
        del knowledge  # not to be carried through the measured runs
        walls, cpus = measure(lambda: load_knowledge(pack), max(args.repeat_synthetic, 5))
        ok = report("  load+validate", walls, cpus, SYNTHETIC_TARGET) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
