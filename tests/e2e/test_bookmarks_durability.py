"""Durability of bookmarks.json across processes: writers killed with SIGKILL at random moments
never leave a broken file, and instances saving at the same time never lose each other's changes.

The crash test forks its writers from one "zygote" process (started with `python -c`, aoad_tui
already imported), so that each of the hundreds of runs costs a fork rather than a whole Python
start: every writer is still a separate process, killed by its pid with SIGKILL.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from aoad_tui.model.bookmarks import FILE_NAME, Bookmark, parse_bookmarks

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL (POSIX)")

KILLS = 200  # writers that only add: the file must only ever grow, one bookmark at a time
MIXED_KILLS = 100  # writers that toggle, remove and write notes: the file must stay valid
SEED = int(os.environ.get("AOAD_TUI_CRASH_SEED", "20261123"))

ZYGOTE = r"""
import os, random, sys
from pathlib import Path
from aoad_tui.model.bookmarks import Bookmark, BookmarkStore, utc_now

directory = Path(sys.argv[1])


def add_forever(store):
    numbers = [int(b.id[1:]) for b in store.bookmarks if b.id.startswith("w")]
    number = max(numbers, default=-1) + 1
    while True:
        store.add(Bookmark("fact", f"w{number:06d}", utc_now(), "x" * (number % 300)))
        number += 1


def change_forever(store):
    rng = random.Random(os.getpid())
    while True:
        entry = f"m{rng.randrange(20)}"
        action = rng.randrange(3)
        if action == 0:
            store.toggle("rumor", entry)
        elif action == 1:
            store.set_note("rumor", entry, "“note” " * rng.randrange(60))
        else:
            store.remove("rumor", entry)


for line in sys.stdin:
    mode = line.strip()
    pid = os.fork()
    if pid == 0:
        try:
            store = BookmarkStore(directory)
            store.load()
            (add_forever if mode == "add" else change_forever)(store)
        finally:
            os._exit(3)  # only reached if the writer failed: the test sees it was not killed
    print(pid, flush=True)
    _, status = os.waitpid(pid, 0)
    print(status, flush=True)
"""

WORKER = r"""
import sys, time
from pathlib import Path
from aoad_tui.model.bookmarks import Bookmark, BookmarkStore, utc_now

directory, name, count, mode = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
(directory.parent / f"ready-{name}").touch()
go = directory.parent / "go"
while not go.exists():
    time.sleep(0.0005)
store = BookmarkStore(directory)
store.load()
for number in range(count):
    store.add(Bookmark("person", f"{name}-{number:03d}", utc_now()))
if mode == "mixed":
    for number in range(count):
        if number % 3 == 0:
            store.remove("person", f"{name}-{number:03d}")
        elif number % 2 == 0:
            store.set_note("person", f"{name}-{number:03d}", f"note by {name}")
