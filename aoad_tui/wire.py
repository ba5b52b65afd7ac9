"""Write to the terminal only the cells that change on it.

Textual repaints whole rows, and after any layout the whole screen, even where the terminal
already shows the same thing: at start it paints one 80x24 frame about four times, and a tab
switch rewrites the header, tab bar and footer with the pane. Over SSH every byte is felt, so the
app keeps a copy of what each row of the terminal shows, compares each update with it and writes
only the changed run of cells of each row, with an SGR sequence only where the style changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import repeat

from rich.cells import get_character_cell_size
from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.geometry import Size
from textual.strip import Strip

# One terminal cell: its text ("" for the right half of a wide character) and its SGR codes.
# Styles are compared by what they look like: Textual's styles also carry mouse metadata.
Cell = tuple[str, str]


def cells_of(segments: Iterable[Segment], color_system: ColorSystem) -> list[Cell]:
    """The cells that segments cover, one per column."""
    cells: list[Cell] = []
    for text, style, control in segments:
        if control:
            continue
        sgr = Strip.render_ansi(style, color_system) if style else ""
        if text.isascii():
            cells.extend(zip(text, repeat(sgr)))
            continue
        for character in text:
            width = get_character_cell_size(character)
            if width == 0:  # a combining mark belongs to the cell before it
                if cells:
                    cells[-1] = (cells[-1][0] + character, cells[-1][1])
                continue
            cells.append((character, sgr))
            if width == 2:
                cells.append(("", sgr))
    return cells


def changed_run(old: list[Cell], new: list[Cell]) -> tuple[int, int] | None:
    """The first and past-the-last column where new differs from old, or None when it does not."""
    if len(old) != len(new):
        return 0, len(new)
    start, stop = 0, len(new)
    while start < stop and old[start] == new[start]:
        start += 1
    if start == stop:
        return None
    while old[stop - 1] == new[stop - 1]:
        stop -= 1
    # Never start or stop inside a wide character.
    while start > 0 and new[start][0] == "":
        start -= 1
    while stop < len(new) and new[stop][0] == "":
        stop += 1
    return start, stop


def render_cells(cells: list[Cell]) -> str:
    """Text and SGR sequences for a run of cells, starting and ending with the default style."""
    out: list[str] = []
    current = ""
    for text, sgr in cells:
        if not text:
            continue
        if sgr != current:
            out.append(f"\x1b[0;{sgr}m" if sgr else "\x1b[0m")
            current = sgr
        out.append(text)
    if current:
        out.append("\x1b[0m")
    return "".join(out)


def move_to(x: int, y: int) -> str:
    return f"\x1b[{y + 1};{x + 1}H"


class TerminalCopy:
    """What each row of the terminal shows, and the bytes that bring it to a new frame."""

    def __init__(self) -> None:
        self._rows: dict[int, list[Cell]] = {}
        self._size = Size(0, 0)

    def forget(self) -> None:
        """Assume nothing about the terminal: the next frame is written in full."""
        self._rows.clear()

    def render(self, update: CompositorUpdate, console: Console, size: Size) -> str:
        if size != self._size:  # a resized terminal may have moved or cleared anything
            self.forget()
            self._size = size
        color_system = console._color_system or ColorSystem.TRUECOLOR
        if isinstance(update, LayoutUpdate):
            x = update.region.x
            writes = [(y, x, Strip.join(line)) for y, line in enumerate(update.strips, update.region.y)]
        elif isinstance(update, ChopsUpdate):
            writes = list(chop_writes(update))
        else:
            self.forget()
            return update.render_segments(console)
        return "".join(self._write(y, x, strip, color_system) for y, x, strip in writes)

    def _write(self, y: int, x: int, strip: Strip, color_system: ColorSystem) -> str:
        new = cells_of(strip, color_system)
        row = self._rows.get(y)
        if row is None:
            if x == 0 and len(new) >= self._size.width:
                self._rows[y] = new
            return move_to(x, y) + render_cells(new)
        end = x + len(new)
        run = changed_run(row[x:end], new)
        row[x:end] = new
        if run is None:
            return ""
        start, stop = run
        return move_to(x + start, y) + render_cells(new[start:stop])


def chop_writes(update: ChopsUpdate) -> list[tuple[int, int, Strip]]:
    """The pieces of a partial update: (row, column, strip), each cut to its dirty span."""
    writes: list[tuple[int, int, Strip]] = []
    for y, x1, x2 in update.spans:
        for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items(), strict=False):
            if strip is None or x >= x2 or end <= x1:
                continue
            start, stop = max(x, x1), min(end, x2)
            writes.append((y, start, strip.crop(start - x, stop - x)))
    return writes


class ChangesOnly(CompositorUpdate):
    """A compositor update that writes only what differs from the terminal's copy when rendered."""

    def __init__(self, update: CompositorUpdate, terminal: TerminalCopy, size: Size) -> None:
        self.update = update
        self.terminal = terminal
        self.size = size

    def render_segments(self, console: Console) -> str:
        return self.terminal.render(self.update, console, self.size)
