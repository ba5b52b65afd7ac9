"""One SSH session (asyncssh's callbacks): what the client asks for (a terminal, the app or a
command, an environment), checked; then the app or an allowed command run for it as every served
session runs (running.py: its pump, its lifetime, its log line). No command runs beyond
rules.COMMANDS, and a session's environment is built from nothing (rules.session_env)."""

from __future__ import annotations

import asyncio
from typing import Protocol

import asyncssh

from aoad_tui.serve.host import Host
from aoad_tui.serve.rules import USAGE, allowed_command
from aoad_tui.serve.running import ServedSession

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


class AppSession(ServedSession, asyncssh.SSHServerSession[bytes]):
    """One session: the app in a pty (or an allowed command), bridged to the SSH channel."""

    def __init__(self, service: Host, connection: Peer) -> None:
        self.ssh = SessionChannel()
        super().__init__(service, self.ssh, connection.client)
        self.connection = connection
        self.address, self.user = connection.address, connection.user
        self.name, self.key = connection.name, connection.key_fingerprint
        self.command: str | None = None
        self.started = False  # a shell or command was asked for (before that, the client only sets up)
        self.env_at_start: tuple[int, int] | None = None  # the environment's size when it started
        self.term_too_long = False

    # --- what the client asks for -----------------------------------------------------------------

    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self.ssh.chan = chan

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
        env = self.ssh.chan.get_environment_bytes() if self.ssh.chan is not None else {}
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
        argv = allowed_command(self.command) if self.command is not None else []
        self.lifetime.task = asyncio.ensure_future(self.run(argv or []))

    def data_received(self, data: bytes, datatype: object) -> None:
        self.lifetime.heard(data)
        self.pump.keys_received(data)

    def eof_received(self) -> bool:
        return True  # the client has nothing more to send (`ssh host search x </dev/null`): answer it still

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self.size = (width, height)
        self.pump.resize(width, height)

    def connection_lost(self, exc: Exception | None) -> None:
        self.gone = self.ssh.gone = True
        self.pump.close_outputs()  # the pty hangs up: the app's process gets SIGHUP
        self.lifetime.client_gone()

    def pause_writing(self) -> None:
        self.pump.pause()

    def resume_writing(self) -> None:
        self.pump.start()

    # --- the session, as SSH carries it (running.ServedSession) -----------------------------------

    def say(self, line: str) -> None:
        if self.ssh.writable():
            self.ssh.write_stderr(f"{self.line_start}aoad-tui: {line}\r\n".encode())
            self.line_start = ""

    def refusal(self, argv: list[str]) -> tuple[str, str] | None:
        if self.command is not None and not argv:
            return "refused:command", f"not allowed: {self.command[:80]!r}; the commands are: {USAGE}"
        if argv:
            return None
        if self.term_too_long:
            too_long = f"your terminal's name (TERM) is longer than {MAX_TERM} characters: set a shorter one"
            return "refused:term", too_long
        if self.term is None:
            return "refused:no-pty", f"the app needs a terminal: connect with ssh -t (or run one of: {USAGE})"
        return None

    def client_env(self) -> dict[str, str]:
        return dict(self.ssh.chan.get_environment()) if self.ssh.chan is not None else {}

    def served_as(self) -> dict[str, str]:
        """Where a code that links a browser to this key goes, when the server serves browsers."""
        return {"links": str(self.service.options.root)} if self.service.options.web is not None else {}

    def kind(self, argv: list[str]) -> str:
        return argv[0] if argv else "exec" if self.command is not None else "app"

    def closed(self, code: int) -> None:
        if self.ssh.chan is not None and not self.ssh.gone:
            self.ssh.chan.exit(code if code >= 0 else 128 - code)
