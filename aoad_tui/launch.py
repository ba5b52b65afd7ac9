"""Starting the app: the knowledge it starts with (from the cache while fresh), the app on this
terminal, and the process's end. The one way the command line and a served session start it."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from aoad_tui.console import inert_output
from aoad_tui.model.inert import ASCII_STAND_INS, takes_unicode
from aoad_tui.model.paths import display_path, knowledge_cache, seeds_dir
from aoad_tui.startup import pause_collector

if TYPE_CHECKING:
    from aoad_tui.hosted import Served
    from aoad_tui.model.entries import KnowledgeBase
    from aoad_tui.model.loader import SeedsError


# Seeds of up to this many bytes are read before the first frame (the bundled ones, 24 KB, in a few
# milliseconds); bigger ones in a thread, behind a screen saying so (screens/reading.py).
READ_BEFORE_START = 1_000_000


@dataclass(frozen=True)
class Loaded:
    """What the app starts with: the knowledge base, or (None) seeds too big to read before the
    first frame, which the app reads behind its ReadingScreen; and what to do with the knowledge
    once the first frame is out (write the cache, if it was not used)."""

    knowledge: KnowledgeBase | None
    seeds: Path
    write_cache: Callable[[KnowledgeBase], None] | None = None  # (None: it came from the cache)


def load_for_app(seeds_option: str | None = None, *, big_in_app: bool = False) -> Loaded | None:
    """The knowledge base for the app (from the cache while it is fresh); None, with the problems
    printed, if the seeds are invalid. With `big_in_app`, big seeds without a cache are left for the
    app to read, so that it is on the screen at once."""
    pause_collector()  # until the first frame (startup.py)
    from aoad_tui.model.cache import load_cached, save_cached, signature

    seeds, cache = seeds_dir(seeds_option), knowledge_cache()
    made_from = signature(seeds)
    cached = load_cached(cache, made_from)
    if cached is not None:
        return Loaded(cached, seeds)

    # In a thread once the first frame is out, never on the way to it (a 10,000-entry pack takes
    # 0.12 s); quitting waits for it only if the session was shorter than that.
    def write_cache(knowledge: KnowledgeBase) -> None:
        save_cached(cache, made_from, knowledge)

    if big_in_app:
        from aoad_tui.model.loader import seeds_size

        if seeds_size(seeds) > READ_BEFORE_START:
            return Loaded(None, seeds, write_cache)
    knowledge = load_or_report(seeds)
    return Loaded(knowledge, seeds, write_cache) if knowledge is not None else None


def load_or_report(seeds: Path) -> KnowledgeBase | None:
    """Load the knowledge base, or print every problem to stderr and return None."""
    from aoad_tui.model.loader import SeedsError, load_knowledge

    try:
        return load_knowledge(seeds)
    except SeedsError as error:
        report_problems(error, seeds)
        return None


def report_problems(error: SeedsError, seeds: Path) -> None:
    """Every problem of the seeds, one per line on stderr, then how many."""
    for problem in error.problems:
        print(problem, file=sys.stderr)
    count = len(error.problems)
    print(f"{display_path(seeds)}: {count} problem{'s' * (count != 1)}", file=sys.stderr)


WAITING = "aoad-tui: saving what the next start needs..."


def run_app(loaded: Loaded, data: Path, *, tab: str | None = None, served: Served | None = None) -> int:
    """The app on this terminal, with the bookmarks and settings of `data` (and the config dir).
    The one way the command line and a served session start it. Seeds the app found invalid (read
    behind its ReadingScreen) have their problems printed once the terminal is back, as before a start."""
    from aoad_tui.app import AoadApp
    from aoad_tui.model.bookmarks import open_store
    from aoad_tui.model.settings import settings_path
    from aoad_tui.preferences import read_settings

    # Textual asks shutil.get_terminal_size, which prefers COLUMNS and LINES to what the terminal
    # says: a shell's stale export would lay the app out for a size the terminal does not have.
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)
    # Textual draws to stderr, whose encoding follows the locale: where that is not UTF-8, each
    # character it lacks is drawn as an ASCII stand-in of the same width (Python would write
    # `\u2b58`, six cells for one, and break every line it is in).
    terminal = sys.__stderr__
    if isinstance(terminal, io.TextIOWrapper) and not takes_unicode(terminal.encoding):
        terminal.reconfigure(errors=ASCII_STAND_INS)
    path = settings_path()
    app = AoadApp(
        loaded.knowledge, seeds=loaded.seeds, store=open_store(data), tab=tab, settings=read_settings(path, AoadApp),
        settings_file=path, write_cache=loaded.write_cache, served=served,
    )  # fmt: skip
    app.run()
    app.background.finish(waiting=lambda: print(WAITING, file=sys.__stderr__, flush=True))
    if app.unreadable is not None:
        with inert_output():
            report_problems(app.unreadable, loaded.seeds)
    return app.return_code or 0


def leave_now(code: int) -> NoReturn:
    """End the process as soon as the app has quit. Everything that must reach the disk has
    (bookmarks at each change, seen.json after the first frame): the interpreter would otherwise
    spend seconds freeing a big knowledge base and its index object by object (4-8 s at 100,000
    entries)."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        with contextlib.suppress(Exception):
            if stream is not None:
                stream.flush()
    os._exit(code)
