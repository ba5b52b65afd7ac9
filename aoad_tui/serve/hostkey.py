"""The server's host key: made once (ed25519, mode 0600) and then always the same one, so that
clients that trust it keep trusting it. A key that exists but cannot be read stops the server:
making a new one would have every client warn of a changed host key."""

from __future__ import annotations

import os
from pathlib import Path

import asyncssh

from aoad_tui.model.files import fsync_directory


class HostKeyError(Exception):
    """The host key exists but cannot be used (the message says what to do)."""


def load_or_create(path: Path) -> asyncssh.SSHKey:
    if os.path.lexists(path):
        try:
            return asyncssh.read_private_key(path)
        except (OSError, ValueError, asyncssh.KeyImportError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            raise HostKeyError(
                f"cannot read the host key {path}: {reason}. Not starting: a new key would make every "
                "client warn that the host key changed. Fix its permissions, or move it away to make a new one."
            ) from None
    key = asyncssh.generate_private_key("ssh-ed25519")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(key.export_private_key())
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)
    return key


def fingerprint(key: asyncssh.SSHKey) -> str:
    """SHA256:..., as `ssh-keygen -lf` and OpenSSH's first-connection prompt show it."""
    return key.get_fingerprint("sha256")
