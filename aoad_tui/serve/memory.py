"""The memory of all sessions together, against a budget: what the server reads of each session's
process (its proportional set size, so that what a forked session shares with the zygote counts
once among them), and which session to end when the budget is passed. No asyncio here: the
server's watch (server.Service.watch_memory) asks every WATCH_EVERY seconds."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TypeVar

Key = TypeVar("Key")

WATCH_EVERY = 2.0  # seconds between looks at the sessions' memory
MACHINE_SHARE = 0.75  # of the machine's memory, the sessions' budget unless --max-total-memory says


def machine_mib() -> int:
    """The machine's memory, in MiB (0 if it cannot be told)."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") >> 20
    except (ValueError, OSError):
        return 0


def default_budget_mib() -> int:
    """Three quarters of the machine: the rest for the server, the zygote and the system, before
    anything is swapped out. No limit (0) where the machine's size is unknown."""
    return int(machine_mib() * MACHINE_SHARE)


def pss_mib(pid: int) -> float:
    """A process's proportional set size in MiB (Linux: /proc/PID/smaps_rollup); 0 once it is gone."""
    try:
        with Path(f"/proc/{pid}/smaps_rollup").open() as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def pss_of(pids: Mapping[Key, int]) -> dict[Key, float]:
    """pss_mib of each process. About 0.7 ms each for a session (the kernel walks its pages): the
    server calls this in a thread, or 200 sessions would stall its event loop 0.14 s each look."""
    return {key: pss_mib(pid) for key, pid in pids.items()}


def over_budget(used: Iterable[tuple[Key, float]], budget: int) -> tuple[float, Key | None]:
    """The total of (key, MiB) pairs, and the key of the largest when the total is over `budget`
    (None when it is not, or there is no budget)."""
    pairs = list(used)
    total = sum(mib for _, mib in pairs)
    if not budget or total <= budget or not pairs:
        return total, None
    return total, max(pairs, key=lambda pair: pair[1])[0]
