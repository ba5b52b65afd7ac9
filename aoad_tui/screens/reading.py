"""What a start shows while it reads big seeds it has no knowledge cache of (a first start, or
changed seeds): how far it has got. The app is on the screen at once, whatever the seeds hold
(which seeds are big: launch.READ_BEFORE_START)."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.widgets import Header, Static

from aoad_tui.model.entries import KnowledgeBase, Origin
from aoad_tui.model.loader import Problem, SeedsError, load_knowledge
from aoad_tui.model.paths import display_path
from aoad_tui.screens.fitted import FittedScreen
from aoad_tui.widgets.key_bar import KeyBar
from aoad_tui.widgets.render import literal
from aoad_tui.wire import after_first_frame

PROGRESS_EVERY = 0.25  # seconds between two redraws of how far it has got


class ReadingScreen(FittedScreen[None]):
    """The header, a line saying how far reading the seeds has got, and the keys that work
    meanwhile. The seeds are read in a thread once this screen is drawn; `Read` tells the app."""

    class Read(Message):
        """The seeds, read: the knowledge base, or the problems that keep the app from starting."""

        def __init__(self, knowledge: KnowledgeBase | None, error: SeedsError | None) -> None:
            super().__init__()
            self.knowledge = knowledge
            self.error = error

    def __init__(self, seeds: Path) -> None:
        super().__init__()
        self.seeds = seeds
        self.done, self.steps = 0, 1  # written by the reading thread, read by the timer

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.progress_line(), id="reading")
        yield KeyBar()

    def on_mount(self) -> None:
        # After the first frame: until then the frame has the interpreter to itself.
        after_first_frame(self.app, self.start_reading)
        self.progress_timer = self.set_interval(PROGRESS_EVERY, self.show_progress)

    def start_reading(self) -> None:
        # A daemon thread, not a worker: quitting never waits for it (thread workers are joined).
        threading.Thread(target=self.read, name="read-seeds", daemon=True).start()

    def read(self) -> None:
        from aoad_tui.model.visits import digest_of

        try:
            knowledge = load_knowledge(self.seeds, self.progressed)
            # Here, not on the event loop once read: what the visit compares (1.4 s at 100,000).
            digest_of(knowledge)
            read = self.Read(knowledge, None)
        except SeedsError as error:
            read = self.Read(None, error)
        except Exception as error:  # (MemoryError, a bug): said as a problem, never a traceback
            problem = Problem(Origin(display_path(self.seeds), 0), f"cannot read the seeds: {error!r}")
            read = self.Read(None, SeedsError([problem]))
        with contextlib.suppress(RuntimeError):  # the app has quit meanwhile
            self.app.call_from_thread(self.post_message, read)

    def on_reading_screen_read(self) -> None:
        self.progress_timer.stop()  # (the message goes on to the app)

    def progressed(self, done: int, steps: int) -> None:
        self.done, self.steps = done, steps

    def show_progress(self) -> None:
        self.query_one("#reading", Static).update(self.progress_line())

    def progress_line(self) -> Content:
        percent = 100 * self.done // max(self.steps, 1)
        return Content.assemble(
            Content.styled(f"Reading the sources ({percent}%)", "bold"),
            "\n",
            literal(display_path(self.seeds), "$text-muted"),
            "\n\nThe first start on these sources, or they have changed since the last one. "
            "The next start reads what this one keeps, and is quick.",
        )
