"""Starting a session's process, from the server's event loop: forked by the zygote (zygote.py), or
a fresh interpreter per session (`--spawn exec`, the slower way, kept to measure against)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass

from aoad_tui.serve.session import REQUEST_ENV, SessionRequest

MESSAGE_BYTES = 1 << 20  # the most the zygote reads of a request (zygote.py)


class SpawnError(Exception):
    """No process could be started for a session."""


@dataclass
class Child:
    pid: int
    exited: asyncio.Future[int]  # its exit code (negative: the signal that ended it)

    def signal(self, number: int) -> None:
        if not self.exited.done():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, number)


class ExecSpawner:
    """A fresh interpreter per session: `python -I -m aoad_tui.serve.session`, the request in
    its environment (session.REQUEST_ENV)."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = dict(env)

    async def start(self) -> None:
        pass

    async def spawn(self, request: SessionRequest, stdio: tuple[int, int, int]) -> Child:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-I", "-m", "aoad_tui.serve.session",
            stdin=stdio[0], stdout=stdio[1], stderr=stdio[2], start_new_session=True, cwd="/",
            env={**self.env, REQUEST_ENV: request.to_json()},
        )  # fmt: skip
        return Child(process.pid, asyncio.ensure_future(process.wait()))

    async def stop(self) -> None:
        pass


class ForkSpawner:
    """Sessions forked by the zygote, which the server starts (and starts again if it dies)."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = dict(env)
        self.process: subprocess.Popen[bytes] | None = None
        self.socket: socket.socket | None = None
        self.ids = itertools.count(1)
        self.pending: dict[int, asyncio.Future[int]] = {}  # request id -> pid
        self.children: dict[int, asyncio.Future[int]] = {}  # pid -> exit code
        self.ready: asyncio.Future[None] | None = None
        self.restarting = asyncio.Lock()

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-m", "aoad_tui.serve.zygote", str(theirs.fileno())],
            pass_fds=[theirs.fileno()], env=self.env, stdin=subprocess.DEVNULL, start_new_session=True,
            cwd="/",  # never the operator's directory: a session starts in its user's (session.run)
        )  # fmt: skip
        theirs.close()
        ours.setblocking(False)
        self.socket = ours
        self.ready = loop.create_future()
        loop.add_reader(ours.fileno(), self.receive, ours)
        try:
            await asyncio.wait_for(asyncio.shield(self.ready), 120)
        except TimeoutError:
            raise SpawnError("the zygote did not get ready") from None

    def receive(self, sock: socket.socket) -> None:
        if sock is not self.socket:  # a zygote replaced meanwhile: its socket is done with
            asyncio.get_running_loop().remove_reader(sock.fileno())
            return
        try:
            data = sock.recv(4096)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the zygote has gone: every request waiting on it fails
            self.lost()
            return
        message = json.loads(data)
        if "ready" in message and self.ready is not None and not self.ready.done():
            self.ready.set_result(None)
        elif "pid" in message:
            future = self.pending.pop(message["id"], None)
            if future is not None and not future.done():
                future.set_result(message["pid"])
        elif "exited" in message:
            exited = self.children.setdefault(message["exited"], asyncio.get_running_loop().create_future())
            if not exited.done():
                exited.set_result(message["code"])

    def lost(self) -> None:
        if self.socket is not None:
            asyncio.get_running_loop().remove_reader(self.socket.fileno())
            self.socket.close()
            self.socket = None
        error = SpawnError("the zygote has gone")
        for future in [*self.pending.values(), self.ready]:
            if future is not None and not future.done():
                future.set_exception(error)
        self.pending.clear()
        # Its children were its own: their exit codes are lost with it. Their ptys still end them.
        for exited in self.children.values():
            if not exited.done():
                exited.set_result(-signal.SIGHUP)

    async def spawn(self, request: SessionRequest, stdio: tuple[int, int, int]) -> Child:
        async with self.restarting:  # sessions starting at once restart a dead zygote once
            if self.socket is None:
                await self.stop()
                await self.start()
        if self.socket is None:
            raise SpawnError("the zygote is not running")
        number = next(self.ids)
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.pending[number] = future
        message = json.dumps({"id": number, "request": json.loads(request.to_json())}).encode()
        if len(message) > MESSAGE_BYTES:
            self.pending.pop(number, None)
            raise SpawnError(f"a request of {len(message)} bytes")
        try:
            socket.send_fds(self.socket, [message], list(stdio))
        except OSError as error:
            self.pending.pop(number, None)
            raise SpawnError(f"the zygote cannot be reached: {error}") from None
        try:
            pid = await asyncio.wait_for(future, 30)
        except TimeoutError:
            self.pending.pop(number, None)
            raise SpawnError("the zygote did not answer") from None
        exited = self.children.setdefault(pid, asyncio.get_running_loop().create_future())
        exited.add_done_callback(lambda _: self.children.pop(pid, None))
        return Child(pid, exited)

    async def stop(self) -> None:
        if self.socket is not None:
            asyncio.get_running_loop().remove_reader(self.socket.fileno())
            self.socket.close()
            self.socket = None
        if self.process is not None:
            process, self.process = self.process, None
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
            try:
                await asyncio.to_thread(process.wait, 10)
            except subprocess.TimeoutExpired:
                process.kill()
                await asyncio.to_thread(process.wait)
