"""One SSH session (asyncssh's callbacks): what the client asks for (a terminal, the app or a
command, an environment), checked; then the app or an allowed command started for it, bridged to
its channel by a pump (pump.py), ended by its lifetime (lifetime.py), and said in one log line
(log.py). No command runs beyond rules.COMMANDS, and a session's environment is built from nothing
(rules.session_env)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from pathlib import Path
from typing import Protocol

import asyncssh

from aoad_tui.serve import people
from aoad_tui.serve.host import Host
from aoad_tui.serve.lifetime import ENDINGS, Lifetime
from aoad_tui.serve.log import log, log_failure, log_session
from aoad_tui.serve.pump import Pump
from aoad_tui.serve.rules import USAGE, allowed_command, private_env, session_env
from aoad_tui.serve.session import SESSION_FAILED, SessionRequest
from aoad_tui.serve.spawn import SpawnError

MAX_ENV, MAX_ENV_BYTES = 64, 16 << 10  # environment a session may ask for (a terminal sends a handful)
MAX_TERM = 64  # characters of a terminal's name (TERM): the longest in terminfo has 37


class Peer(Protocol):
    """The connection a session came on (connection.Connection), as far as the session asks."""

    client: str  # its address and port, for the log
    address: str  # whom the limits count (limits.address_key)
    user: str | None  # the key's user id; None for a guest
    key_fingerprint: str
    name: str  # the SSH user name: logged, never trusted

    def drop(self, why: str) -> None: ...


class SessionChannel:
    """The SSH channel as a session's pump sees it (pump.Channel): nothing once the client has gone."""

    def __init__(self) -> None:
        self.chan: asyncssh.SSHServerChannel[bytes] | None = None
        self.gone = False  # the client has gone

    def writable(self) -> bool:
        return self.chan is not None and not self.gone and not self.chan.is_closing()

    def write(self, data: bytes) -> None:
        if self.chan is not None:
            self.chan.write(data)

    def write_stderr(self, data: bytes) -> None:
        if self.chan is not None:
            self.chan.write_stderr(data)

    def pause_reading(self) -> None:
        if self.chan is not None:
            self.chan.pause_reading()

    def resume_reading(self) -> None:
        if self.chan is not None and not self.gone:
            self.chan.resume_reading()


