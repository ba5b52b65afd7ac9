"""One SSH connection (asyncssh's callbacks): its limits, and who it is.

Who is who: any public key is accepted, and the user is the SHA-256 fingerprint of the key that
completed authentication (asyncssh also asks about keys a client only offers, unsigned: those are
never an identity). A client without a key gets in through a keyboard-interactive round with no
prompts, as a guest. The SSH user name is logged, never trusted.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

import asyncssh

from aoad_tui.serve import people
from aoad_tui.serve.host import Host
from aoad_tui.serve.hostkey import fingerprint
from aoad_tui.serve.limits import address_key
from aoad_tui.serve.log import log
from aoad_tui.serve.pump import INPUT_BURST
from aoad_tui.serve.ssh_session import AppSession

# A session channel's receive window: what a client may send before the server has taken it. The
# window opens again only as keys are handed on, so a paused session holds at most this much: with
# asyncssh's 2 MiB default, eight flooding sessions grew the server by 135 MiB in a minute.
WINDOW = INPUT_BURST


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
