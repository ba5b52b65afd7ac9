"""One browser's session over its websocket (web.py accepts it): the app in a pty, run as every
served session runs (running.py: its pump, its lifetime, its log line). Binary frames carry bytes
(keys in, the screen out); text frames carry JSON: {"size": [columns, rows]} from the page,
{"said": "..."} to it. Anything else closes the websocket with a code that says why."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable

from aiohttp import WSCloseCode, WSMsgType, web

from aoad_tui.serve.host import Host
from aoad_tui.serve.running import ServedSession

TERM = "xterm-256color"  # what xterm.js is
MAX_FRAME = 64 << 10  # bytes of one message from the page: keys come a few at a time, a paste in one
OUTPUT_HIGH, OUTPUT_LOW = 256 << 10, 64 << 10  # bytes queued for the page: the pty is not read past HIGH
FIRST_SIZE_WITHIN = 10.0  # seconds the page has to say its size before the session would start


class Malformed(Exception):
    """A message the page never sends: the websocket is closed with WSCloseCode[code]."""

    def __init__(self, code: WSCloseCode, why: str) -> None:
        super().__init__(why)
        self.code = code


def size_of(text: str) -> tuple[int, int]:
    """The terminal's size from the page's {"size": [columns, rows]}; Malformed otherwise."""
    try:
        message = json.loads(text)
        columns, rows = message["size"]
    except (ValueError, TypeError, KeyError):
        raise Malformed(WSCloseCode.INVALID_TEXT, "not a size message") from None
    if not all(isinstance(n, int) and not isinstance(n, bool) and 0 < n < 10_000 for n in (columns, rows)):
        raise Malformed(WSCloseCode.INVALID_TEXT, "not a size")
    return columns, rows


class WebChannel:
    """The websocket as a session's pump sees it (pump.Channel): output queued in order and sent by
    one task (the pty is read no further while the page is behind), keys read only while the pump
    takes them."""

    def __init__(
        self, socket: web.WebSocketResponse, pause_output: Callable[[], None], resume_output: Callable[[], None]
    ) -> None:
        self.socket = socket
        self.queue: asyncio.Queue[bytes | str] = asyncio.Queue()
        self.queued = 0
        self.behind = False
        self.reading = asyncio.Event()
        self.reading.set()
        self.pause_output = pause_output
        self.resume_output = resume_output
        self.sender = asyncio.ensure_future(self.send())

    def writable(self) -> bool:
        return not self.socket.closed

    def write(self, data: bytes) -> None:
        self.put(data)

    def write_stderr(self, data: bytes) -> None:
        self.put(data)

    def say(self, line: str) -> None:
        self.put(json.dumps({"said": line}))

    def put(self, data: bytes | str) -> None:
        if self.socket.closed:
            return
        self.queue.put_nowait(data)
        self.queued += len(data)
        if self.queued > OUTPUT_HIGH and not self.behind:
            self.behind = True
            self.pause_output()

    async def send(self) -> None:
        with contextlib.suppress(ConnectionError, RuntimeError, asyncio.CancelledError):
            while True:
                data = await self.queue.get()
                self.queued -= len(data)
                if isinstance(data, bytes):
                    await self.socket.send_bytes(data)
                else:
                    await self.socket.send_str(data)
                self.queue.task_done()
                if self.behind and self.queued < OUTPUT_LOW:
                    self.behind = False
                    self.resume_output()

    async def flushed(self) -> None:
        """Once everything queued has gone to the page (or it has gone)."""
        everything_sent = asyncio.ensure_future(self.queue.join())
        await asyncio.wait({everything_sent, self.sender}, return_when=asyncio.FIRST_COMPLETED)
        everything_sent.cancel()

    def pause_reading(self) -> None:
        self.reading.clear()

    def resume_reading(self) -> None:
        self.reading.set()


class WebSession(ServedSession):
    """A browser's session: the identity web.py found for it, its websocket, the app."""

    def __init__(self, service: Host, socket: web.WebSocketResponse, client: str, address: str) -> None:
        self.socket = socket
        self.web = WebChannel(socket, self.pause_output, self.resume_output)
        super().__init__(service, self.web, client)
        self.address = address
        self.term = TERM
        self.closing: asyncio.Future[None] | None = None

    def pause_output(self) -> None:
        self.pump.pause()

    def resume_output(self) -> None:
        self.pump.start()

    def say(self, line: str) -> None:
        self.web.say(f"aoad-tui: {line}")

    def client_env(self) -> dict[str, str]:
        return {"COLORTERM": "truecolor"}  # xterm.js draws 24-bit colour

    def kind(self, argv: list[str]) -> str:
        return "web"

    def served_as(self) -> dict[str, str]:
        return {"via": "web"}

    async def serve(self) -> None:
        """The page's messages, until it goes: the size first (the app starts at it), then keys and
        sizes. A malformed message closes the websocket with its code."""
        socket = self.socket
        try:
            first = await asyncio.wait_for(socket.receive(), FIRST_SIZE_WITHIN)
            if first.type != WSMsgType.TEXT:
                raise Malformed(WSCloseCode.POLICY_VIOLATION, "the first message must be the size")
            self.size = size_of(first.data)
            self.service.sessions.add(self.lifetime)
            self.lifetime.task = asyncio.ensure_future(self.run([]))
            while not socket.closed:
                await self.web.reading.wait()
                message = await socket.receive()
                if message.type == WSMsgType.BINARY:
                    self.lifetime.heard(message.data)
                    self.pump.keys_received(message.data)
                elif message.type == WSMsgType.TEXT:
                    self.size = size_of(message.data)
                    self.pump.resize(*self.size)
                else:  # closing, closed, or an error (one too big: aiohttp closes it with 1009 itself)
                    break
        except TimeoutError:
            await socket.close(code=WSCloseCode.POLICY_VIOLATION, message=b"no size from the page")
        except Malformed as error:
            await socket.close(code=error.code, message=str(error).encode())
        finally:
            self.gone = True
            self.pump.close_outputs()  # the pty hangs up: the app's process gets SIGHUP
            self.lifetime.client_gone()
            if self.lifetime.task is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await self.lifetime.task
            self.web.sender.cancel()

    def closed(self, code: int) -> None:
        async def close() -> None:
            await self.web.flushed()
            await self.socket.close(code=WSCloseCode.OK, message=b"the session has ended")

        if not self.socket.closed:
            self.closing = asyncio.ensure_future(close())