class AppSession(asyncssh.SSHServerSession[bytes]):
    """One session: the app in a pty (or an allowed command), bridged to the SSH channel."""

    def __init__(self, service: Host, connection: Peer) -> None:
        self.service = service
        self.connection = connection
        self.channel = SessionChannel()
        self.lifetime = Lifetime(service.options.limits, connection.client)
        self.pump = Pump(self.channel, self.lifetime.lower_priority)
        self.term: str | None = None
        self.size = (80, 24)
        self.command: str | None = None
        self.line_start = ""  # what a line from the server starts with (after the app: a new line)
        self.started = False  # a shell or command was asked for (before that, the client only sets up)
        self.guest_dir: Path | None = None
        self.env_at_start: tuple[int, int] | None = None  # the environment's size when it started
        self.term_too_long = False

    # --- what the client asks for -----------------------------------------------------------------

    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self.channel.chan = chan

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int], term_modes: object) -> bool:
        if len(term_type) > MAX_TERM:  # accepted, to say why in a line (a refused pty closes the channel)
            self.term_too_long = True
            return True
        self.term = term_type
        self.pump.newlines = True
        self.size = (term_size[0] or 80, term_size[1] or 24)
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        self.command = command
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        return False  # no SFTP

    def env_size(self) -> tuple[int, int]:
        """The environment the client has sent so far: variables and bytes. asyncssh's bytes view
        is live (get_environment() is a copy made once, at its first call)."""
        env = self.channel.chan.get_environment_bytes() if self.channel.chan is not None else {}
        return len(env), sum(len(name) + len(value) for name, value in env.items())

    def env_refusal(self) -> str | None:
        """Why this session's environment is refused: more than a terminal sends, or any sent
        after the session started (no client needs to)."""
        count, size = self.env_size()
        if self.env_at_start is not None and (count, size) != self.env_at_start:
            return f"environment: sent after the session started ({count} variables, {size} bytes)"
        if count > MAX_ENV or size > MAX_ENV_BYTES:
            return f"environment: {count} variables, {size} bytes (at most {MAX_ENV}, {MAX_ENV_BYTES})"
        return None

    def session_started(self) -> None:
        self.started = True
        if (refusal := self.env_refusal()) is not None:
            self.connection.drop(refusal)
            return
        self.env_at_start = self.env_size()
        self.service.sessions.add(self.lifetime)
        self.lifetime.task = asyncio.ensure_future(self.run())

    def data_received(self, data: bytes, datatype: object) -> None:
        self.lifetime.heard(data)
        self.pump.keys_received(data)

    def eof_received(self) -> bool:
        return True  # the client has nothing more to send (`ssh host search x </dev/null`): answer it still

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self.size = (width, height)
        self.pump.resize(width, height)

    def connection_lost(self, exc: Exception | None) -> None:
        self.channel.gone = True
        self.pump.close_outputs()  # the pty hangs up: the app's process gets SIGHUP
        self.lifetime.client_gone()

    def pause_writing(self) -> None:
        self.pump.pause()

    def resume_writing(self) -> None:
        self.pump.start()

    # --- the session ------------------------------------------------------------------------------

    def say(self, line: str) -> None:
        """A line on the user's terminal (the app is not on it, or no more)."""
        if self.channel.writable():
            self.channel.write_stderr(f"{self.line_start}aoad-tui: {line}\r\n".encode())
            self.line_start = ""

    async def run(self) -> None:
        connection, service, lifetime = self.connection, self.service, self.lifetime
        end, code = "quit", 0
        user = connection.user or f"guest@{connection.address}"
        argv: list[str] = []
        try:
            if self.command is not None:
                found = allowed_command(self.command)
                if found is None:
                    self.say(f"not allowed: {self.command[:80]!r}; the commands are: {USAGE}")
                    end, code = "refused:command", 1
                    return
                argv = found
            elif self.term_too_long:
                self.say(f"your terminal's name (TERM) is longer than {MAX_TERM} characters: set a shorter one")
                end, code = "refused:term", 1
                return
            elif self.term is None:
                self.say(f"the app needs a terminal: connect with ssh -t (or run one of: {USAGE})")
                end, code = "refused:no-pty", 1
                return
            if service.draining:
                self.say(ENDINGS["restart"])
                end, code = "refused:restart", 1
                return
            if service.out_of_memory():
                self.say("the server's memory is all in use; try again in a few minutes")
                end, code = "refused:memory", 1
                return
            refusal = service.gate.open_session(user, connection.address)
            if refusal is not None:
                self.say(refusal)
                end, code = "refused:limit", 1
                return
            try:
                code = await self.start_and_wait(argv)
                end = lifetime.ending or ("client-gone" if self.channel.gone else "quit" if code >= 0 else "killed")
                if code == SESSION_FAILED:  # its traceback is in the file (session.run_guarded)
                    end = "error"
                    where = service.options.tracebacks
                    log("error", client=connection.client, error="the session failed", traceback=where)
            finally:
                service.gate.close_session(user, connection.address)
        except asyncio.CancelledError:  # ended while waiting its turn, by the client or the server
            end, code = (lifetime.ending, 1) if lifetime.ending else ("client-gone", 0)
        except people.UnsafeDirectory as error:
            self.say("your data on this server cannot be used safely; the server's log says why")
            log("error", client=connection.client, error=str(error))
            end, code = "refused:data", 1
        except SpawnError as error:
            self.say("the server could not start a session; try again in a minute")
            log("error", client=connection.client, error=str(error))
            end, code = "error", 1
        except Exception as error:  # the session ends with a line and a log entry, never silently
            self.say("this session failed; the server's log says why")
            log_failure(service.options.tracebacks, "error", error, client=connection.client)
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
            if self.channel.gone or self.lifetime.ending:
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
        connection = self.connection
        if connection.user is None:
            self.guest_dir = people.guest_dir(self.service.options.root)
            data = self.guest_dir
        else:
            data = people.user_dir(self.service.options.root, connection.user)
        client_env = dict(self.channel.chan.get_environment()) if self.channel.chan is not None else {}
        private = private_env(data, self.service.options.seeds, self.service.options.cache)
        env = session_env(client_env, self.term, truecolor=self.service.options.truecolor, private=private)
        lead = int(self.service.options.limits.warning)
        return SessionRequest(
            str(data),
            env,
            argv,
            guest=connection.user is None,
            name=connection.name,
            key=connection.key_fingerprint,
            warning=f"This session ends in {lead} seconds unless you press a key.",
            length_warning=f"This session reaches its time limit in {lead} seconds: connect again to go on.",
            memory=self.service.options.limits.memory,
            tracebacks=str(self.service.options.tracebacks),
        )

    def finish(self, end: str, code: int, argv: list[str]) -> None:
        connection = self.connection
        if self.guest_dir is not None:
            people.forget_guest(self.guest_dir)
        log_session(
            client=connection.client,
            user=connection.user,
            name=connection.name,
            kind=argv[0] if argv else "exec" if self.command is not None else "app",
            term=self.term,
            size=self.size,
            duration=time.monotonic() - self.lifetime.opened,
            end=end,
            code=code,
        )
        self.service.sessions.discard(self.lifetime)
        self.lifetime.finished.set()
        if self.channel.chan is not None and not self.channel.gone:
            self.channel.chan.exit(code if code >= 0 else 128 - code)
