"""Bookmarks kept in bookmarks.json, never lost.

Every change is an operation applied under a lock to a fresh read of the file, then written
atomically (temporary file, fsync, os.replace, fsync of the directory), so that instances running
at once merge their changes. A corrupt or unreadable file is moved aside, never deleted; a file
from a newer version is left alone and bookmarks become read-only. When saving fails (read-only
directory, full disk), the change is kept in memory and retried with the next one.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; each write is still atomic.
    fcntl = None  # type: ignore[assignment]

VERSION = 1
FILE_NAME = "bookmarks.json"
KINDS = frozenset({"show", "fact", "person", "quote", "rumor", "source"})
MAX_NOTE = 500


def utc_now() -> str:
    """The current time as ISO 8601 UTC, to the second: 2026-11-23T21:07:06Z."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class Bookmark:
    kind: str
    id: str
    added: str
    note: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.id)

    def as_json(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id, "added": self.added, "note": self.note}


Operation = Callable[[list[Bookmark]], list[Bookmark]]


class NewerVersionError(Exception):
    """The file was written by a newer aoad-tui: it is left untouched."""

    def __init__(self, message: str, readable: list[Bookmark]) -> None:
        super().__init__(message)
        self.readable = readable


class CorruptFileError(Exception):
    """The file cannot be read as bookmarks; `salvaged` holds the bookmarks that could be."""

    def __init__(self, reason: str, salvaged: list[Bookmark]) -> None:
        super().__init__(reason)
        self.reason = reason
        self.salvaged = salvaged


def parse_bookmarks(data: bytes) -> list[Bookmark]:
    """Read the file's bytes; raise CorruptFileError or NewerVersionError."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise CorruptFileError(f"not valid JSON ({type(error).__name__})", []) from None
    if not isinstance(document, dict):
        raise CorruptFileError("not a bookmarks file (expected a JSON object)", [])
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise CorruptFileError("no version number", [])
    items = document.get("bookmarks")
    if version > VERSION:
        # Shown read-only, as far as the known fields can be read; never written back.
        readable = [b for b in map(_bookmark, items if isinstance(items, list) else []) if b is not None]
        message = f"bookmarks.json is version {version}; this aoad-tui knows version {VERSION}"
        raise NewerVersionError(message, readable)
    if not isinstance(items, list):
        raise CorruptFileError("no list of bookmarks", [])
    bookmarks: dict[tuple[str, str], Bookmark] = {}
    bad = 0
    for item in items:
        bookmark = _bookmark(item)
        if bookmark is None:
            bad += 1
        else:
            bookmarks.setdefault(bookmark.key, bookmark)
    if bad or version < 1:
        raise CorruptFileError(f"{bad} bookmark(s) could not be read", list(bookmarks.values()))
    return list(bookmarks.values())


def _bookmark(item: object) -> Bookmark | None:
    if not isinstance(item, dict):
        return None
    kind, entry_id, added, note = item.get("kind"), item.get("id"), item.get("added"), item.get("note", "")
    if not isinstance(kind, str) or kind not in KINDS:
        return None
    if not isinstance(entry_id, str) or not entry_id or not isinstance(added, str):
        return None
    if note is None:
        note = ""
    return Bookmark(kind, entry_id, added, note) if isinstance(note, str) else None


def serialize(bookmarks: list[Bookmark]) -> bytes:
    document = {"version": VERSION, "bookmarks": [b.as_json() for b in bookmarks]}
    # One bookmark a line: readable, and without `indent`, which makes json encode in pure Python.
    lines = ",\n".join(json.dumps(b.as_json(), ensure_ascii=False) for b in bookmarks)
    body = f"[\n{lines}\n]" if bookmarks else "[]"
    return f'{{"version": {document["version"]}, "bookmarks": {body}}}\n'.encode()


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, fsync it, replace `path`, fsync the directory."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # some systems cannot open a directory; the replace itself is still atomic
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # not supported for directories here: nothing more can be done
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on `path` (created if needed) while the block runs."""
    if fcntl is None:
        yield
        return
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def describe(error: OSError) -> str:
    """An OSError in a few words a user understands."""
    if error.errno == errno.ENOSPC:
        return "the disk is full"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if error.errno == errno.EROFS:
        return "the file system is read-only"
    return error.strerror or str(error)


