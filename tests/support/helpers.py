"""Shared test helpers: an app factory with today's date pinned, and ways to read the screen.

Imported by the test modules as `support.helpers` (see support/__init__.py). The only module of
support/ that imports Textual and the app.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path

from rich.cells import cell_len
from textual import events
from textual.app import App
from textual.content import Content
from textual.keys import key_to_character
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import TabbedContent

from aoad_tui.app import AoadApp
from aoad_tui.model.bookmarks import open_store
from aoad_tui.model.entries import KnowledgeBase
from aoad_tui.model.loader import load_knowledge
from aoad_tui.model.paths import bundled_seeds
from aoad_tui.model.settings import settings_path
from aoad_tui.preferences import read_settings
from aoad_tui.widgets.entry_list import EntryList
from aoad_tui.widgets.render import BOOKMARK_MARK
from aoad_tui.widgets.row_list import Row
from aoad_tui.widgets.source_view import HIGHLIGHT, SourceView
from support import DATA

TODAY = date(2026, 11, 23)
"""Pinned, so that the Overview's freshness line never changes between runs."""

HOSTILE_SEEDS = DATA / "hostile_seeds"

# C0 (except newline) and C1 control characters, and the invisible marks that reorder text.
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@cache
def knowledge_from(seeds: Path) -> KnowledgeBase:
    """The knowledge base in a seeds directory, loaded once per test session (apps never change it)."""
    return load_knowledge(seeds)


def make_app(
    seeds: Path | str | KnowledgeBase | None = None, tab: str | None = None, *, animations: bool = False
) -> AoadApp:
    """An AoadApp on the bundled seeds (or `seeds`), with today pinned to 2026-11-23.

    Animations are off unless asked for: the pilot waits for every animation after every key, and
    the tests check where things end up, not how they move there. `animations=True` leaves the
    choice to the app (and to the environment it reads, as over SSH).
    """
    if isinstance(seeds, KnowledgeBase):
        knowledge = seeds
    else:
        knowledge = knowledge_from(Path(seeds).resolve() if seeds is not None else bundled_seeds())
    app = AoadApp(knowledge, tab=tab, today=TODAY)
    if not animations:
        app.animation_level = "none"
    return app


def app_with_settings(seeds: Path, data: Path, today: date) -> AoadApp:
    """An AoadApp as the command line starts it: the settings in the isolated config directory
    (read as the app reads them), the bookmarks in `data`; animations off, today pinned."""
    path = settings_path()
    store = open_store(data)
    app = AoadApp(
        knowledge_from(seeds), store=store, today=today, settings=read_settings(path, AoadApp), settings_file=path
    )
    app.animation_level = "none"
    return app


def write_settings(text: str) -> Path:
    """settings.toml, in the isolated config directory, holding `text`."""
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# Generations of messages settle waits for: a key, the message its handler posts (an option
# selected), and what that one's handler does (a screen pushed).
SETTLE_ROUNDS = 3


async def settle(pilot: Pilot[object]) -> None:
    """Let pending messages, refreshes, scrolls (call_after_refresh) and animations finish.

    One pilot.pause(0) waits until the app and every widget of its screen have handled what was
    waiting for them when it began: counted, whatever the load, then lays out and paints what
    changed. What they post meanwhile is left to the next one, so a few rounds. Not
    pilot.pause(): its idle check samples the CPU for 20 ms or more, which costs time and, on a
    loaded machine, proves nothing. Work in threads is waited for with wait_for."""
    for _ in range(SETTLE_ROUNDS):
        await pilot.pause(0)
    await pilot.app.animator.wait_until_complete()
    await pilot.pause(0)


# What a terminal's driver calls a typed character that is not a letter or a digit, where that is
# not its Unicode name (lower case, words joined by "_": "question_mark", "full_stop").
KEY_NAMES = {" ": "space", "/": "slash", "\\": "backslash", "-": "minus", "+": "plus", "@": "at", "_": "underscore"}
KEY_CHARACTERS = {name: character for character, name in KEY_NAMES.items()}


def key_event(key: str) -> events.Key:
    """The event a terminal's driver sends for `key`: a key's name ("enter", "slash") or a character."""
    if len(key) == 1:
        character = key
        if not key.isalnum():
            key = KEY_NAMES.get(key) or unicodedata.name(key).lower().replace(" ", "_").replace("-", "_")
    else:
        character = KEY_CHARACTERS.get(key) or key_to_character(key)
    return events.Key(key, character)


async def press(pilot: Pilot[object], *keys: str) -> None:
    """Press keys as a user does: each one handled, and what it started settled, before the next.

    Not pilot.press(), which waits for an idle CPU twice per key (40 ms or more each time, most of
    the fast loop's time) and so cannot tell a busy app from a busy machine either."""
    for key in keys:
        pilot.app.post_message(key_event(key))
        await settle(pilot)


async def wait_for(pilot: Pilot[object], condition: Callable[[], bool], what: str, tries: int = 250) -> None:
    """Pause until `condition` holds (for work done in threads or after a debounce)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def toasts(app: App[object]) -> list[str]:
    """The text of every notice on screen now (its title, then its text), one line each."""
    return [flat(plain(toast)) for toast in app.screen.query("Toast")]


def active_tab(app: AoadApp) -> str:
    return app.query_one(TabbedContent).active


def plain(widget: Widget) -> str:
    """The plain text a widget renders (a Static's content, say), markup never parsed."""
    visual = widget.render()
    return visual.plain if isinstance(visual, Content) else str(visual)


_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" clip-path="url\(#[\w-]*line-(\d+)\)">(.*?)</text>'
)
_CELL_WIDTH = 12.2  # rich's export_svg: 0.61 x font size 20


def svg_lines(svg: str) -> list[str]:
    """The text of an exported SVG screenshot, one string per terminal line, spaces restored."""
    cells: dict[int, list[tuple[int, str]]] = {}
    for x, line, text in _TEXT.findall(svg):
        cell = round(float(x) / _CELL_WIDTH)
        cells.setdefault(int(line), []).append((cell, html.unescape(text).replace("\xa0", " ")))
    lines = []
    for number in range(max(cells, default=-1) + 1):
        out, column = "", 0
        for start, text in sorted(cells.get(number, [])):
            out += " " * max(start - column, 0) + text
            column = max(start, column) + cell_len(text)
        lines.append(out.rstrip())
    return lines


def screen_text(app: App[object]) -> str:
    """What the terminal shows right now, as plain text lines."""
    return "\n".join(svg_lines(app.export_screenshot()))


def starred(entries: EntryList) -> set[str]:
    """The ids of the entries whose row shows the bookmark star (of the rows built so far)."""
    rows = [option for option in entries.options if isinstance(option, Row)]
    return {row.item.id for row in rows if str(row.prompt).startswith(BOOKMARK_MARK)}


def highlighted_passages(source: SourceView) -> list[str]:
    """The text of every highlighted span in the Source tab's paragraphs, as drawn."""
    found = []
    for paragraph in source.query(".paragraph"):
        content = paragraph.render()
        assert isinstance(content, Content)
        found += [content.plain[s.start : s.end] for s in content.spans if s.style == HIGHLIGHT]
    return found


def flat(text: str) -> str:
    """Text with every run of white space as one space: for finding words that wrap across lines."""
    return " ".join(text.split())
