"""How the installed aoad-tui writes its first frame, seen by the kernel: in how many writes.

    python tests/bench/bench_first_write.py [--runs N]

Each run starts `aoad-tui` (cold and warm: without and with the knowledge cache) in a pty at
80x24 under `strace -f -e trace=write`, waits until the first frame is on the screen and the
output has been quiet for 0.5 s, quits, and reads the trace: the terminal's writes from the first
that draws a cell (a write with the Overview's title in it) to the end. It prints, for each run,
the bytes of that first write and of every later write that is more than a cursor move (a write
that draws something after the first frame), then min-max over the runs. Target: the first frame
in one write, and nothing drawn after it. Needs strace (Debian: apt-get install strace). Not a
pytest module; not part of the test run.
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the support package
from support.ptyharness import PtyApp, terminal_env
from support.screens import FIRST_FRAME, SCRIPT

# One write(2) call as strace prints it: pid, fd, the data as a C string, the count.
WRITE = re.compile(r'^\d+\s+write\((\d+), "((?:[^"\\]|\\.)*)"(?:\.\.\.)?, (\d+)\) = (\d+)', re.MULTILINE)
CURSOR_MOVE = re.compile(rb"^(\x1b\[\d+;\d+H)+$")
MARK = b"All Of Us Are Dead"  # the header's title: in the first write that draws the screen


def writes(trace: str) -> list[bytes]:
    """The data of every write to a terminal descriptor (1 or 2), in order."""
    found = []
    for fd, text, _count, _done in WRITE.findall(trace):
        if fd in ("1", "2"):
            found.append(ast.literal_eval(f'b"{text}"'))
    return found


def one_run(root: Path, strace: str) -> tuple[int, list[int]]:
    """(bytes of the first frame's write, bytes of each later write that draws something)."""
    root.mkdir(exist_ok=True)
    trace = root / "trace.txt"
    argv = [strace, "-f", "-e", "trace=write", "-s", "1000000", "-o", str(trace), str(SCRIPT)]
    with PtyApp(argv, terminal_env(isolated=root / "home")) as app:
        if app.wait_for(*FIRST_FRAME, timeout=30) is None:
            raise RuntimeError(f"no first frame:\n{app.text()}")
        app.settle(quiet=0.5)
        app.press("q")
        if app.wait_exit(timeout=30) != 0:
            raise RuntimeError("the app did not quit cleanly")
    data = writes(trace.read_text(encoding="latin-1"))
    first = next(i for i, chunk in enumerate(data) if MARK in chunk)
    later = [len(chunk) for chunk in data[first + 1 :] if not CURSOR_MOVE.match(chunk) and b"\x1b[?1049l" not in chunk]
    return len(data[first]), later


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each, cold and warm (default 5)")
    args = parser.parse_args()
    strace = shutil.which("strace")
    if strace is None:
        sys.exit("bench_first_write: strace is not installed")
    missed = 0
    with tempfile.TemporaryDirectory() as folder:
        for name in ("cold", "warm"):
            sizes, later_counts = [], []
            for run in range(args.runs):
                root = Path(folder) / f"{name}-{run}"
                if name == "warm":  # an earlier, uncounted start writes the knowledge cache
                    root.mkdir()
                    shutil.copytree(Path(folder) / "cold-0" / "home", root / "home")
                size, later = one_run(root, strace)
                sizes.append(size)
                later_counts.append(len(later))
                print(f"[{name}] run {run + 1}: the first write drawing the screen {size} B; later: {later}")
            missed += sum(later_counts) > 0
            print(
                f"{name}: first write {min(sizes)}-{max(sizes)} B; writes drawing after it "
                f"{min(later_counts)}-{max(later_counts)} (target 0) over {args.runs} runs"
            )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