assert not store.unsaved and not store.take_messages(), "a save failed"
print(len(store.bookmarks))
"""


class Zygote:
    """A Python process that forks a writer each time it is asked, and reports how it ended."""

    def __init__(self, directory: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE, str(directory)],
            cwd=directory.parent,  # `python -c` imports from its working directory: the installed package
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )

    def spawn(self, mode: str) -> int:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{mode}\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def status(self) -> int:
        """Wait for the last writer to be reaped: its wait status."""
        assert self.process.stdout is not None
        return int(self.process.stdout.readline())

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@contextmanager
def zygote(directory: Path) -> Iterator[Zygote]:
    started = Zygote(directory)
    try:
        yield started
    finally:
        started.close()


def kill_at_random(zygote: Zygote, mode: str, rng: random.Random) -> None:
    """Start a writer, let it run 5-60 ms, SIGKILL it by its pid, and check it died of that."""
    pid = zygote.spawn(mode)
    time.sleep(rng.uniform(0.005, 0.060))
    os.kill(pid, signal.SIGKILL)
    status = zygote.status()
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, f"the writer ended by itself ({status})"


def read_file(directory: Path) -> list[Bookmark]:
    """The bookmarks on disk: the file, if there is one, must be valid."""
    path = directory / FILE_NAME
    if not path.exists():
        return []
    return parse_bookmarks(path.read_bytes())  # raises on a torn or corrupt file


def test_sigkill_at_random_moments_never_breaks_the_file(tmp_path: Path) -> None:
    directory = tmp_path / "data"
    rng = random.Random(SEED)
    count, grew, temporaries = 0, 0, 0
    with zygote(directory) as writers:
        for run in range(KILLS):
            kill_at_random(writers, "add", rng)
            ids = [b.id for b in read_file(directory)]
            # A state the writer saved: w000000, w000001, ... in order, none lost, none torn.
            assert ids == [f"w{n:06d}" for n in range(len(ids))], f"run {run} (seed {SEED}): {ids[-5:]}"
            assert len(ids) >= count, f"run {run} (seed {SEED}): {count} bookmarks became {len(ids)}"
            grew += len(ids) > count
            count = len(ids)
            assert not list(directory.glob(f"{FILE_NAME}.corrupt-*")), f"run {run}: a file was moved aside"
            temporaries = len(list(directory.glob(f".{FILE_NAME}.*.tmp")))
    assert count >= KILLS // 4, f"the writers saved only {count} bookmarks in {KILLS} runs"
    assert grew >= KILLS // 4
    print(f"\n{KILLS} kills: {count} bookmarks saved, {temporaries} temporary files left by killed writers")


def test_sigkill_during_toggles_and_notes_never_breaks_the_file(tmp_path: Path) -> None:
    directory = tmp_path / "data"
    rng = random.Random(SEED + 1)
    with zygote(directory) as writers:
        for run in range(MIXED_KILLS):
            kill_at_random(writers, "mixed", rng)
            bookmarks = read_file(directory)
            assert {b.kind for b in bookmarks} <= {"rumor"}, f"run {run}"
            assert all(b.id in {f"m{n}" for n in range(20)} for b in bookmarks), f"run {run}"
            assert all(set(b.note) <= set("“note” ") for b in bookmarks), f"run {run}"
            assert not list(directory.glob(f"{FILE_NAME}.corrupt-*")), f"run {run}: a file was moved aside"
    assert (directory / FILE_NAME).exists()


def run_at_once(directory: Path, processes: int, count: int, mode: str) -> list[str]:
    """Start the workers, wait until each is ready, then let them all go at the same moment."""
    directory.mkdir(parents=True)
    names = [f"p{n}" for n in range(processes)]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(directory), name, str(count), mode],
            cwd=directory.parent,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]
    try:
        deadline = time.monotonic() + 30
        while not all((directory.parent / f"ready-{name}").exists() for name in names):
            assert time.monotonic() < deadline, "the workers never got ready"
            assert all(w.poll() is None for w in workers), "a worker died before the start"
            time.sleep(0.005)
        (directory.parent / "go").touch()
        outputs = []
        for worker in workers:
            out, err = worker.communicate(timeout=60)
            assert worker.returncode == 0, err
            outputs.append(out.strip())
        return outputs
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()


@pytest.mark.parametrize("processes", [2, 3, 4])
def test_instances_adding_at_once_lose_nothing(tmp_path: Path, processes: int) -> None:
    directory = tmp_path / "data"
    run_at_once(directory, processes, 100, "add")
    ids = [b.id for b in read_file(directory)]
    expected = {f"p{p}-{n:03d}" for p in range(processes) for n in range(100)}
    assert len(ids) == len(set(ids)) == processes * 100
    assert set(ids) == expected
    for p in range(processes):  # each instance's own bookmarks stay in its order
        own = [i for i in ids if i.startswith(f"p{p}-")]
        assert own == sorted(own)
    assert not list(directory.glob(f"{FILE_NAME}.corrupt-*"))
    assert not list(directory.glob(f".{FILE_NAME}.*.tmp"))


def test_instances_removing_and_noting_at_once_lose_nothing(tmp_path: Path) -> None:
    directory = tmp_path / "data"
    processes = 3
    run_at_once(directory, processes, 60, "mixed")
    bookmarks = {b.id: b for b in read_file(directory)}
    expected = {f"p{p}-{n:03d}" for p in range(processes) for n in range(60) if n % 3}
    assert set(bookmarks) == expected
    for entry_id, bookmark in bookmarks.items():
        name, number = entry_id.split("-")
        assert bookmark.note == (f"note by {name}" if int(number) % 2 == 0 else "")
