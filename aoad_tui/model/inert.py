"""One rule for every character that leaves the program: text from seeds, file names and bookmarks
is data, and reaches a terminal, a pipe or a file as visible text, never as a command.

C0 controls (but line feed and tab), DEL, C1 controls, the marks that reorder text (bidi) and lone
surrogates (valid in JSON, unencodable in UTF-8) are shown as visible stand-ins: ESC as ␛, DEL as
␡, the others as <U+XXXX>. JSON output escapes the same characters as JSON does (\\u001b).
"""

from __future__ import annotations

import codecs
import io
import json
import re
import unicodedata
from typing import TextIO

# What a terminal could take as a command, or that reorders text, or that cannot be encoded.
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def stand_in(character: str) -> str:
    """The visible stand-in of one unsafe character."""
    code = ord(character)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ ... ␟, ␛ for ESC
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def _stand_in(match: re.Match[str]) -> str:
    return stand_in(match.group())


def inert(text: str) -> str:
    """Text with every unsafe character shown as its stand-in; line feeds and tabs are kept."""
    return UNSAFE.sub(_stand_in, text)


def inert_line(text: str) -> str:
    """Text for the app's widgets: as `inert`, and a tab is one space."""
    return UNSAFE.sub(_stand_in, text).replace("\t", " ")


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def inert_json(value: object, *, ascii_only: bool = False) -> str:
    """`value` as indented JSON in which no unsafe character stands raw: each is escaped as JSON
    escapes (json.dumps leaves C1 controls, DEL, bidi marks and lone surrogates as they are)."""
    return UNSAFE.sub(_json_escape, json.dumps(value, ensure_ascii=ascii_only, indent=2))


class InertWriter(io.TextIOBase):
    """A text stream that writes everything through `inert`: whatever the command line prints,
    from the data or about it (a file name in a message, an argument echoed back), arrives inert."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(inert(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()


# --- a terminal whose encoding is not UTF-8 (LC_ALL=C, PYTHONIOENCODING=ascii) ------------------------

ASCII_STAND_INS = "aoad-ascii-stand-ins"
_LOOKALIKES = {"★": "*", "☆": "*", "⭘": "o", "●": "*", "•": "*", "…": ".", "“": '"', "”": '"', "‘": "'", "’": "'"}
_LOOKALIKES |= {"–": "-", "—": "-", "▶": ">", "◀": "<", "▲": "^", "▼": "v", "↓": "v", "↑": "^", "←": "<", "→": ">"}


def ascii_stand_in(character: str) -> str:
    """What to draw for a character the terminal cannot show, in as many cells as it takes: box
    lines as - | +, blocks as #, a few marks by look-alikes, anything else as ? (?? if wide)."""
    if character in _LOOKALIKES:
        return _LOOKALIKES[character]
    name = unicodedata.name(character, "")
    if name.startswith("BOX DRAWINGS"):
        across = "HORIZONTAL" in name or "LEFT" in name or "RIGHT" in name
        down = "VERTICAL" in name or " UP" in name or "DOWN" in name
        return "+" if across == down else "-" if across else "|"
    if "BLOCK" in name or name.startswith("QUADRANT"):
        return "#"
    if unicodedata.combining(character):
        return ""
    return "??" if unicodedata.east_asian_width(character) in "WF" else "?"


def _ascii_stand_ins(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "".join(map(ascii_stand_in, error.object[error.start : error.end])), error.end


codecs.register_error(ASCII_STAND_INS, _ascii_stand_ins)


def takes_unicode(encoding: str | None) -> bool:
    """Whether an encoding can write any character (a UTF encoding, or GB 18030), or only some."""
    name = (encoding or "utf-8").lower().replace("-", "").replace("_", "")
    return name.startswith(("utf", "gb18030"))
