"""Write to the terminal only the cells that change on it.

Textual repaints whole rows, and after any layout the whole screen, even where the terminal
already shows the same thing: at start it paints one 80x24 frame about four times, and a tab
switch rewrites the header, tab bar and footer with the pane. It also writes a complete style
before, and a reset after, every piece of text. Over SSH every byte is felt, so the app keeps a
copy of what each row of the terminal shows, compares each update with it, and writes only the
changed run of cells of each row: reached by the shortest cursor move, with only the SGR codes
that change (a blank takes whatever colour is at hand, as only its background shows).

Hyperlink styles (OSC 8) are not written: nothing in the app makes them.

This is the one place the app leans on Textual's private API (`App._display` and the compositor's
update classes): Textual offers no public hook for what is written to the terminal. It degrades
instead of crashing: at import it checks that what it reads is there (PROBLEM says what is not),
and if anything is missing, or anything raises while it computes the changes, the app writes
exactly what Textual writes for the rest of the session, and says so once in Textual's log.
tests/unit/test_wire.py (against Textual's own output) and the pty tests (against a full repaint, and
with the wire broken on purpose) guard it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import repeat
from typing import Any, NamedTuple, cast

from rich.cells import get_character_cell_size
from rich.color import ColorSystem
from rich.console import Console, RenderableType
from rich.segment import Segment
from textual import log
from textual.app import App
from textual.geometry import Size
from textual.screen import Screen
from textual.strip import Strip

try:
    from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
except ImportError:  # a Textual that moved or renamed them
    _import_problem: str | None = "textual._compositor has no ChopsUpdate, CompositorUpdate or LayoutUpdate"
else:
    _import_problem = None


def _find_problem() -> str | None:
    """What this Textual lacks of what the wire reads, or None when it has it all."""
    if _import_problem is not None:
        return _import_problem
    expected = {LayoutUpdate: ("strips", "region"), ChopsUpdate: ("chops", "spans", "chop_ends")}
    for update_class, names in expected.items():
        parameters = inspect.signature(update_class).parameters
        missing = [name for name in names if name not in parameters]
        if missing:
            return f"{update_class.__name__} has no {', '.join(missing)}"
    if not callable(getattr(CompositorUpdate, "render_segments", None)):
        return "CompositorUpdate has no render_segments"
    display = getattr(App, "_display", None)
    if display is None or list(inspect.signature(display).parameters) != ["self", "screen", "renderable"]:
        return "App._display is not display(screen, renderable)"
    if not callable(getattr(Strip, "render_ansi", None)):
        return "Strip has no render_ansi"
    return None


# Why the wire is off in this installation, or None when it writes only the changed cells.
PROBLEM = _find_problem()

# Synchronized output (mode 2026): a terminal that has it shows what comes between these at once.
SYNC_START = "\x1b[?2026h"
SYNC_END = "\x1b[?2026l"

# Rich's names for colour systems (Console.color_system), as Rich's enum.
COLOR_SYSTEMS = {
    "standard": ColorSystem.STANDARD,
    "256": ColorSystem.EIGHT_BIT,
    "truecolor": ColorSystem.TRUECOLOR,
    "windows": ColorSystem.WINDOWS,
}


def status() -> str:
    """What the wire does here, for `aoad-tui --version`."""
    return "changes-only" if PROBLEM is None else f"off ({PROBLEM})"


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


class Sgr(NamedTuple):
    """An SGR code list taken apart: attributes, foreground and background ("" for the default)."""

    attributes: frozenset[str]
    foreground: str
    background: str

    @property
    def codes(self) -> str:
        return ";".join([*sorted(self.attributes), *filter(None, (self.foreground, self.background))])


DEFAULT = Sgr(frozenset(), "", "")
# The code that turns each attribute off (22 turns off bold and dim alike).
ATTRIBUTE_OFF = {
    **{"1": "22", "2": "22", "3": "23", "4": "24", "21": "24", "5": "25", "6": "25", "7": "27"},
    **{"8": "28", "9": "29", "51": "54", "52": "54", "53": "55"},
}
# Attributes that show on a blank cell, in its foreground colour; otherwise only its background shows.
SHOWN_ON_BLANK = frozenset({"4", "21", "7", "9", "51", "52", "53"})


@lru_cache(maxsize=1024)
def parse_sgr(codes: str) -> Sgr:
    attributes: set[str] = set()
    colours = {"38": "", "48": ""}
    parts = codes.split(";") if codes else []
    while parts:
        code = parts.pop(0)
        if code in colours:  # 38;5;N or 38;2;R;G;B
            size = 1 if parts[:1] == ["5"] else 3
            colours[code] = ";".join([code, *parts[: size + 1]])
            del parts[: size + 1]
        elif code.isdigit() and (30 <= int(code) <= 37 or 90 <= int(code) <= 97):
            colours["38"] = code
        elif code.isdigit() and (40 <= int(code) <= 47 or 100 <= int(code) <= 107):
            colours["48"] = code
        else:
            attributes.add(code)
    return Sgr(frozenset(attributes), colours["38"], colours["48"])


def blank_style(current: Sgr, cell: Sgr) -> Sgr:
    """A style, as close to `current` as can be, in which a space looks as it does in `cell`'s."""
    if cell.attributes & SHOWN_ON_BLANK:  # its line, or reversed, its whole cell, has the foreground
        return cell
    return Sgr(current.attributes - SHOWN_ON_BLANK, current.foreground, cell.background)


