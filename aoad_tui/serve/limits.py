"""The server's limits, and the bookkeeping that applies them (no I/O here: connection.py and
ssh_session.py ask, and say the refusal to the client in one line).

The defaults are sized for a 2-core machine with 24 GiB: a session forked from the zygote costs
about 20 MiB and its start about 0.1 s of CPU, so 200 sessions fit many times over in memory, and
8 starts at once keep both cores busy without making anyone wait on the rest."""

from __future__ import annotations

import ipaddress
import random
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from aoad_tui.serve.memory import default_budget_mib

FORGET_AFTER = 1024  # addresses remembered for the rate limit before the old ones are dropped
# Places of connections logging in, as OpenSSH's MaxStartups start:rate:full: from half of them
# taken, a new connection is refused at random, 30% of them at first and all when they are full;
# and then a connection has CROWDED_GRACE seconds to log in, not login_timeout, so that places
# held by connections that send nothing come free for those that log in.
EARLY_DROP_RATE = 0.3
CROWDED_GRACE = 5.0


@dataclass(frozen=True)
class Limits:
    unauthenticated: int = 256  # connections still logging in, at once
    logging_in_per_address: int = 8  # of those, from one address (OpenSSH's PerSourceMaxStartups)
    login_timeout: float = 30.0  # seconds to log in, and to open a session once logged in
    per_address: int = 16  # connections, and sessions, at once from one address
    per_address_per_minute: int = 60  # new connections, and new sessions, from one address in a minute
    per_user: int = 8  # sessions at once of one user (one key; guests count per address)
    sessions: int = 200  # sessions at once, everyone together
    starting: int = 8  # sessions starting at once; the rest wait in line, told their place
    idle: float = 30 * 60.0  # seconds without a key before a session ends (0: never)
    length: float = 12 * 3600.0  # the longest a session may last (0: no limit)
    warning: float = 60.0  # how long before an idle or length limit the app warns
    memory: int = 1024  # MiB of data a session's process may hold
    # MiB all sessions together may use (memory.py): a new one is refused past it, and the largest
    # is ended. Three quarters of the machine unless said; 0: no limit.
    total_memory: int = field(default_factory=default_budget_mib)


def address_key(address: str) -> str:
    """Whom a limit counts: an IPv4 address, or an IPv6 address's /64 (one subscriber's block:
    counting each of its addresses apart would be no limit)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


class Window:
    """When things happened in the last minute, per address."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.times: dict[str, deque[float]] = {}

    def count(self, address: str, *, add: bool) -> int:
        now = self.clock()
        if len(self.times) > FORGET_AFTER:  # or the table would grow with every address ever seen
            for old in [a for a, times in self.times.items() if not times or times[-1] < now - 60]:
                del self.times[old]
        times = self.times.setdefault(address, deque())
        while times and times[0] < now - 60:
            times.popleft()
        if add:
            times.append(now)
        return len(times)


@dataclass
class Gate:
    """Who is connected and running what, against the limits."""

    limits: Limits
    clock: Callable[[], float] = field(default_factory=lambda: time.monotonic)
    connections: Counter[str] = field(default_factory=Counter)  # per address
    logging_in: int = 0
    logging_in_from: Counter[str] = field(default_factory=Counter)
    random: Callable[[], float] = random.random
    by_user: Counter[str] = field(default_factory=Counter)
    by_address: Counter[str] = field(default_factory=Counter)  # sessions
    running: int = 0

    def __post_init__(self) -> None:
        self.recent = Window(self.clock)  # connections
        self.started = Window(self.clock)  # sessions

    def connect(self, address: str) -> str | None:
        """A new connection: counted, and the refusal line if it is over a limit. Only one that is
        not refused counts as logging in: connections an address holds beyond its own limit never
        take the places of everyone else's."""
        self.connections[address] += 1
        recent = self.recent.count(address, add=True)
        if self.connections[address] > self.limits.per_address:
            return f"too many connections from your address (at most {self.limits.per_address}); close one first"
        if recent > self.limits.per_address_per_minute:
            return "too many new connections from your address; try again in a minute"
        if self.logging_in_from[address] >= self.limits.logging_in_per_address:
            most = self.limits.logging_in_per_address
            return f"too many connections from your address are logging in (at most {most}); try again in a minute"
        if self.logging_in >= self.limits.unauthenticated or self.random() < self.early_drop():
            return "too many people are logging in right now; try again in a minute"
        self.logging_in += 1
        self.logging_in_from[address] += 1
        return None

    def early_drop(self) -> float:
        """The chance a new connection is refused: 0 below half the places, then from
        EARLY_DROP_RATE up to 1 when they are all taken."""
        start = self.limits.unauthenticated // 2
        if not self.crowded():
            return 0.0
        return EARLY_DROP_RATE + (1 - EARLY_DROP_RATE) * (self.logging_in - start) / start

    def crowded(self) -> bool:
        """Half the places of connections logging in are taken (there are two at least)."""
        start = self.limits.unauthenticated // 2
        return start > 0 and self.logging_in >= start

    def login_grace(self) -> float:
        """Seconds a connection has to log in: less once half the places are taken."""
        return min(CROWDED_GRACE, self.limits.login_timeout) if self.crowded() else self.limits.login_timeout

    def flooding(self, address: str) -> bool:
        """Far past its limit: dropped at once, without a word (nobody types that fast)."""
        return self.connections[address] > 4 * self.limits.per_address

    def logged_in(self, address: str) -> None:
        """A connection that counted as logging in is in (or gone)."""
        self.logging_in = max(0, self.logging_in - 1)
        self.logging_in_from[address] -= 1
        if self.logging_in_from[address] <= 0:
            del self.logging_in_from[address]

    def disconnect(self, address: str) -> None:
        self.connections[address] -= 1
        if self.connections[address] <= 0:
            del self.connections[address]

    def open_session(self, user: str, address: str) -> str | None:
        """A new session of a user from an address: counted, or the refusal line."""
        if self.running >= self.limits.sessions:
            return f"the server is full ({self.limits.sessions} sessions); try again later"
        if self.by_user[user] >= self.limits.per_user:
            return f"you have {self.limits.per_user} sessions open already; close one first"
        if self.by_address[address] >= self.limits.per_address:
            return f"too many sessions from your address (at most {self.limits.per_address}); close one first"
        if self.started.count(address, add=False) >= self.limits.per_address_per_minute:
            return "too many new sessions from your address; try again in a minute"
        self.started.count(address, add=True)
        self.running += 1
        self.by_user[user] += 1
        self.by_address[address] += 1
        return None

    def close_session(self, user: str, address: str) -> None:
        self.running -= 1
        for counter, key in ((self.by_user, user), (self.by_address, address)):
            counter[key] -= 1
            if counter[key] <= 0:
                del counter[key]
