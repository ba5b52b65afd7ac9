"""The server's limits, and the bookkeeping that applies them (no I/O here: server.py asks, and
says the refusal to the client in one line).

The defaults are sized for a 2-core machine with 24 GiB: a session forked from the zygote costs
about 20 MiB and its start about 0.1 s of CPU, so 200 sessions fit many times over in memory, and
8 starts at once keep both cores busy without making anyone wait on the rest."""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field

FORGET_AFTER = 1024  # addresses remembered for the rate limit before the old ones are dropped


@dataclass(frozen=True)
class Limits:
    unauthenticated: int = 64  # connections still logging in, at once
    login_timeout: float = 30.0  # seconds to log in
    per_address: int = 16  # connections at once from one address
    per_address_per_minute: int = 60  # new connections from one address in a minute
    per_user: int = 8  # sessions at once of one user (one key; guests count per address)
    sessions: int = 200  # sessions at once, everyone together
    starting: int = 8  # sessions starting at once; the rest wait in line, told their place
    idle: float = 30 * 60.0  # seconds without a key before a session ends (0: never)
    length: float = 12 * 3600.0  # the longest a session may last (0: no limit)
    warning: float = 60.0  # how long before an idle or length limit the app warns


@dataclass
class Gate:
    """Who is connected and running what, against the limits."""

    limits: Limits
    clock: Callable[[], float] = field(default_factory=lambda: time.monotonic)
    connections: Counter[str] = field(default_factory=Counter)  # per address
    recent: dict[str, deque[float]] = field(default_factory=dict)  # per address: when they connected
    logging_in: int = 0
    by_user: Counter[str] = field(default_factory=Counter)
    running: int = 0

    def connect(self, address: str) -> str | None:
        """A new connection: counted, and the refusal line if it is over a limit."""
        now = self.clock()
        if len(self.recent) > FORGET_AFTER:
            self.forget(now)
        times = self.recent.setdefault(address, deque())
        while times and times[0] < now - 60:
            times.popleft()
        times.append(now)
        self.connections[address] += 1
        self.logging_in += 1
        if self.logging_in > self.limits.unauthenticated:
            return "too many people are logging in right now; try again in a minute"
        if self.connections[address] > self.limits.per_address:
            return f"too many connections from your address (at most {self.limits.per_address}); close one first"
        if len(times) > self.limits.per_address_per_minute:
            return "too many new connections from your address; try again in a minute"
        return None

    def forget(self, now: float) -> None:
        """Addresses with nothing open and no connection in the last minute (or the table would
        grow with every address that ever connected)."""
        for address in [a for a, times in self.recent.items() if not self.connections[a] and times[-1] < now - 60]:
            del self.recent[address]

    def logged_in(self) -> None:
        self.logging_in = max(0, self.logging_in - 1)

    def disconnect(self, address: str, *, logged_in: bool) -> None:
        if not logged_in:
            self.logged_in()
        self.connections[address] -= 1
        if self.connections[address] <= 0:
            del self.connections[address]

    def open_session(self, user: str) -> str | None:
        """A new session of a user: counted, or the refusal line."""
        if self.running >= self.limits.sessions:
            return f"the server is full ({self.limits.sessions} sessions); try again later"
        if self.by_user[user] >= self.limits.per_user:
            return f"you have {self.limits.per_user} sessions open already; close one first"
        self.running += 1
        self.by_user[user] += 1
        return None

    def close_session(self, user: str) -> None:
        self.running -= 1
        self.by_user[user] -= 1
        if self.by_user[user] <= 0:
            del self.by_user[user]
