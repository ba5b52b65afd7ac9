"""What the installed aoad-tui shows in a terminal: shared by the pty, SSH and wire tests."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from pyte.screens import Char

SCRIPT = Path(sys.executable).parent / "aoad-tui"

FIRST_FRAME = ("Overview", "All Of Us Are Dead", "Season 1 was released on Netflix", "Quit")
# key -> what the tab shows; the last needle of each is on no other tab's screen
TAB_CONTENT: dict[str, tuple[str, ...]] = {
    "1": ("Season 1 was released on Netflix",),
    "2": ("Yoon Chan-young", "Lomon"),
    "3": ("TV Guide",),
    "4": ("Star News",),
    "5": ("No bookmarks yet",),
    "6": ("All we know so far",),
}
# The clipboard escape: ESC ] 52 ; c ; <base64> BEL
OSC52 = re.compile(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07")


def looks(char: Char) -> tuple[object, ...]:
    """What shows of a terminal cell. On a blank that is not underlined, struck or reversed only
    the background shows: the app need not set its foreground, boldness or slant there."""
    if char.data == " " and not (char.underscore or char.strikethrough or char.reverse):
        return (" ", char.bg)
    return tuple(char)


class Terminal(Protocol):
    def press(self, *keys: str) -> None: ...
    def text(self) -> str: ...


def visit_every_tab(app: Terminal, wait_settled: Callable[..., None]) -> None:
    """Press 1-6 in turn: each tab shows its own content and no other tab's."""
    for key, needles in TAB_CONTENT.items():
        app.press(key)
        wait_settled(app, *needles)
        screen = app.text()
        for other, other_needles in TAB_CONTENT.items():
            if other != key:
                assert other_needles[-1] not in screen, f"tab {other}'s content is still shown after {key}"
