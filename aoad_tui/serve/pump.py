"""The pump between a session's process and its client: the process's output (a pty, or a
command's pipes) to the client, and the client's keys to the pty at a pace the app can take.
Nothing here knows SSH: the client is anything that has the few methods of Channel."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import struct
import termios
import time
import tty
from collections.abc import Callable
from typing import Protocol

MAX_SIZE = (500, 200)  # columns and rows: a client's window may claim more, the app never gets it
# Keys: INPUT_RATE bytes a second past a burst of INPUT_BURST. Each byte the app reads becomes an
# event it holds until handled (a bracketed paste is one event): a hand, autorepeat and the mouse
# stay well under it; a flood waits at the client instead of piling up in the app.
INPUT_RATE = 1 << 10
INPUT_BURST = 8 << 10
INPUT_STEP = 256  # bytes handed on at a time once the burst is spent: keys arrive evenly, not in lumps


class Channel(Protocol):
    """The client's side of the pump."""

    def writable(self) -> bool:
        """Whether output may be written: the client is there and its channel open."""
        ...

    def write(self, data: bytes) -> None: ...

    def write_stderr(self, data: bytes) -> None: ...

    def pause_reading(self) -> None:
        """Read no more keys from the client (they wait there) until resume_reading."""
        ...

    def resume_reading(self) -> None:
        """Read keys from the client again, if it is still there."""
        ...


def set_size(fd: int, width: int, height: int) -> None:
    width, height = min(max(width, 1), MAX_SIZE[0]), min(max(height, 1), MAX_SIZE[1])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))


class Pump:
    """A session's bytes: its process's output to the channel, the client's keys to the pty."""

    def __init__(self, channel: Channel, flooding: Callable[[], None]) -> None:
        self.channel = channel
        self.flooding = flooding  # called when keys outrun INPUT_RATE
        self.master: int | None = None
        self.outputs: list[int] = []  # descriptors the session's output comes from
        self.errors = -1  # the one of them that is a command's stderr
        self.newlines = False  # the client's terminal is in raw mode: a command's \n goes as \r\n
        self.input_buffer = b""
        self.input_retry: asyncio.TimerHandle | asyncio.Handle | None = None
        self.tokens = float(INPUT_BURST)  # bytes of keys the client may send now (INPUT_RATE refills)
        self.tokens_at = time.monotonic()
        self.first_output = asyncio.Event()
        self.outputs_closed = asyncio.Event()

    def open_pty(self, size: tuple[int, int]) -> tuple[int, int, int]:
        """The app's descriptors: a pty in raw mode (before the app starts, so early keys are not
        echoed), whose master stays here."""
        master, slave = os.openpty()
        tty.setraw(slave)
        set_size(slave, *size)
        os.set_blocking(master, False)
        self.master = master
        self.outputs = [master]
        return (slave, slave, slave)

    def open_pipes(self) -> tuple[int, int, int]:
        """A command's descriptors: pipes for its output, and an empty stdin."""
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        for fd in (out_read, err_read):
            os.set_blocking(fd, False)
        self.outputs, self.errors = [out_read, err_read], err_read
        null = os.open(os.devnull, os.O_RDONLY)
        return (null, out_write, err_write)

    def resize(self, width: int, height: int) -> None:
        if self.master is not None:
            set_size(self.master, width, height)  # the kernel sends the app SIGWINCH

    def start(self) -> None:
        """Read the process's output (once it runs, and again after pause)."""
        for fd in self.outputs:
            self.watch(fd)

    def pause(self) -> None:
        """Read no more output while the client cannot take it."""
        loop = asyncio.get_running_loop()
        for fd in self.outputs:
            loop.remove_reader(fd)

    def watch(self, fd: int) -> None:
        asyncio.get_running_loop().add_reader(fd, self.read_output, fd)

    def read_output(self, fd: int) -> None:
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            return
        except OSError:  # EIO: every process on the pty has gone
            data = b""
        if not data:
            self.close_output(fd)
            return
        self.first_output.set()
        if not self.channel.writable():
            return
        if self.master is None and self.newlines:
            data = data.replace(b"\n", b"\r\n")  # a command's output on a terminal in raw mode
        if fd == self.errors:
            self.channel.write_stderr(data)
        else:
            self.channel.write(data)

    def keys_received(self, data: bytes) -> None:
        if self.master is None:
            return  # before the app has a terminal, or after: nobody to hand keys to
        self.input_buffer += data
        # Never pause here: asyncssh opens the whole window again each time it hands data on, so a
        # pause after every small packet let a client pile up a window's worth more each time.
        # Paused between deliveries, asyncssh holds one window at most; resumed, it hands on all.
        if self.input_retry is None:
            self.input_retry = asyncio.get_running_loop().call_soon(self.write_input)

    def tokens_at_time(self, now: float) -> float:
        """The bucket refilled up to `now`."""
        return min(INPUT_BURST, self.tokens + (now - self.tokens_at) * INPUT_RATE)

    def write_input(self) -> None:
        """Hand keys to the app as its token bucket allows: a paste of INPUT_BURST bytes at once, a
        flood at INPUT_RATE, so that the app's queue of key events stays small. While keys wait
        here the client is not read, and waits too; once they are all in, it is read again."""
        self.input_retry = None
        if self.master is None:
            return
        now = time.monotonic()
        tokens = self.tokens_at_time(now)
        allowed = self.input_buffer[: int(tokens)]
        written = 0
        if allowed:
            try:
                written = os.write(self.master, allowed)
            except BlockingIOError:
                pass
            except OSError:  # the app has gone
                self.input_buffer = b""
                return
        self.tokens, self.tokens_at = tokens - written, now
        self.input_buffer = self.input_buffer[written:]
        if not self.input_buffer:
            self.channel.resume_reading()
            return
        self.channel.pause_reading()
        if written == len(allowed):  # the bucket, not the app, holds the rest back: a flood
            self.flooding()
        wait = max((min(len(self.input_buffer), INPUT_STEP) - self.tokens) / INPUT_RATE, 0.05)
        self.input_retry = asyncio.get_running_loop().call_later(wait, self.write_input)

    async def drain_output(self) -> None:
        """What the process wrote before it ended (a second at most), then the descriptors closed."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.outputs_closed.wait(), 1.0)
        self.close_outputs()

    def close_output(self, fd: int) -> None:
        asyncio.get_running_loop().remove_reader(fd)
        if fd == self.master:  # its number may soon be another session's pty: never touched again
            self.master, self.input_buffer = None, b""
            if self.input_retry is not None:
                self.input_retry.cancel()
                self.input_retry = None
        with contextlib.suppress(OSError):
            os.close(fd)
        if fd in self.outputs:
            self.outputs.remove(fd)
        if not self.outputs:
            self.outputs_closed.set()
        self.first_output.set()

    def close_outputs(self) -> None:
        for fd in list(self.outputs):
            self.close_output(fd)
