"""The first frame when the files the app reads at start are as big or as bad as its limits allow.

    python tests/bench/bench_hostile_files.py [--runs N]

Each launch is the installed aoad-tui in a pseudo-terminal at 80x24, timed from spawn to its first
complete frame (read to the frame's end marker), in its own data, cache and config directories
(tests/support/isolation.py). The subjects, interleaved round by round:

- clean: a warm start (the knowledge cache an earlier launch wrote), with the seen.json that
  launch left and no settings.toml;
- keys: the same, with a settings.toml of 8,000 unknown keys (96 KB, over the 64 KiB limit: one
  problem, not parsed). Target: within 1.2 times the clean start (median);
- keys64: the same, with as many unknown keys as 64 KiB holds (about 5,900: each a problem, the
  first 20 listed), all parsed. Target: within 1.2 times the clean start (median);
- seen: the same, with a valid seen.json just under its limit (24 MiB) from another pack, read
  whole and compared before the first frame;
- yaml: a cold start (no cache) on a generated pack whose one YAML file is just under the 4 MiB a
  seeds YAML file may hold (tests/bench/generate_seeds.py): the time until the app's own screen
  (before it, the app says it is reading).

Prints each subject's median and min-max in ms, and its ratio to the clean start's median. What it
does not cover: a loaded machine (compare medians of interleaved runs), and over-limit files (they
are refused before they are read: tests/unit).
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the support package
from support.isolation import isolated_env
from support.ptyharness import PtyApp, terminal_env

from aoad_tui.model import settings, visits
from aoad_tui.model.loader import MAX_YAML_BYTES
from aoad_tui.model.visits import Seen, Visit, serialize_visit

HERE = Path(__file__).resolve().parent
TIMEOUT = 120.0
# Shown only once the app's own screen is up (not the one that says it is reading), and never
# under a notice (they cover the right of the screen).
READY = ("1 Overview", "Quit")
KEYS_TARGET = 1.2


def app_argv() -> list[str]:
    script = Path(sys.executable).parent / "aoad-tui"
    return [str(script)] if script.exists() else [sys.executable, "-m", "aoad_tui"]


def first_frame_ms(
    root: Path, sentinels: tuple[str, ...], extra: list[str] | None = None, wait_for_seen: bool = False
) -> tuple[float, float]:
    """Wall and CPU milliseconds from spawn to the first frame that shows `sentinels`."""
    env = terminal_env("xterm-256color", "truecolor", isolated=root)
    with PtyApp([*app_argv(), *(extra or [])], env) as app:
        first = app.wait_for(*sentinels, timeout=TIMEOUT)
        cpu = app.cpu_seconds() or 0.0
        if first is None or not app.read_to_frame_end(timeout=TIMEOUT):
            raise RuntimeError(f"no whole first frame showing {sentinels}:\n{app.text()}")
        deadline = time.monotonic() + TIMEOUT
        while wait_for_seen and not seen_file(root).exists() and time.monotonic() < deadline:
            time.sleep(0.05)  # written after the first frame
        app.press("ctrl+q")
        app.wait_exit(timeout=TIMEOUT)
    return first * 1000, cpu * 1000


def settings_file(root: Path) -> Path:
    return Path(isolated_env(root)["XDG_CONFIG_HOME"]) / "aoad-tui" / "settings.toml"


def seen_file(root: Path) -> Path:
    return Path(isolated_env(root)["AOAD_TUI_DATA_DIR"]) / visits.FILE_NAME


def big_seen() -> bytes:
    """A valid seen.json of another pack, as near its limit as thousands of entries allow."""
    article = ("000_87d513006f32d67f",)
    count = 270_000  # (a little over the limit)
    while True:
        seen = {f"fact-{n:07d}": Seen("fact", f"{n:032x}", "confirmed", article) for n in range(count)}
        data = serialize_visit(Visit(date(2026, 11, 2), seen))
        if len(data) <= visits.MAX_FILE_BYTES:
            return data
        count -= 1000


def keys_up_to(limit: int) -> bytes:
    """As many unknown keys as `limit` bytes hold, one a line."""
    lines: list[bytes] = []
    size = 0
    for number in itertools.count():
        line = f"k{number:05d} = 1\n".encode()
        if size + len(line) > limit:
            return b"".join(lines)
        lines.append(line)
        size += len(line)
    raise AssertionError("unreachable")


def big_yaml_pack(folder: Path) -> Path:
    """A generated pack whose one entries file is just under the YAML limit."""
    entries = 9000
    while True:
        pack = folder / f"pack-{entries}"
        subprocess.run(
            [sys.executable, str(HERE / "generate_seeds.py"), str(pack), "--entries", str(entries), "--files", "1"],
            check=True,
            capture_output=True,
        )
        biggest = max(p.stat().st_size for p in pack.glob("*.yaml"))
        if biggest <= MAX_YAML_BYTES:
            print(f"yaml: the biggest file of {pack.name} holds {biggest / 1024 / 1024:.2f} MiB", flush=True)
            return pack
        shutil.rmtree(pack)
        entries -= 500


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="counted rounds (default 5)")
    args = parser.parse_args(argv)
    keys = "".join(f"k{n:04d} = 1\n" for n in range(8000)).encode()
    keys64 = keys_up_to(settings.MAX_FILE_BYTES)
    seen = big_seen()
    print(f"keys: settings.toml of {len(keys) / 1024:.0f} KB", flush=True)
    print(f"keys64: {keys64.count(b'=')} keys in {len(keys64)} B; seen: {len(seen) / 1024 / 1024:.2f} MiB", flush=True)
    times: dict[str, list[tuple[float, float]]] = {"clean": [], "keys": [], "keys64": [], "seen": [], "yaml": []}
    with tempfile.TemporaryDirectory(prefix="aoad-hostile-") as folder:
        tmp = Path(folder)
        pack = big_yaml_pack(tmp)
        warm = tmp / "warm"
        first_frame_ms(warm, READY, wait_for_seen=True)  # leaves the knowledge cache and seen.json of the clean start
        left_seen = seen_file(warm).read_bytes()
        for _round in range(args.runs):
            for name, values in times.items():
                if name == "yaml":
                    with tempfile.TemporaryDirectory(dir=tmp) as cold:
                        values.append(first_frame_ms(Path(cold), READY, ["--seeds", str(pack)]))
                    continue
                toml = settings_file(warm)
                toml.parent.mkdir(parents=True, exist_ok=True)
                toml.unlink(missing_ok=True)
                seen_file(warm).write_bytes(left_seen)
                if name == "keys":
                    toml.write_bytes(keys)
                elif name == "keys64":
                    toml.write_bytes(keys64)
                elif name == "seen":
                    seen_file(warm).write_bytes(seen)
                values.append(first_frame_ms(warm, READY))
    print(f"\nfirst frame: median (min-max) of {args.runs} interleaved runs; load average {os.getloadavg()[0]:.2f}")
    print(f"{'':<6} {'wall ms':>20} {'':>12} {'CPU ms (the child)':>20}")
    clean = [statistics.median(column) for column in zip(*times["clean"], strict=True)]
    for name, runs in times.items():
        cells = []
        for column, base in zip(zip(*runs, strict=True), clean, strict=True):
            median = statistics.median(column)
            cells.append(f"{median:>6.0f} ({min(column):.0f}-{max(column):.0f}) {median / base:>5.2f}x")
        target = f"  target: wall <= {KEYS_TARGET}x clean" if name.startswith("keys") else ""
        print(f"{name:<6} {cells[0]:>32} {cells[1]:>32}{target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