@lru_cache(maxsize=4096)
def sgr_change(before: Sgr | None, after: Sgr) -> str:
    """The shortest SGR sequence from style `before` (None: unknown) to style `after`."""
    if before == after:
        return ""
    reset = f"\x1b[0;{after.codes}m" if after != DEFAULT else "\x1b[0m"
    if before is None:
        return reset
    offs = {ATTRIBUTE_OFF.get(code, "0") for code in before.attributes - after.attributes}
    if "0" in offs:  # an attribute without its own off code
        return reset
    # An off code can take a kept attribute with it (22: bold and dim): set those again.
    kept_off = {code for code in before.attributes & after.attributes if ATTRIBUTE_OFF.get(code) in offs}
    codes = sorted(offs) + sorted((after.attributes - before.attributes) | kept_off)
    if after.foreground != before.foreground:
        codes.append(after.foreground or "39")
    if after.background != before.background:
        codes.append(after.background or "49")
    change = f"\x1b[{';'.join(codes)}m"
    return change if len(change) <= len(reset) else reset


def cursor_move(column: int, row: int, x: int, y: int) -> str:
    """The shortest way from the cursor at (column, row) to (x, y). The column may be one past the
    edge, or -1 when unknown; row -1 means the cursor is who knows where."""
    if row >= 0 and column >= 0 and (row, column) == (y, x):
        return ""
    if row >= 0 and (row + 1, 0) == (y, x):
        return "\r\n"
    if row == y and 0 <= column < x:  # forward in the row (after the last column this would not move)
        return f"\x1b[{x - column}C"
    return f"\x1b[{y + 1};{x + 1}H"


def render_runs(runs: list[tuple[int, int, list[Cell]]]) -> str:
    """Moves, text and SGR changes for runs of cells (column, row, cells), ending in the default style.

    Runs are written top to bottom, each reached from where the last one left the cursor, and the
    style carries over from one to the next: only its changes are written."""
    out: list[str] = []
    current: Sgr | None = None  # what the terminal's style is: unknown at first
    column, row = -1, -1  # where the cursor is: unknown at first
    for x, y, cells in sorted(runs, key=lambda run: (run[1], run[0])):
        out.append(cursor_move(column, row, x, y))
        for text, codes in cells:
            if not text:
                continue
            style = parse_sgr(codes)
            if text == " " and current is not None:
                style = blank_style(current, style)
            if style != current:
                out.append(sgr_change(current, style))
                current = style
            out.append(text)
        # A terminal may not agree on the width of an emoji or a rare character: after any
        # non-ASCII text, the next run in this row is reached by an absolute move.
        exact = all(text.isascii() for text, _ in cells)
        column, row = (x + len(cells) if exact else -1), y
    if current not in (None, DEFAULT):
        out.append("\x1b[0m")
    return "".join(out)


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
        # No colour system (TERM=dumb) is drawn in truecolor, as Textual does.
        color_system = COLOR_SYSTEMS.get(console.color_system or "", ColorSystem.TRUECOLOR)
        if isinstance(update, LayoutUpdate):
            x = update.region.x
            lines = enumerate(update.strips, update.region.y)
            writes = [(x, y, cells_of(Strip.join(line), color_system)) for y, line in lines]
        elif isinstance(update, ChopsUpdate):
            writes = chop_writes(update, color_system)
        else:
            self.forget()
            return update.render_segments(console)
        return render_runs([run for x, y, cells in writes if (run := self._changed(x, y, cells))])

    def _changed(self, x: int, y: int, new: list[Cell]) -> tuple[int, int, list[Cell]] | None:
        """Remember that row y shows `new` from column x: the run of it that must be written, if any."""
        row = self._rows.get(y)
        if row is None:
            if x == 0 and len(new) >= self._size.width:
                self._rows[y] = new
            return x, y, new
        end = x + len(new)
        run = changed_run(row[x:end], new)
        row[x:end] = new
        if run is None:
            return None
        start, stop = run
        return x + start, y, new[start:stop]


def chop_writes(update: ChopsUpdate, color_system: ColorSystem) -> list[tuple[int, int, list[Cell]]]:
    """The pieces of a partial update: (column, row, cells), each cut to its dirty span."""
    writes: list[tuple[int, int, list[Cell]]] = []
    for y, x1, x2 in update.spans:
        for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items(), strict=False):
            if strip is None or x >= x2 or end <= x1:
                continue
            # Cut as cells, not as a strip (Strip.crop would drop a combining mark at the cut),
            # and never inside a wide character.
            cells = cells_of(strip, color_system)
            start, stop = max(x, x1), min(end, x2)
            while start > x and cells[start - x][0] == "":
                start -= 1
            while stop < end and stop - x < len(cells) and cells[stop - x][0] == "":
                stop += 1
            writes.append((start, y, cells[start - x : stop - x]))
    return writes


