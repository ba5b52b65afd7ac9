"""The CPU one start of the app costs under Textual's Pilot, as most tests of tests/app pay it
(start at 80x24, settle, quit): the figure that most decides how long the fast loop takes.

    python tests/bench/bench_app_start.py [--starts 15] [--rounds 5]

Prints each round's CPU time per start (process time, so threads count too; the first two
starts of the process are not counted: imports), then min, median and max over the rounds.
It uses the installed aoad-tui and the tests' own app factory (tests/support/helpers.py), in
directories of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the `support` package


async def start_once() -> None:
    from support.helpers import make_app, settle

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)


async def starts(count: int) -> None:
    for _ in range(count):
        await start_once()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--starts", type=int, default=15, help="starts a round (default 15)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aoad-bench-start-") as folder:
        for name in ("AOAD_TUI_DATA_DIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
            os.environ[name] = str(Path(folder) / name.lower())
        asyncio.run(starts(2))  # imports, first-use caches
        per_start = []
        for number in range(1, args.rounds + 1):
            began = time.process_time()
            asyncio.run(starts(args.starts))
            per_start.append((time.process_time() - began) / args.starts * 1000)
            print(f"round {number}: {per_start[-1]:.0f} ms of CPU a start ({args.starts} starts)")
    low, middle, high = min(per_start), statistics.median(per_start), max(per_start)
    print(f"app start under Pilot: {middle:.0f} ms of CPU (min {low:.0f}, max {high:.0f}) over {args.rounds} rounds")


if __name__ == "__main__":
    main()
