"""What the app writes in the background once its first frame is out, each in a thread of its
own: what this visit shows (seen.json, for the next visit to compare with) and the knowledge
cache; and what the user must be told of them. Quitting waits for what is still writing."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

from textual.app import App

from aoad_tui.model.entries import KnowledgeBase
from aoad_tui.model.inert import inert_line
from aoad_tui.model.visits import News, VisitStore, remember, start_visit
from aoad_tui.wire import after_first_frame

SAY_WAITING_AFTER = 0.3  # seconds of waiting at quit for the background writes, then it is said


class BackgroundWrites:
    def __init__(self, app: App[None], directory: Path, write_cache: Callable[[KnowledgeBase], None] | None) -> None:
        """`write_cache` writes the knowledge cache (None: the knowledge came from it)."""
        self.app = app
        self.visits = VisitStore(directory)
        self.write_cache = write_cache
        self.threads: list[threading.Thread] = []

    def begin(self, knowledge: KnowledgeBase, today: date) -> News:
        """What is new since the last visit; this visit's writes made ready (`start` starts them)."""
        news, to_remember = start_visit(self.visits, knowledge, today)

        def remember_visit() -> None:  # a crash later loses nothing
            if to_remember and not remember(self.visits, knowledge, today):
                with contextlib.suppress(RuntimeError):  # the app has quit meanwhile
                    self.app.call_from_thread(self.report)

        self.threads = [threading.Thread(target=remember_visit, name="remember", daemon=True)]
        if self.write_cache is not None:
            write_cache = self.write_cache
            self.threads.append(threading.Thread(target=lambda: write_cache(knowledge), name="cache", daemon=True))
        return news

    def start(self) -> None:
        """Once the knowledge is being shown: what `begin` found to say, now; the writes, each in
        its thread, after the first frame."""
        self.report()
        for thread in self.threads:
            after_first_frame(self.app, thread.start)

    def finish(self, timeout: float = 30, waiting: Callable[[], None] | None = None) -> None:
        """Wait for the writes that started and have not finished (a session shorter than writing
        them: after a cold start at 100,000 entries, the knowledge cache takes a few seconds);
        `waiting` is called once if that takes more than a moment."""
        for thread in self.threads:
            if not thread.is_alive():  # done, or never started (the app quit before its first frame)
                continue
            thread.join(SAY_WAITING_AFTER)
            if thread.is_alive() and waiting is not None:
                waiting()
                waiting = None
            thread.join(timeout)

    def report(self) -> None:
        """What the user must be told about seen.json (moved aside, not saved)."""
        for message in self.visits.take_messages():
            self.app.notify(inert_line(message), title="What's new", severity="warning", timeout=10, markup=False)