class Wire:
    """The terminal's copy, and whether it is still used: off for good after the first failure."""

    def __init__(self) -> None:
        self.terminal = TerminalCopy()
        self.off_reason = PROBLEM

    def render(self, update: CompositorUpdate, console: Console, size: Size) -> str:
        if self.off_reason is None:
            try:
                return self.terminal.render(update, console, size)
            except Exception as error:  # a Textual that changed what the wire reads: write as Textual does
                self.off_reason = f"{type(error).__name__}: {error}"
                log.warning(f"wire: off ({self.off_reason}); writing every update as Textual does")
        return update.render_segments(console)


if PROBLEM is None:

    class ChangesOnly(CompositorUpdate):
        """A compositor update that writes only what differs from the terminal's copy when rendered."""

        def __init__(self, update: CompositorUpdate, wire: Wire, size: Size) -> None:
            self.update = update
            self.wire = wire
            self.size = size

        def render_segments(self, console: Console) -> str:
            return self.wire.render(self.update, console, self.size)


if PROBLEM is None:

    class Written(CompositorUpdate):
        """Output rendered already (the first frames, held until the screen settled), written as it is."""

        def __init__(self, text: str) -> None:
            self.text = text

        def render_segments(self, console: Console) -> str:
            return self.text


class ChangesOnlyApp(App[None]):
    """An App that writes only the cells that change on the terminal, where this Textual allows,
    and whose first frame is the settled screen, in one write.

    Textual learns that a list needs a scrollbar only while drawing it (an OptionList measures its
    rows when first rendered), and draws the scrollbar in a second frame a few ms later. So the
    first frames are rendered but held, until one changes nothing (Textual drew the screen again
    and it came out the same) or the app is idle; then what they draw is written at once, between
    synchronized-output markers: a terminal that has them shows the frame whole however the link
    cuts it up (Textual adds them only once it has heard the terminal's answer, which often comes
    after the first frame), and one that has not ignores them, as it does every unknown mode.
    Work meant for after the first frame (`after_first_frame`) waits for that write."""

    def __init__(self) -> None:
        super().__init__()
        self.wire = Wire()
        # What the first frames write, until the screen has settled (None: written, or the wire is
        # off in this Textual and every frame is written as drawn).
        self.held: list[str] | None = [] if PROBLEM is None else None
        self.waiting_for_first_frame: list[Callable[[], object]] = []

    def forget_terminal(self) -> None:
        """Assume nothing about what the terminal shows: the next frame is written in full."""
        self.wire.terminal.forget()

    def after_first_frame(self, callback: Callable[[], object]) -> None:
        """Call back once the first frame is on the terminal (soon, if it is already)."""
        if self.held is None:
            self.call_after_refresh(callback)
        else:
            self.waiting_for_first_frame.append(callback)

    def write_first_frame(self) -> None:
        """Write what the held frames draw, in one write, and let the work waiting for it go."""
        if self.held is None:
            return
        text, self.held = "".join(self.held), None
        if text and PROBLEM is None:
            written = Written(f"{SYNC_START}{text}{SYNC_END}")
            super()._display(self.screen, cast(RenderableType, written))  # Textual takes any update
        for callback in self.waiting_for_first_frame:
            self.call_after_refresh(callback)
        self.waiting_for_first_frame.clear()

    if PROBLEM is None:

        def _display(self, screen: Screen[object], renderable: RenderableType | None) -> None:
            if not isinstance(renderable, CompositorUpdate):
                super()._display(screen, renderable)
                return
            if self.held is not None:
                if self.is_headless or self.is_inline:  # no terminal, or not all of it: nothing to hold
                    self.write_first_frame()
                else:
                    self.hold(renderable)
                    return
            if not self.is_inline and self.wire.off_reason is None:
                renderable = ChangesOnly(renderable, self.wire, self.size)
            super()._display(screen, renderable)

        def hold(self, update: CompositorUpdate) -> None:
            """Render a first frame into the terminal's copy and keep what it writes; once one writes
            nothing (or the app is idle), write them all."""
            assert self.held is not None
            output = self.wire.render(update, self.console, self.size)
            if self.held and not output:
                self.write_first_frame()
                return
            self.held.append(output)
            if len(self.held) == 1:
                self.call_after_refresh(self.write_first_frame)  # idle: nothing more is coming


def after_first_frame(app: App[Any], callback: Callable[[], object]) -> None:
    """Call back once the app's first frame is on the terminal (any other App: after a refresh)."""
    if isinstance(app, ChangesOnlyApp):
        app.after_first_frame(callback)
    else:
        app.call_after_refresh(callback)
