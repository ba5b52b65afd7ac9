"""The SSH server (asyncssh): the listener, its sessions' memory, and draining on a signal.
A connection is connection.Connection; each of its sessions an ssh_session.AppSession.

Nothing else gets in: no port, agent or X11 forwarding, no SFTP or SCP, no shell, and no command
beyond rules.COMMANDS. A session's environment is built from nothing (rules.session_env).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from typing import TYPE_CHECKING, Any

import asyncssh

from aoad_tui.serve import memory, people
from aoad_tui.serve.connection import Connection
from aoad_tui.serve.hostkey import fingerprint
from aoad_tui.serve.lifetime import GRACE, Lifetime
from aoad_tui.serve.limits import Gate
from aoad_tui.serve.log import log, log_failure
from aoad_tui.serve.options import ServeOptions
from aoad_tui.serve.rules import BASE_ENV, private_env
from aoad_tui.serve.spawn import ExecSpawner, ForkSpawner
from aoad_tui.serve.start_queue import StartQueue

if TYPE_CHECKING:  # the web extra (aiohttp) is imported only to serve browsers
    from aoad_tui.serve.web import WebSite


class Service:
    """The running server: its limits, its sessions, and the zygote or the fresh interpreters."""

    def __init__(self, options: ServeOptions, host_key: asyncssh.SSHKey) -> None:
        self.options = options
        self.host_key = host_key
        self.gate = Gate(options.limits)
        self.queue = StartQueue(options.limits.starting)
        self.sessions: set[Lifetime] = set()
        self.draining = False
        self.memory_used = 0.0  # MiB, all sessions together, at the last look (watch_memory)
        # The zygote's or a fresh interpreter's own environment (each session then takes its user's).
        env = {**BASE_ENV, **private_env(options.root, options.seeds, options.cache)}
        self.spawner: ForkSpawner | ExecSpawner = ForkSpawner(env) if options.spawn == "fork" else ExecSpawner(env)
        self.stopping = asyncio.Event()

    def stop(self) -> None:
        """The first signal drains; a second one ends every session now."""
        if self.stopping.is_set():
            for session in list(self.sessions):
                session.kill()
        self.stopping.set()

    async def watch_memory(self) -> None:
        """Every few seconds: the sessions' memory against the budget. Past it, the largest session
        not already ending is told and ended, before the machine has to swap."""
        budget = self.options.limits.total_memory
        while True:
            await asyncio.sleep(memory.WATCH_EVERY)
            pids = {s: s.child.pid for s in self.sessions if s.child is not None and not s.child.exited.done()}
            used = await asyncio.to_thread(memory.pss_of, pids)
            self.memory_used = sum(used.values())
            _, largest = memory.over_budget(((s, mib) for s, mib in used.items() if not s.ending), budget)
            if largest is not None:
                log(
                    "memory",
                    client=largest.client,
                    used=used[largest],
                    total=self.memory_used,
                    budget=budget,
                )
                largest.end("memory")

    def out_of_memory(self) -> bool:
        budget = self.options.limits.total_memory
        return bool(budget) and self.memory_used >= budget

    def unhandled(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """What asyncio would print as a traceback of many lines: one line, the rest in the file."""
        error = context.get("exception") or RuntimeError(str(context.get("message")))
        log_failure(self.options.tracebacks, "error", error, where=str(context.get("message") or "")[:80])

    async def run(self) -> int:
        options = self.options
        people.clear_guests(options.root)
        await self.spawner.start()
        try:
            server = await self.listen_ssh() if options.ssh else None
            web_site = await self.listen_web() if options.web is not None else None
        except OSError as error:
            await self.spawner.stop()
            print(f"aoad-tui serve: cannot listen: {error.strerror or error}", file=sys.stderr)
            return 1
        port = server.sockets[0].getsockname()[1] if server is not None and server.sockets else options.port
        where: dict[str, object] = {"port": port} if server is not None else {}
        if web_site is not None:
            where["web"] = web_site.port
        log("start", **where, fingerprint=fingerprint(self.host_key), spawn=options.spawn, pid=os.getpid())
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(self.unhandled)
        watch = asyncio.ensure_future(self.watch_memory())
        for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            loop.add_signal_handler(number, self.stop)
        await self.stopping.wait()
        watch.cancel()
        self.draining = True
        if server is not None:
            server.close()
        if web_site is not None:
            await web_site.stop()
        log("drain", sessions=len(self.sessions))
        for session in list(self.sessions):
            session.end("restart")
        if self.sessions:
            await asyncio.wait([asyncio.ensure_future(s.finished.wait()) for s in self.sessions], timeout=GRACE + 10)
        for session in list(self.sessions):  # deaf to SIGTERM and SIGHUP (wedged): nothing outlives the server
            session.kill()
        if web_site is not None:
            await web_site.runner.cleanup()
        await self.spawner.stop()
        log("stop")
        return 0

    async def listen_ssh(self) -> asyncssh.SSHAcceptor:
        options = self.options
        return await asyncssh.create_server(
            lambda: Connection(self),
            options.host,
            options.port,
            server_host_keys=[self.host_key],
            login_timeout=options.limits.login_timeout,
            keepalive_interval=30,
            agent_forwarding=False,
            x11_forwarding=False,
            allow_scp=False,
            sftp_factory=None,
            line_editor=False,
            encoding=None,
            password_auth=False,
            host_based_auth=False,
            gss_auth=False,
            gss_kex=False,
        )

    async def listen_web(self) -> WebSite:
        from aoad_tui.serve.web import WebSite

        return await WebSite.start(self)
