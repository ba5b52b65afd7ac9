"""A command in a real pseudo-terminal, mirrored into a pyte screen: for the end-to-end tests
(tests/e2e/test_pty.py) and the startup benchmark (tests/bench/bench_startup.py).

Not a test module. It needs pyte and ptyprocess (pexpect depends on it), and Linux for peak RSS.
Every child it starts gets data, cache and config directories of its own (isolation.py): from
`terminal_env(isolated=FOLDER)`, or from the caller's environment where tests/conftest.py set them.

pyte ignores synchronized-output markers, so a frame can be seen half drawn: after the text you
wait for appears, `settle()` until the output has been quiet for a moment before asserting on
the rest of the screen. The app's first frame comes between synchronized-output markers:
`read_to_frame_end()` reads it to its end, exactly, with no window of time.

A path printed on the terminal wraps on a screen narrower than it (and pyte keeps no mark of
where it wrapped): what the command printed once it left the app's screen is `printed()`, its
lines as written.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pyte
from ptyprocess import PtyProcess
from ptyprocess.util import PtyProcessError

from support.isolation import isolated_env

KEYS: dict[str, bytes] = {
    "tab": b"\t",
    "shift+tab": b"\x1b[Z",
    "enter": b"\r",
    "escape": b"\x1b",
    "backspace": b"\x7f",
    "space": b" ",
    "up": b"\x1b[A",
    "down": b"\x1b[B",
    "right": b"\x1b[C",
    "left": b"\x1b[D",
    "home": b"\x1b[H",
    "end": b"\x1b[F",
    "pageup": b"\x1b[5~",
    "pagedown": b"\x1b[6~",
    "f1": b"\x1bOP",
}

# Synchronized output (mode 2026): the markers around a frame.
SYNC_START = b"\x1b[?2026h"
SYNC_END = b"\x1b[?2026l"
LEAVE_ALT_SCREEN = b"\x1b[?1049l"
# CSI and OSC sequences, and the two-byte ones (ESC and one character).
ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")

# Variables that change how a Textual app draws; the caller sets the ones it wants.
_SCRUB = (
    "COLUMNS",
    "LINES",
    "TERM_PROGRAM",
    "TERM_PROGRAM_VERSION",
    "TMUX",
    "STY",
    "NO_COLOR",
    "FORCE_COLOR",
    "COLORTERM",
    "SSH_CONNECTION",
    "SSH_CLIENT",
    "SSH_TTY",
    "AOAD_TUI_SEEDS",
)


def key_bytes(key: str) -> bytes:
    """What a terminal sends for a key name: "down", "ctrl+q", "y"."""
    low = key.lower()
    if low in KEYS:
        return KEYS[low]
    if low.startswith("ctrl+") and len(low) == 6:
        return bytes([ord(low[5]) & 0x1F])
    if len(key) == 1:
        return key.encode()
    raise ValueError(f"unknown key {key!r}")


def terminal_env(
    term: str = "xterm-256color",
    colorterm: str | None = "truecolor",
    extra: Mapping[str, str] | None = None,
    *,
    isolated: str | os.PathLike[str] | None = None,
) -> dict[str, str]:
    """This process's environment without anything that changes drawing, plus TERM, the app's own
    directories under `isolated` (isolation.isolated_env) and `extra`.

    ValueError if the child would use the user's own data, cache or config directory: without
    `isolated`, this process's environment (tests/conftest.py) or `extra` must name them all.
    """
    env = {k: v for k, v in os.environ.items() if k not in _SCRUB and not k.startswith("TEXTUAL")}
    env["TERM"] = term
    if colorterm:
        env["COLORTERM"] = colorterm
    if isolated is not None:
        env.update(isolated_env(isolated))
    env.update(extra or {})
    missing = [name for name in isolated_env(".") if not env.get(name)]
    if missing:
        raise ValueError(f"the child would use the user's own {', '.join(missing)}: pass isolated=FOLDER")
    return env


def status_kib(pid: int, name: str) -> int | None:
    """A KiB figure of /proc/PID/status (Linux): VmHWM (peak RSS), VmRSS. None if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{name}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def peak_rss_kib(pid: int) -> int | None:
    """VmHWM of a live process, in KiB (Linux), or None."""
    return status_kib(pid, "VmHWM")


def stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (Linux), or None."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time a live process has used so far (Linux), or None."""
    fields = stat_fields(pid)
    return None if fields is None else (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_state(pid: int) -> str | None:
    """R (running), S (sleeping), T (stopped)... of a live process (Linux), or None."""
    fields = stat_fields(pid)
    return None if fields is None else fields[0]


class PtyApp:
    """A child process on a pty. Every byte it writes is kept in `raw` and fed to `screen`."""

    def __init__(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        *,
        cols: int = 80,
        rows: int = 24,
        cwd: str | os.PathLike[str] | None = None,
    ) -> None:
        self.cols, self.rows = cols, rows
        self.screen = pyte.Screen(cols, rows)
        self.screen.write_process_input = self._reply  # pyte answers DA / DSR queries through this
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.eof = False
        self.last_arrival: float | None = None  # when the last chunk came (seconds since spawn)
        self.t0 = time.perf_counter()
        self.proc = PtyProcess.spawn(
            list(argv), env=dict(env), cwd=None if cwd is None else str(cwd), dimensions=(rows, cols)
        )

    # --- context manager: never leave a child behind ----------------------------------------------

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def pid(self) -> int:
        return int(self.proc.pid)

    def now(self) -> float:
        """Seconds since spawn."""
        return time.perf_counter() - self.t0

    def _reply(self, data: str) -> None:
        with contextlib.suppress(OSError):
            os.write(self.proc.fd, data.encode())

    # --- reading ---------------------------------------------------------------------------------

    def read_once(self, timeout: float) -> tuple[int, float | None]:
        """Read one chunk, waiting up to `timeout` s: (bytes read, arrival time since spawn)."""
        if self.eof:
            return 0, None
        ready, _, _ = select.select([self.proc.fd], [], [], max(0.0, timeout))
        if not ready:
            return 0, None
        arrived = self.now()
        try:
            data = os.read(self.proc.fd, 65536)
        except OSError:  # EIO: the child closed its side
            data = b""
        if not data:
            self.eof = True
            return 0, None
        self.raw += data
        self.stream.feed(data)
        self.last_arrival = arrived
        return len(data), arrived

    def read_to_frame_end(self, timeout: float = 10.0) -> bool:
        """Read until every synchronized frame begun so far has ended: False if none has begun, or
        the end did not come in time."""
        deadline = time.perf_counter() + timeout
        while self.raw.count(SYNC_END) < self.raw.count(SYNC_START):
            left = deadline - time.perf_counter()
            if left <= 0 or self.eof:
                return False
            self.read_once(left)
        return SYNC_START in self.raw

    def cells(self) -> dict[tuple[int, int], tuple[object, ...]]:
        """Every cell of the screen: its character and how it is drawn."""
        buffer = self.screen.buffer
        return {
            (y, x): (c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.reverse)
            for y in range(self.rows)
            for x, c in ((x, buffer[y][x]) for x in range(self.cols))
        }

    def lines(self) -> list[str]:
        return list(self.screen.display)

    def text(self) -> str:
        """The screen as text, trailing blanks removed."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    def shows(self, needles: Iterable[str]) -> bool:
        screen = "\n".join(self.screen.display)
        return all(needle in screen for needle in needles)

    def printed(self) -> str:
        """What the command printed after leaving the alternate screen (its problems, say), as text:
        its lines as written, however long, not as a screen of some width wraps them."""
        tail = bytes(self.raw).rpartition(LEAVE_ALT_SCREEN)[2].decode(errors="replace")
        return ESCAPE_SEQUENCE.sub("", tail).replace("\r\n", "\n")

    def wait_for(self, *needles: str, timeout: float = 10.0) -> float | None:
        """Read until every needle is on screen: the arrival time (since spawn) of the chunk that
        completed them, or None on timeout or end of output."""
        if self.shows(needles):
            return self.now()
        deadline = time.perf_counter() + timeout
        while not self.eof:
            left = deadline - time.perf_counter()
            if left <= 0:
                break
            count, arrived = self.read_once(left)
            if count and self.shows(needles):
                return arrived
        return None

    def wait_output(self, pattern: bytes | re.Pattern[bytes], start: int = 0, timeout: float = 10.0) -> bool:
        """Read until the raw output from offset `start` contains `pattern` (bytes or a regex)."""

        def found() -> bool:
            if isinstance(pattern, bytes):
                return pattern in self.raw[start:]
            return pattern.search(self.raw, start) is not None

        deadline = time.perf_counter() + timeout
        while not found():
            left = deadline - time.perf_counter()
            if left <= 0 or self.eof:
                return False
            self.read_once(left)
        return True

    def settle(self, quiet: float = 0.2, cap: float = 5.0, first: float | None = None) -> int:
        """Read until nothing has come for `quiet` s (or `cap` s have passed): the bytes read.
        `first` is how long to wait for the first byte (default `quiet`)."""
        start = time.perf_counter()
        got = 0
        wait = quiet if first is None else first
        while not self.eof:
            left = cap - (time.perf_counter() - start)
            if left <= 0:
                break
            count, _ = self.read_once(min(wait, left))
            if not count:
                break
            got += count
            wait = quiet
        return got

    def drain(self, seconds: float) -> int:
        """Read everything for `seconds`: the bytes read."""
        end = time.perf_counter() + seconds
        got = 0
        while not self.eof:
            left = end - time.perf_counter()
            if left <= 0:
                break
            got += self.read_once(left)[0]
        return got

    # --- writing ---------------------------------------------------------------------------------

    def send(self, data: bytes) -> None:
        os.write(self.proc.fd, data)

    def press(self, *keys: str) -> None:
        for key in keys:
            self.send(key_bytes(key))

    def key_bytes_written(
        self, key: str, *needles: str, quiet: float = 0.25, cap: float = 3.0, timeout: float = 10.0
    ) -> int:
        """Press a key and count what is written until the needles (if any) are on screen and the
        output has settled."""
        start = len(self.raw)
        self.press(key)
        if needles and self.wait_for(*needles, timeout=timeout) is None:
            raise TimeoutError(f"{key} never showed {needles!r}:\n{self.text()}")
        self.settle(quiet=quiet, cap=cap, first=quiet if needles else cap)
        return len(self.raw) - start

    # --- the end ---------------------------------------------------------------------------------

    def alive(self) -> bool:
        try:
            return bool(self.proc.isalive())
        except PtyProcessError:  # already reaped
            return False

    def wait_exit(self, timeout: float = 10.0) -> int | None:
        """Read until the child exits: its exit status, or None if it is still running."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if not self.eof:
                self.read_once(0.05)
            elif self.alive():
                time.sleep(0.01)
            else:
                break
        if self.alive():
            return None
        self.drain(0.05)
        status = self.proc.exitstatus
        return None if status is None else int(status)

    def wait_settled(self, *needles: str, timeout: float = 10.0, quiet: float = 0.2) -> None:
        """Wait until the needles are on screen, then until the output is quiet; AssertionError if
        they never show."""
        if self.wait_for(*needles, timeout=timeout) is None:
            tail = bytes(self.raw[-300:])
            raise AssertionError(f"never saw {needles!r}; the screen was:\n{self.text()}\n(raw tail: {tail!r})")
        self.settle(quiet=quiet)

    def quit_cleanly(self, key: str = "q", timeout: float = 10.0) -> bytes:
        """Press the quit key; the process must exit with 0. Returns what it wrote after the key."""
        start = len(self.raw)
        self.press(key)
        status = self.wait_exit(timeout=timeout)
        assert status == 0, f"exit status {status}; the screen was:\n{self.text()}"
        return bytes(self.raw[start:])

    def peak_rss_kib(self) -> int | None:
        return peak_rss_kib(self.pid)

    def rss_kib(self) -> int | None:
        return status_kib(self.pid, "VmRSS")

    def type_text(self, text: str, chunk: int = 512) -> None:
        """Type `text` as fast as the pty takes it, reading the app's output meanwhile (an app
        whose output nobody reads stops reading its keys)."""
        data = text.encode()
        for start in range(0, len(data), chunk):
            self.send(data[start : start + chunk])
            self.drain(0.001)

    def cpu_seconds(self) -> float | None:
        return cpu_seconds(self.pid)

    def close(self) -> None:
        """Stop the child if it still runs (by its pid: TERM, then KILL) and close the pty."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if not self.alive():
                break
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                break
            end = time.perf_counter() + 1.0
            while time.perf_counter() < end and self.alive():
                if self.eof:
                    time.sleep(0.02)
                else:
                    self.drain(0.02)
        with contextlib.suppress(OSError, PtyProcessError):
            self.proc.close(force=True)
