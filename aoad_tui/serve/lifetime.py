"""A session's life: the timers of its limits (its length, its idle time), the app's warnings
before them, and its end: the process told to quit (SIGTERM) and killed GRACE seconds later if need
be, or niced once its keys flood. The server's memory watch and its draining act on these.
Nothing here knows SSH, nor says anything to the client: once the process has gone, the session
tells its client ENDINGS[ending]."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time

from aoad_tui.serve.limits import Limits
from aoad_tui.serve.spawn import Child

GRACE = 10.0  # seconds a session's process has to quit once told to, before it is killed
FLOODING_NICE = 10  # a session whose keys outrun pump.INPUT_RATE runs at this niceness from then on
ENDINGS = {  # what the client is told when the server ended its session, by why
    "restart": "the server is restarting; connect again in a minute",
    "idle": "this session was idle too long and has ended; connect again any time",
    "length": "this session reached its time limit and has ended; connect again any time",
    "memory": "this session needed more of the server's memory than it has to share, and has ended",
}


class Lifetime:
    """One session's process, its limits in time, and how it ends."""

    def __init__(self, limits: Limits, client: str) -> None:
        self.limits = limits
        self.client = client  # whom it serves, as the log names them
        self.opened = time.monotonic()
        self.child: Child | None = None
        self.task: asyncio.Future[None] | None = None  # the session, once it has started
        self.last_key = time.monotonic()
        self.warned_for: float | None = None  # the last key the idle warning was given for
        self.ending = ""  # why the server ended it
        self.niced = False
        self.finished = asyncio.Event()

    def heard(self, data: bytes) -> None:
        """Keys from the client."""
        if data.strip(b"\0"):  # idle means no key the app could use: NUL bytes do nothing in it
            self.last_key = time.monotonic()

    def limit_timers(self, loop: asyncio.AbstractEventLoop) -> list[asyncio.TimerHandle]:
        limits = self.limits
        timers = []
        if limits.length:
            timers.append(loop.call_later(max(limits.length - limits.warning, 0), self.warn, signal.SIGUSR2))
            timers.append(loop.call_later(limits.length, self.end, "length"))
        if limits.idle:
            timers.append(loop.call_later(1.0, self.check_idle, loop))
        return timers

    def check_idle(self, loop: asyncio.AbstractEventLoop) -> None:
        limits = self.limits
        if self.child is None or self.child.exited.done() or self.ending:
            return
        idle = time.monotonic() - self.last_key
        if idle >= limits.idle:
            self.end("idle")
            return
        if idle >= limits.idle - limits.warning and self.warned_for != self.last_key:
            self.warned_for = self.last_key
            self.warn(signal.SIGUSR1)
        loop.call_later(1.0, self.check_idle, loop)

    def warn(self, number: int) -> None:
        """The app says the session ends soon (hosted.py): SIGUSR1 for idle, SIGUSR2 for length."""
        if self.child is not None:
            self.child.signal(number)

    def end(self, why: str) -> None:
        """End the session: the app quits cleanly (SIGTERM), or is killed after a grace period."""
        if self.ending:
            return
        self.ending = why
        if self.child is not None and not self.child.exited.done():
            self.child.signal(signal.SIGTERM)
            asyncio.get_running_loop().call_later(GRACE, self.child.signal, signal.SIGKILL)
        elif self.child is None and self.task is not None and not self.task.done():
            self.task.cancel()  # waiting its turn: the session says why and ends it

    def kill(self) -> None:
        """End it now (a second SIGTERM to the server)."""
        self.ending = self.ending or "restart"
        if self.child is not None:
            self.child.signal(signal.SIGKILL)

    def client_gone(self) -> None:
        """The client has gone, and its pty has hung up: the app's process got SIGHUP."""
        if self.child is not None and not self.child.exited.done():
            asyncio.get_running_loop().call_later(GRACE, self.child.signal, signal.SIGKILL)
        elif self.child is None and self.task is not None and not self.task.done():
            self.task.cancel()  # gone while waiting its turn: nothing to start
        if self.task is None:  # it never started: nothing else will say it is over
            self.finished.set()

    def lower_priority(self) -> None:
        """Keys faster than INPUT_RATE (no hand types that fast): the session's process yields the
        CPU to everyone else's from now on. Only root could raise it again, so it stays."""
        if self.niced or self.child is None or self.child.exited.done():
            return
        self.niced = True
        with contextlib.suppress(OSError):  # the group: Linux keeps a niceness per thread
            os.setpriority(os.PRIO_PGRP, os.getpgid(self.child.pid), FLOODING_NICE)
        # Where Linux groups processes by session (autogroup, on by default), each session's
        # process is a group of its own, shares the CPU equally with the others whatever its
        # niceness, and only the group's own niceness counts.
        with contextlib.suppress(OSError), open(f"/proc/{self.child.pid}/autogroup", "w") as group:
            group.write(str(FLOODING_NICE))
