"""The server's host key (serve/hostkey.py), and who a connection is (connection.Connection's
authentication callbacks, called as asyncssh calls them, without a network)."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import asyncssh
import pytest

from aoad_tui.serve import people
from aoad_tui.serve.connection import WINDOW, Connection
from aoad_tui.serve.hostkey import HostKeyError, fingerprint, load_or_create
from aoad_tui.serve.limits import Gate, Limits

# --- the host key -------------------------------------------------------------------------------


def test_a_new_host_key_is_ed25519_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "serve" / "ssh_host_ed25519_key"
    key = load_or_create(path)
    assert key.get_algorithm() == "ssh-ed25519"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert fingerprint(asyncssh.read_private_key(path)) == fingerprint(key)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_the_host_key_is_made_once_and_then_always_the_same(tmp_path: Path) -> None:
    path = tmp_path / "ssh_host_ed25519_key"
    first = load_or_create(path)
    written = path.read_bytes()
    second = load_or_create(path)
    assert fingerprint(second) == fingerprint(first)
    assert path.read_bytes() == written
    assert fingerprint(load_or_create(tmp_path / "another")) != fingerprint(first)


def test_a_fingerprint_is_sha256_as_openssh_shows_it(tmp_path: Path) -> None:
    key = load_or_create(tmp_path / "key")
    text = fingerprint(key)
    assert text.startswith("SHA256:")
    assert len(text.removeprefix("SHA256:")) == 43  # unpadded base64 of 32 bytes
    assert fingerprint(key.convert_to_public()) == text


def untouched(path: Path) -> tuple[bytes, int, int]:
    info = path.stat()
    return path.read_bytes(), info.st_mtime_ns, stat.S_IMODE(info.st_mode)


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\xffnot a key at all\n",
        b"",
        b"-----BEGIN OPENSSH PRIVATE KEY-----\ngarbage\n-----END OPENSSH PRIVATE KEY-----\n",
    ],
    ids=["garbage", "empty", "garbled-pem"],
)
def test_a_host_key_that_cannot_be_read_stops_the_server_and_is_left_alone(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "ssh_host_ed25519_key"
    path.write_bytes(content)
    path.chmod(0o600)
    before = untouched(path)
    with pytest.raises(HostKeyError) as raised:
        load_or_create(path)
    assert str(path) in str(raised.value)
    assert untouched(path) == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_a_host_key_without_read_permission_stops_the_server_and_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "ssh_host_ed25519_key"
    load_or_create(path)
    path.chmod(0)
    try:
        before = path.stat().st_mtime_ns
        with pytest.raises(HostKeyError):
            load_or_create(path)
        assert path.stat().st_mtime_ns == before and stat.S_IMODE(path.stat().st_mode) == 0
    finally:
        path.chmod(0o600)


def test_a_dangling_link_where_the_host_key_should_be_stops_the_server(tmp_path: Path) -> None:
    path = tmp_path / "ssh_host_ed25519_key"
    path.symlink_to(tmp_path / "moved-away")
    with pytest.raises(HostKeyError):
        load_or_create(path)
    assert path.is_symlink() and not (tmp_path / "moved-away").exists()


# --- who a connection is ------------------------------------------------------------------------


def never_drop() -> float:
    """A random draw that is never under limits.Gate.early_drop: these tests count places exactly."""
    return 1.0


@dataclass
class StandInOptions:
    limits: Limits = field(default_factory=Limits)


@dataclass
class StandInService:
    """What a Connection asks of the running server."""

    gate: Gate = field(default_factory=lambda: Gate(Limits(), random=never_drop))
    draining: bool = False
    options: StandInOptions = field(init=False)

    def __post_init__(self) -> None:
        self.options = StandInOptions(self.gate.limits)


@dataclass
class StandInConnection:
    """The asyncssh connection, as far as a Connection uses it."""

    peer: tuple[str, int] = ("192.0.2.7", 50123)
    disconnected: list[tuple[int, str]] = field(default_factory=list)
    aborted: bool = False

    def get_extra_info(self, name: str, default: object = None) -> object:
        return self.peer if name == "peername" else default

    def disconnect(self, code: int, reason: str) -> None:
        self.disconnected.append((code, reason))

    def abort(self) -> None:
        self.aborted = True

    def create_server_channel(self, encoding: str | None = "", window: int = 0, max_pktsize: int = 0) -> object:
        return ("channel", encoding, window, max_pktsize)


def new_key() -> asyncssh.SSHKey:
    return asyncssh.generate_private_key("ssh-ed25519")


def public(key: asyncssh.SSHKey) -> asyncssh.SSHKey:
    return key.convert_to_public()


def connected(
    service: StandInService | None = None, peer: tuple[str, int] = ("192.0.2.7", 50123)
) -> tuple[Connection, StandInConnection]:
    """A Connection as asyncssh makes it (in a running loop: it watches itself every second)."""
    connection = Connection(service or StandInService())  # type: ignore[arg-type]
    conn = StandInConnection(peer)
    connection.connection_made(conn)  # type: ignore[arg-type]
    assert connection.begin_auth("anyone") is True
    return connection, conn


async def test_the_key_that_completes_authentication_is_the_user() -> None:
    key = new_key()
    connection, _ = connected()
    assert connection.public_key_auth_supported()
    assert connection.validate_public_key("anyone", public(key)) is True
    connection.auth_completed()
    assert connection.user == people.user_id(fingerprint(key))


async def test_of_several_keys_offered_the_last_one_checked_is_the_user() -> None:
    probed, signed = new_key(), new_key()
    connection, _ = connected()
    connection.validate_public_key("anyone", public(probed))  # offered, not signed
    connection.validate_public_key("anyone", public(signed))  # the one that signs
    connection.auth_completed()
    assert connection.user == people.user_id(fingerprint(signed))
    assert connection.user != people.user_id(fingerprint(probed))


async def test_a_key_only_offered_before_keyboard_interactive_is_never_an_identity() -> None:
    key = new_key()  # someone else's public key: anybody can offer it
    connection, _ = connected()
    connection.validate_public_key("anyone", public(key))
    assert connection.kbdint_auth_supported()
    challenge = connection.get_kbdint_challenge("anyone", "", "")
    assert isinstance(challenge, tuple) and list(challenge[3]) == []  # no prompts
    assert connection.validate_kbdint_response("anyone", []) is True
    connection.auth_completed()
    assert connection.user is None  # a guest


async def test_a_key_offered_after_the_challenge_and_before_the_answer_is_no_identity_either() -> None:
    connection, _ = connected()
    connection.get_kbdint_challenge("anyone", "", "")
    connection.validate_public_key("anyone", public(new_key()))
    connection.validate_kbdint_response("anyone", [])
    connection.auth_completed()
    assert connection.user is None


async def test_the_ssh_user_name_is_no_identity() -> None:
    key = new_key()
    users = []
    for name in ("alice", "root"):
        connection = Connection(StandInService())  # type: ignore[arg-type]
        connection.connection_made(StandInConnection())  # type: ignore[arg-type]
        connection.begin_auth(name)
        connection.validate_public_key(name, public(key))
        connection.auth_completed()
        users.append(connection.user)
    assert users[0] == users[1] == people.user_id(fingerprint(key))


async def test_logging_in_frees_a_login_place_once() -> None:
    service = StandInService(gate=Gate(Limits(unauthenticated=1), random=never_drop))
    connection, _ = connected(service)
    assert service.gate.logging_in == 1
    connection.validate_public_key("anyone", public(new_key()))
    connection.auth_completed()
    assert service.gate.logging_in == 0
    _, second = connected(service)  # the place is free for the next one, still logging in
    assert second.disconnected == []
    connection.connection_lost(None)  # the first goes: the second still holds the place
    assert service.gate.logging_in == 1
    _, third = connected(service)
    assert len(third.disconnected) == 1


async def test_a_connection_that_goes_while_logging_in_frees_its_place() -> None:
    service = StandInService(gate=Gate(Limits(unauthenticated=1), random=never_drop))
    connection, _ = connected(service)
    connection.connection_lost(None)
    assert service.gate.logging_in == 0
    assert not service.gate.connections
    assert connected(service)[1].disconnected == []  # the next one gets in


async def test_a_connection_over_a_limit_is_told_why_and_disconnected() -> None:
    service = StandInService(gate=Gate(Limits(per_address=1), random=never_drop))
    _, first_conn = connected(service)
    _, second_conn = connected(service)
    assert first_conn.disconnected == []
    assert len(second_conn.disconnected) == 1
    _code, reason = second_conn.disconnected[0]
    assert reason.strip() and "1" in reason


async def test_a_draining_server_turns_new_connections_away() -> None:
    service = StandInService(draining=True)
    _, conn = connected(service)
    assert len(conn.disconnected) == 1 and conn.disconnected[0][1].strip()


async def test_a_refused_connection_holds_no_login_place_and_frees_none_when_it_goes() -> None:
    service = StandInService(gate=Gate(Limits(unauthenticated=2, per_address=1), random=never_drop))
    _, first = connected(service)
    refused, second = connected(service)  # the same address: over its limit
    assert first.disconnected == [] and len(second.disconnected) == 1
    assert service.gate.logging_in == 1  # only the first logs in
    refused.connection_lost(None)
    assert service.gate.logging_in == 1  # the first still holds its place
    _, other = connected(service, ("198.51.100.1", 40000))
    assert other.disconnected == []
    _, third = connected(service, ("198.51.100.2", 40000))
    assert len(third.disconnected) == 1  # both places are taken


async def test_an_address_flooding_the_server_is_dropped_without_a_word() -> None:
    service = StandInService(gate=Gate(Limits(per_address=1), random=never_drop))
    conns = [connected(service)[1] for _ in range(4)]
    assert not any(conn.aborted for conn in conns)  # over the limit: told why
    connection = Connection(service)  # type: ignore[arg-type]
    flood = StandInConnection()
    connection.connection_made(flood)  # type: ignore[arg-type]
    assert flood.aborted
    connection.connection_lost(None)  # asyncssh says it went: it is counted out again
    assert service.gate.connections["192.0.2.7"] == 4


async def test_ipv6_addresses_of_one_64_block_are_one_address_to_the_limits() -> None:
    service = StandInService(gate=Gate(Limits(per_address=1), random=never_drop))
    _, first = connected(service, ("2001:db8:1:2::1", 1))
    _, same_block = connected(service, ("2001:db8:1:2:ffff::9", 2))
    _, other_block = connected(service, ("2001:db8:1:3::1", 3))
    assert first.disconnected == [] and other_block.disconnected == []
    assert len(same_block.disconnected) == 1


async def test_a_connection_gets_no_more_channels_than_a_user_s_sessions_and_one() -> None:
    service = StandInService(gate=Gate(Limits(per_user=2), random=never_drop))
    connection, _ = connected(service)
    connection.auth_completed()
    opened = [connection.session_requested() for _ in range(5)]
    assert [session is not False for session in opened] == [True, True, True, False, False]
    assert all(isinstance(pair, tuple) and pair[0] == ("channel", None, WINDOW, WINDOW) for pair in opened[:3])
    first = opened[0]
    assert isinstance(first, tuple)
    first[1].lifetime.finished.set()  # one ends: its place is free
    assert connection.session_requested() is not False
    assert connection.session_requested() is False
    connection.connection_lost(None)
