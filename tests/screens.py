"""What the installed aoad-tui shows in a terminal: shared by the pty and SSH tests."""

from __future__ import annotations

import re
import sys
from pathlib import Path

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
