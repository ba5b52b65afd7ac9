"""Where each user's data lives on the server: a user is the SHA-256 fingerprint of the SSH key they
authenticated with, and their directory is named by a hash of it (the fingerprint itself is not
written anywhere). A guest, without a key, gets a directory for the session only."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

USERS = "users"
GUESTS = "guests"


def user_id(fingerprint: str) -> str:
    """A short, stable name for a key's fingerprint: what the log and the directories show."""
    return hashlib.blake2b(fingerprint.encode(), digest_size=12, person=b"aoad-tui user").hexdigest()


class UnsafeDirectory(Exception):
    """A user's directory, or users/, is a symlink, not a directory, or not the server's own."""


def user_dir(root: Path, user: str) -> Path:
    """The user's directory, made (mode 0700) if it is new. Never through a symlink: users/ and
    the user's own directory must be real directories of the server's account."""
    path = root / USERS / user
    for directory in (path.parent, path):
        with contextlib.suppress(FileExistsError):
            os.mkdir(directory, 0o700)
        found = os.lstat(directory)
        if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.geteuid():
            kind = "a symlink" if stat.S_ISLNK(found.st_mode) else "not a directory of this account"
            raise UnsafeDirectory(f"{directory} is {kind}: move it away")
    return path


def guest_dir(root: Path) -> Path:
    """A new directory for one guest session (removed when it ends, by `forget_guest`)."""
    parent = root / GUESTS
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="guest-", dir=parent))


def forget_guest(directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)


def clear_guests(root: Path) -> None:
    """What guests of an earlier run left behind (a server that was killed): nobody can reach it."""
    shutil.rmtree(root / GUESTS, ignore_errors=True)
