"""The command line's tables, fitted to the terminal: as wide as it is (80 columns when the output
is not a terminal), a line cut at a word with "…" rather than wrapped mid-word by the terminal,
and columns aligned whatever the words in them (wide characters counted as two columns)."""

from __future__ import annotations

import shutil
import sys

from rich.cells import cell_len

NOT_A_TERMINAL = 80
NARROWEST = 40


def width() -> int:
    """The columns a line may take."""
    if not sys.stdout.isatty():
        return NOT_A_TERMINAL
    return max(NARROWEST, shutil.get_terminal_size((NOT_A_TERMINAL, 24)).columns)


def cut(text: str, room: int) -> str:
    """The text on one line of `room` columns: whole, or cut after a word, with "…"."""
    text = " ".join(text.split())
    if cell_len(text) <= room:
        return text
    kept, used = [], 0
    for character in text:
        used += cell_len(character)
        if used > room - 1:
            break
        kept.append(character)
    line = "".join(kept)
    at_word = line.rsplit(" ", 1)[0] if " " in line[room // 2 :] else line
    return at_word.rstrip(" ,;:") + "…"


def pad(text: str, columns: int) -> str:
    """The text padded with spaces to `columns` columns."""
    return text + " " * max(0, columns - cell_len(text))


def wrap(text: str, room: int, indent: str) -> list[str]:
    """The text in lines of `room` columns, broken between words, every line after the first
    indented: a long answer reads whole, not cut."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and cell_len(candidate) > room - (len(indent) if lines else 0):
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return [lines[0], *(indent + rest for rest in lines[1:])] if lines else []