class BookmarkStore:
    """The bookmarks of one data directory, as this instance last saw them."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / FILE_NAME
        self.lock_path = directory / f"{FILE_NAME}.lock"
        self.bookmarks: list[Bookmark] = []
        self.read_only = ""  # why bookmarks cannot be changed, if they cannot
        self.unsaved: list[Operation] = []  # changes kept in memory until a save succeeds
        self.messages: list[str] = []  # what the user must be told, oldest first

    # --- reading -------------------------------------------------------------------------------

    def load(self) -> list[Bookmark]:
        """Read the file at start; a bad file is moved aside and reported in `messages`."""
        try:
            self.bookmarks = self._read_locked()
        except NewerVersionError as error:
            self.bookmarks = error.readable
            self.read_only = f"{error}: bookmarks are read-only"
            self.messages.append(self.read_only)
        except OSError as error:
            self.messages.append(f"Cannot read bookmarks ({describe(error)}): changes are kept until they can be saved")
        return self.bookmarks

    def _read_locked(self) -> list[Bookmark]:
        """`_read` under the lock, so that no other instance is moving or replacing the file meanwhile;
        without it where the lock cannot be taken (a read-only directory)."""
        with contextlib.ExitStack() as stack:
            with contextlib.suppress(OSError):  # no lock file can be made: read without it
                stack.enter_context(file_lock(self.lock_path))
            return self._read()

    def _read(self) -> list[Bookmark]:
        """The bookmarks on disk; a corrupt file is moved aside (its salvage returned)."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return []
        except PermissionError as error:
            self._move_aside(f"unreadable ({describe(error)})")
            return []
        try:
            return parse_bookmarks(data)
        except CorruptFileError as error:
            self._move_aside(error.reason)
            if error.salvaged:  # what could be read is saved again at once, not only kept in memory
                try:
                    write_atomically(self.path, serialize(error.salvaged))
                except OSError as write_error:
                    self.messages.append(f"The readable bookmarks could not be saved again ({describe(write_error)})")
            return error.salvaged

    def _move_aside(self, reason: str) -> None:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
        aside = self.path.with_name(f"{FILE_NAME}.corrupt-{stamp}")
        os.replace(self.path, aside)  # an OSError here leaves the file where it is, untouched
        _fsync_directory(self.directory)
        self.messages.append(f"bookmarks.json was {reason}: it was moved aside to {aside.name}")

    # --- changing ------------------------------------------------------------------------------

    def contains(self, kind: str, entry_id: str) -> bool:
        return any(b.kind == kind and b.id == entry_id for b in self.bookmarks)

    def find(self, kind: str, entry_id: str) -> Bookmark | None:
        return next((b for b in self.bookmarks if b.kind == kind and b.id == entry_id), None)

    def toggle(self, kind: str, entry_id: str) -> bool:
        """Bookmark an entry, or remove its bookmark; True if it is now bookmarked."""
        if self.contains(kind, entry_id):
            self.remove(kind, entry_id)
            return False
        self.add(Bookmark(kind, entry_id, utc_now()))
        return True

    def add(self, bookmark: Bookmark) -> None:
        """Add a bookmark (or put back a removed one, with its date and note)."""

        def operation(bookmarks: list[Bookmark]) -> list[Bookmark]:
            if any(b.key == bookmark.key for b in bookmarks):
                return bookmarks
            return [*bookmarks, bookmark]

        self.apply(operation)

    def remove(self, kind: str, entry_id: str) -> Bookmark | None:
        """Remove a bookmark; the removed one is returned so it can be put back."""
        removed = self.find(kind, entry_id)
        self.apply(lambda bookmarks: [b for b in bookmarks if b.key != (kind, entry_id)])
        return removed

    def set_note(self, kind: str, entry_id: str, note: str) -> None:
        note = note.strip()[:MAX_NOTE]
        self.apply(lambda bookmarks: [replace(b, note=note) if b.key == (kind, entry_id) else b for b in bookmarks])

    def apply(self, operation: Operation) -> None:
        """Apply a change now in memory, and on disk under the lock, merged with other instances."""
        if self.read_only:
            raise PermissionError(self.read_only)
        self.unsaved.append(operation)
        self.bookmarks = operation(self.bookmarks)
        self.save()

    def save(self) -> bool:
        """Write the unsaved changes; False (with a message) if they stay in memory for now."""
        if not self.unsaved:
            return True
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with file_lock(self.lock_path):
                merged = self._read()
                for operation in self.unsaved:
                    merged = operation(merged)
                write_atomically(self.path, serialize(merged))
                self._remove_stale_temporaries()
        except NewerVersionError as error:
            self.read_only = f"{error}: bookmarks are read-only"
            self.messages.append(self.read_only)
            return False
        except OSError as error:
            self.messages.append(
                f"Bookmarks not saved ({describe(error)}): kept for this session, saving is retried on the next change"
            )
            return False
        self.unsaved.clear()
        self.bookmarks = merged
        return True

    def _remove_stale_temporaries(self) -> None:
        """Temporary files left by an instance killed mid-write (none can be in use: we hold the lock)."""
        for stale in self.directory.glob(f".{FILE_NAME}.*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()

    def take_messages(self) -> list[str]:
        messages, self.messages = self.messages, []
        return messages
