"""The SSH server (asyncssh): one connection, one identity; one session, one process in a pty.

Who is who: any public key is accepted, and the user is the SHA-256 fingerprint of the key that
completed authentication (asyncssh also asks about keys a client only offers, unsigned: those are
never an identity). A client without a key gets in through a keyboard-interactive round with no
prompts, as a guest. The SSH user name is logged, never trusted.

Nothing else gets in: no port, agent or X11 forwarding, no SFTP or SCP, no shell, and no command
beyond rules.COMMANDS. A session's environment is built from nothing (rules.session_env).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncssh

from aoad_tui.serve import memory, people
from aoad_tui.serve.host import Host
from aoad_tui.serve.hostkey import fingerprint
from aoad_tui.serve.lifetime import ENDINGS, GRACE, Lifetime
from aoad_tui.serve.limits import Gate, address_key
from aoad_tui.serve.log import log, log_failure, log_session
from aoad_tui.serve.options import ServeOptions
from aoad_tui.serve.pump import INPUT_BURST, Pump
from aoad_tui.serve.rules import BASE_ENV, USAGE, allowed_command, private_env, session_env
from aoad_tui.serve.session import SESSION_FAILED, SessionRequest
from aoad_tui.serve.spawn import ExecSpawner, ForkSpawner, SpawnError
from aoad_tui.serve.start_queue import StartQueue

# A session channel's receive window: what a client may send before the server has taken it. The
# window opens again only as keys are handed on, so a paused session holds at most this much: with
# asyncssh's 2 MiB default, eight flooding sessions grew the server by 135 MiB in a minute.
WINDOW = INPUT_BURST
MAX_ENV, MAX_ENV_BYTES = 64, 16 << 10  # environment a session may ask for (a terminal sends a handful)
MAX_TERM = 64  # characters of a terminal's name (TERM): the longest in terminfo has 37


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
            server = await asyncssh.create_server(
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
        except OSError as error:
            await self.spawner.stop()
            print(f"aoad-tui serve: cannot listen on port {options.port}: {error.strerror or error}", file=sys.stderr)
            return 1
        port = server.sockets[0].getsockname()[1] if server.sockets else options.port
        log("start", port=port, fingerprint=fingerprint(self.host_key), spawn=options.spawn, pid=os.getpid())
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(self.unhandled)
        watch = asyncio.ensure_future(self.watch_memory())
        for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            loop.add_signal_handler(number, self.stop)
        await self.stopping.wait()
        watch.cancel()
        self.draining = True
        server.close()
        log("drain", sessions=len(self.sessions))
        for session in list(self.sessions):
            session.end("restart")
        if self.sessions:
            await asyncio.wait([asyncio.ensure_future(s.finished.wait()) for s in self.sessions], timeout=GRACE + 10)
        for session in list(self.sessions):  # deaf to SIGTERM and SIGHUP (wedged): nothing outlives the server
            session.kill()
        await self.spawner.stop()
        log("stop")
        return 0


class Connection(asyncssh.SSHServer):
    """One client connection: its limits and its identity."""

    def __init__(self, service: Host) -> None:
        self.service = service
        self.conn: asyncssh.SSHServerConnection | None = None
        self.address = ""
        self.client = ""
        self.refusal: str | None = None
        self.offered_key: asyncssh.SSHKey | None = None
        self.method = ""
        self.user: str | None = None  # the key's user id; None for a guest
        self.key_fingerprint = ""
        self.name = ""  # the SSH user name: logged, never trusted
        self.authenticated = False
        self.counted = False  # whether it holds one of the places of connections logging in
        self.sessions: list[AppSession] = []
        self.watch: asyncio.TimerHandle | None = None
        self.alone_since = time.monotonic()  # when it last had no session
        self.connected_at = time.monotonic()

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername") or ("?", 0)
        self.address, self.client = address_key(str(peer[0])), f"{peer[0]}:{peer[1]}"
        gate = self.service.gate
        self.refusal = gate.connect(self.address)
        self.counted = self.refusal is None
        if gate.flooding(self.address):
            conn.abort()
            return
        if self.refusal is None and self.service.draining:
            self.refusal = "the server is restarting; connect again in a minute"
        self.watch = asyncio.get_running_loop().call_later(1.0, self.check)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.counted:
            self.service.gate.logged_in(self.address)
        self.service.gate.disconnect(self.address)
        if self.watch is not None:
            self.watch.cancel()

    def check(self) -> None:
        """Every second, and every tenth of one while it has sessions: a connection that opens no
        session, a session that never starts, or one that asks for more environment than a terminal
        sends (or any once it has started) is closed. asyncssh keeps every environment variable it
        is sent, whenever it is sent, and has no limit of its own."""
        limits = self.service.options.limits
        now = time.monotonic()
        if self.refusal is not None and not self.authenticated:  # refused, and sent nothing to be told by
            self.drop(self.refusal)
            return
        if not self.authenticated and now - self.connected_at > self.service.gate.login_grace():
            self.drop("did not log in in time")
            return
        self.forget_finished()
        for session in self.sessions:
            if too_much := session.env_refusal():
                self.drop(too_much)
                return
            if not session.started and now - session.lifetime.opened > limits.login_timeout:
                self.drop("a session never started")
                return
        if self.sessions:
            self.alone_since = now
        elif self.authenticated and now - self.alone_since > limits.login_timeout:
            self.drop("no session was opened")
            return
        self.watch = asyncio.get_running_loop().call_later(0.1 if self.sessions else 1.0, self.check)

    def drop(self, why: str) -> None:
        log("refused", client=self.client, name=self.name, reason=why)
        if self.conn is not None:
            self.conn.disconnect(asyncssh.DISC_BY_APPLICATION, f"aoad-tui: {why}")

    def begin_auth(self, username: str) -> bool:
        self.name = username[:64]
        if self.refusal is not None and self.conn is not None:
            log("refused", client=self.client, name=self.name, reason=self.refusal)
            # The client prints the reason: "Received disconnect from ...: aoad-tui: ..."
            self.conn.disconnect(asyncssh.DISC_TOO_MANY_CONNECTIONS, f"aoad-tui: {self.refusal}")
        return True

    def public_key_auth_supported(self) -> bool:
        return True

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        # Called for a key a client only offers as well as for a signed request: remembered, and
        # adopted only if this is what completes authentication.
        self.offered_key, self.method = key, "publickey"
        return True

    def kbdint_auth_supported(self) -> bool:
        return True

    def get_kbdint_challenge(self, username: str, lang: str, submethods: str) -> tuple[str, str, str, list[Any]]:
        self.offered_key, self.method = None, "keyboard-interactive"
        return ("", "", "", [])  # no prompts: a guest gets in

    def validate_kbdint_response(self, username: str, responses: Sequence[str]) -> bool:
        self.offered_key, self.method = None, "keyboard-interactive"
        return True

    def auth_completed(self) -> None:
        self.authenticated = True
        self.alone_since = time.monotonic()
        if self.counted:
            self.counted = False
            self.service.gate.logged_in(self.address)
        if self.method == "publickey" and self.offered_key is not None:
            self.key_fingerprint = fingerprint(self.offered_key)
            self.user = people.user_id(self.key_fingerprint)

    def forget_finished(self) -> None:
        self.sessions = [session for session in self.sessions if not session.lifetime.finished.is_set()]

    def session_requested(self) -> tuple[asyncssh.SSHServerChannel[bytes], AppSession] | bool:
        self.forget_finished()
        if self.conn is None or len(self.sessions) > self.service.options.limits.per_user:
            return False  # channels a client never uses
        session = AppSession(self.service, self)
        self.sessions.append(session)
        channel: asyncssh.SSHServerChannel[bytes] = self.conn.create_server_channel(
            encoding=None, window=WINDOW, max_pktsize=WINDOW
        )
        return channel, session


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

    def __init__(self, service: Host, connection: Connection) -> None:
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
