"""Where each user's data lives on the server: a user is the SHA-256 fingerprint of the SSH key they
authenticated with, and their directory is named by a hash of it (the fingerprint itself is not
written anywhere). A guest, without a key, gets a directory for the session only."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

USERS = "users"
GUESTS = "guests"


def user_id(fingerprint: str) -> str:
    """A short, stable name for a key's fingerprint: what the log and the directories show."""
    return hashlib.blake2b(fingerprint.encode(), digest_size=12, person=b"aoad-tui user").hexdigest()


def user_dir(root: Path, user: str) -> Path:
    return root / USERS / user


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
