"""A served session's run, whatever carries it to its client (SSH: ssh_session.py; a browser's
websocket: web_session.py): refused when the server is restarting, out of memory or at a limit;
else its turn in the start queue, its process spawned, its bytes pumped (pump.py), its limits in
time kept (lifetime.py), and one log line at its end (log.py)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from pathlib import Path

from aoad_tui.serve import people
from aoad_tui.serve.host import Host
from aoad_tui.serve.lifetime import ENDINGS, Lifetime
from aoad_tui.serve.log import log, log_failure, log_session
from aoad_tui.serve.pump import Channel, Pump
from aoad_tui.serve.rules import private_env, session_env
from aoad_tui.serve.session import SESSION_FAILED, SessionRequest
from aoad_tui.serve.spawn import SpawnError


class ServedSession:
    """One session's process and its client. A transport gives the channel and fills in the hooks
    (`say`, `refusal`, `client_env`, `closed`) and the client's identity."""

    def __init__(self, service: Host, channel: Channel, client: str) -> None:
        self.service = service
        self.channel = channel
        self.lifetime = Lifetime(service.options.limits, client)
        self.pump = Pump(channel, self.lifetime.lower_priority)
        self.client = client  # its address and port, for the log
        self.address = ""  # whom the limits count (limits.address_key)
        self.user: str | None = None  # the user id; None for a guest
        self.name = ""  # the name the client gave: logged, never trusted
        self.key = ""  # what identifies the user to the app (an SSH key's fingerprint)
        self.term: str | None = None
        self.size = (80, 24)
        self.guest_dir: Path | None = None
        self.gone = False  # the client has gone
        self.line_start = ""  # what a line said to the client starts with (after the app: a new line)

    # --- what a transport fills in ----------------------------------------------------------------

    def say(self, line: str) -> None:
        """A line for the user (the app is not on their screen, or no more)."""
        raise NotImplementedError

    def refusal(self, argv: list[str]) -> tuple[str, str] | None:
        """Why this client's session cannot start, before any limit: (the log's end, the line said)."""
        return None

    def client_env(self) -> dict[str, str]:
        """The environment the client sent (rules.session_env keeps what is safe of it)."""
        return {}

    def kind(self, argv: list[str]) -> str:
        return argv[0] if argv else "app"

    def served_as(self) -> dict[str, str]:
        """What the app is told of how it is served, beyond who the user is (SessionRequest's fields)."""
        return {}

    def closed(self, code: int) -> None:
        """The session is over: the transport's end (an exit status, a close frame)."""

    # --- the run ----------------------------------------------------------------------------------

    async def run(self, argv: list[str]) -> None:
        service, lifetime = self.service, self.lifetime
        end, code = "quit", 0
        user = self.user or f"guest@{self.address}"
        try:
            if (refused := self.refusal(argv)) is not None:
                end, line = refused
                self.say(line)
                code = 1
                return
            if service.draining:
                self.say(ENDINGS["restart"])
                end, code = "refused:restart", 1
                return
            if service.out_of_memory():
                self.say("the server's memory is all in use; try again in a few minutes")
                end, code = "refused:memory", 1
                return
            refusal = service.gate.open_session(user, self.address)
            if refusal is not None:
                self.say(refusal)
                end, code = "refused:limit", 1
                return
            try:
                code = await self.start_and_wait(argv)
                end = lifetime.ending or ("client-gone" if self.gone else "quit" if code >= 0 else "killed")
                if code == SESSION_FAILED:  # its traceback is in the file (session.run_guarded)
                    end = "error"
                    where = service.options.tracebacks
                    log("error", client=self.client, error="the session failed", traceback=where)
            finally:
                service.gate.close_session(user, self.address)
        except asyncio.CancelledError:  # ended while waiting its turn, by the client or the server
            end, code = (lifetime.ending, 1) if lifetime.ending else ("client-gone", 0)
        except people.UnsafeDirectory as error:
            self.say("your data on this server cannot be used safely; the server's log says why")
            log("error", client=self.client, error=str(error))
            end, code = "refused:data", 1
        except SpawnError as error:
            self.say("the server could not start a session; try again in a minute")
            log("error", client=self.client, error=str(error))
            end, code = "error", 1
        except Exception as error:  # the session ends with a line and a log entry, never silently
            self.say("this session failed; the server's log says why")
            log_failure(service.options.tracebacks, "error", error, client=self.client)
            end, code = "error", 1
        finally:
            if lifetime.ending in ENDINGS:
                self.say(ENDINGS[lifetime.ending])
            self.finish(end, code, argv)

    async def start_and_wait(self, argv: list[str]) -> int:
        loop = asyncio.get_running_loop()
        waited = False

        def tell(place: int) -> None:
            nonlocal waited
            waited = True
            if self.channel.writable():
                self.channel.write(f"\raoad-tui: you are number {place} in line; starting soon...\x1b[K".encode())

        await self.service.queue.turn(tell)
        try:
            if self.gone or self.lifetime.ending:
                return 0
            if waited and self.channel.writable():
                self.channel.write(b"\r\x1b[K")
            request = self.request(argv)
            child_fds = self.pump.open_pipes() if argv else self.pump.open_pty(self.size)
            try:
                self.lifetime.child = await self.service.spawner.spawn(request, child_fds)
            finally:
                for fd in set(child_fds):
                    os.close(fd)
            self.pump.start()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.pump.first_output.wait(), 5)
        finally:
            self.service.queue.done()
        timers = self.lifetime.limit_timers(loop) if not argv else []
        try:
            code = await self.lifetime.child.exited
        finally:
            for timer in timers:
                timer.cancel()
        await self.pump.drain_output()
        self.line_start = "\r\n"
        return code

    def request(self, argv: list[str]) -> SessionRequest:
        options = self.service.options
        if self.user is None:
            self.guest_dir = people.guest_dir(options.root)
            data = self.guest_dir
        else:
            data = people.user_dir(options.root, self.user)
        private = private_env(data, options.seeds, options.cache)
        env = session_env(self.client_env(), self.term, truecolor=options.truecolor, private=private)
        lead = int(options.limits.warning)
        return SessionRequest(
            str(data),
            env,
            argv,
            guest=self.user is None,
            name=self.name,
            key=self.key,
            warning=f"This session ends in {lead} seconds unless you press a key.",
            length_warning=f"This session reaches its time limit in {lead} seconds: connect again to go on.",
            memory=options.limits.memory,
            tracebacks=str(options.tracebacks),
            **self.served_as(),
        )

    def finish(self, end: str, code: int, argv: list[str]) -> None:
        if self.guest_dir is not None:
            people.forget_guest(self.guest_dir)
        log_session(
            client=self.client,
            user=self.user,
            name=self.name,
            kind=self.kind(argv),
            term=self.term,
            size=self.size,
            duration=time.monotonic() - self.lifetime.opened,
            end=end,
            code=code,
        )
        self.service.sessions.discard(self.lifetime)
        self.lifetime.finished.set()
        self.closed(code)
