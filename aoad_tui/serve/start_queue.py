"""The line of sessions waiting to start: only so many start at once, the others wait their turn,
told their place as it changes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class StartQueue:
    """Sessions starting at once are limited; the others wait their turn, told their place."""

    def __init__(self, at_once: int) -> None:
        self.free = at_once
        self.waiting: list[tuple[asyncio.Future[None], Callable[[int], None]]] = []

    async def turn(self, tell: Callable[[int], None]) -> None:
        if self.free > 0 and not self.waiting:
            self.free -= 1
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting.append((future, tell))
        tell(len(self.waiting))
        try:
            await future
        except asyncio.CancelledError:
            if (future, tell) in self.waiting:
                self.waiting.remove((future, tell))
                self.tell_places()
            elif future.done() and not future.cancelled():
                self.done()  # the turn was handed over just as the wait was given up
            raise

    def done(self) -> None:
        while self.waiting:
            future, _ = self.waiting.pop(0)
            if not future.done():
                future.set_result(None)
                self.tell_places()
                return
        self.free += 1

    def tell_places(self) -> None:
        for place, (_, tell) in enumerate(self.waiting, 1):
            tell(place)
