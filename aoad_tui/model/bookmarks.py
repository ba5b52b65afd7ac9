"""Bookmarks kept in bookmarks.json, never lost.

Every change is an operation applied under a lock to a fresh read of the file, then written
atomically (temporary file, fsync, os.replace, fsync of the directory), so that instances running
at once merge their changes. Every field is checked on read, as the seeds are: a file that cannot
be used as it is (bad JSON, a bad or over-long field, too many bookmarks) is repaired: what could
be read of it is written first, then takes the file's place, the file kept beside it (never
deleted). When that cannot be written (a full disk), the file stays as it is, what could be read
is shown, and each run says so until the repair gets through.
A file from a newer version is left alone and bookmarks become read-only; one this user cannot
read, or something that is not a file (a FIFO, a directory), is left alone too, named in a message,
and changes are kept for the session. A symlinked file is written through its link. When saving
fails (read-only directory, full disk), the change is kept in memory and retried with the next one.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from aoad_tui.model.files import (
    NotAFileError,
    describe,
    file_lock,
    make_directory,
    read_regular_file,
    replace_keeping_aside,
    write_atomically,
)
from aoad_tui.model.inert import UNSAFE
from aoad_tui.model.vocabulary import TARGETS

VERSION = 1
FILE_NAME = "bookmarks.json"
KINDS = frozenset(TARGETS)  # what a bookmark can be of
# Limits: what is over them is reported and kept aside (in the moved-aside file), never dropped.
MAX_NOTE = 500  # characters of a note
MAX_ID = 200  # characters of an id
MAX_BOOKMARKS = 10_000
MAX_FILE_BYTES = 16 * 1024 * 1024
_ADDED = re.compile(r"\A\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\Z")
_ONE_LINE = str.maketrans(dict.fromkeys("\t\n\v\f\r\x85\u2028\u2029", " "))
_SURROGATE = re.compile("[\ud800-\udfff]")
# An object with no object or list in it, as every bookmark is (its strings may hold brackets):
# what is salvaged from a file that is not valid JSON. The quantifiers are possessive, so a try
# that fails never backtracks and a search is linear in the file's size, however it is nested.
_FLAT_OBJECT = re.compile(r'\{(?:[^{}\[\]"]++|"(?:[^"\\\n]++|\\.)*+")*+\}')


def open_store(directory: Path) -> BookmarkStore:
    """The bookmarks of a data directory, read (a bad file moved aside, its messages waiting in the
    store): the one way the app and the command line open them."""
    store = BookmarkStore(directory)
    store.load()
    return store


def utc_now() -> str:
    """The current time as ISO 8601 UTC, to the second: 2026-11-23T21:07:06Z."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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


class BookmarkRefused(Exception):
    """A change the store will not make; the message says why, for the user."""


class ReadOnlyBookmarks(BookmarkRefused, PermissionError):
    """Bookmarks cannot be changed: the file was written by a newer aoad-tui (the message says so)."""


class TooManyBookmarks(BookmarkRefused):
    """One more bookmark would make a file the next start refuses (MAX_BOOKMARKS)."""


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
    """Read the file's bytes; raise CorruptFileError (with what could be read) or NewerVersionError."""
    if len(data) > MAX_FILE_BYTES:
        raise CorruptFileError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB", [])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CorruptFileError("not UTF-8 text", []) from None
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        salvaged, _ = _read_items(_objects_in(text))
        raise CorruptFileError("not valid JSON", salvaged) from None
    if not isinstance(document, dict):
        raise CorruptFileError("not a bookmarks file (expected a JSON object)", [])
    version, items = document.get("version"), document.get("bookmarks")
    # 1.0 is 1: a hand edit or another JSON writer may write it so.
    if isinstance(version, float) and version.is_integer():
        version = int(version)
    if not isinstance(version, int) or isinstance(version, bool):
        salvaged, _ = _read_items(items if isinstance(items, list) else [])
        raise CorruptFileError("without a version number", salvaged)
    if version > VERSION:
        # Shown read-only, as far as the known fields can be read; never written back.
        readable, _ = _read_items(items if isinstance(items, list) else [])
        message = f"bookmarks.json is version {version}; this aoad-tui knows version {VERSION}"
        raise NewerVersionError(message, readable)
    if not isinstance(items, list):
        raise CorruptFileError("without a list of bookmarks", [])
    bookmarks, problems = _read_items(items)
    if problems or version < 1:
        raise CorruptFileError(", ".join(problems) or f"version {version}", bookmarks)
    return bookmarks


def _objects_in(text: str) -> list[object]:
    """Every flat JSON object that can be read in text that is not valid JSON as a whole (cut
    short, a trailing comma, a stray character), in one pass."""
    found: list[object] = []
    for match in _FLAT_OBJECT.finditer(text):
        with contextlib.suppress(ValueError):
            found.append(json.loads(match.group()))
    return found


def _read_items(items: list[object]) -> tuple[list[Bookmark], list[str]]:
    """The bookmarks that can be read from a file's items (the first of each key), and what was
    wrong with the others, in words."""
    bookmarks: dict[tuple[str, str], Bookmark] = {}
    unreadable = repaired = over = 0
    for item in items:
        bookmark, fixed = _bookmark(item)
        if bookmark is None:
            unreadable += 1
        elif bookmark.key in bookmarks:
            continue
        elif len(bookmarks) >= MAX_BOOKMARKS:
            over += 1
        else:
            repaired += fixed
            bookmarks[bookmark.key] = bookmark
    problems = []
    if unreadable:
        problems.append(f"{unreadable} bookmark(s) could not be read")
    if repaired:
        problems.append(f"{repaired} had a date or note that had to be mended")
    if over:
        problems.append(f"{over} more than the {MAX_BOOKMARKS:,} that are kept")
    return list(bookmarks.values()), problems


def _bookmark(item: object) -> tuple[Bookmark | None, bool]:
    """A bookmark from one item, and whether a field had to be mended (an unknown date, a note that
    was not text, too long, or held control characters); None if its kind or id is not usable."""
    if not isinstance(item, dict):
        return None, False
    kind, entry_id, added, note = item.get("kind"), item.get("id"), item.get("added"), item.get("note", "")
    if not isinstance(kind, str) or kind not in KINDS or not _valid_id(entry_id):
        return None, False
    assert isinstance(entry_id, str)  # _valid_id says so
    good_added = added if isinstance(added, str) and _ADDED.match(added) else ""
    good_note = clean_note(note) if isinstance(note, str) else ""
    fixed = good_added != added or good_note != (note or "")
    return Bookmark(kind, entry_id, good_added, good_note), fixed


def _valid_id(entry_id: object) -> bool:
    """An id that can be shown and compared: text, not too long, with no control characters. It
    need not name anything in the current sources (resolve.py shows it as missing then)."""
    return isinstance(entry_id, str) and 0 < len(entry_id) <= MAX_ID and not UNSAFE.search(entry_id)


def clean_note(note: str) -> str:
    """A note as the note editor keeps one: one line (line breaks and tabs become spaces), no lone
    surrogates (they cannot be written as UTF-8), at most MAX_NOTE characters. Other control
    characters are kept: they are data, and shown inert wherever a note is shown."""
    return _SURROGATE.sub("\ufffd", one_line(note)).strip()[:MAX_NOTE]


def one_line(text: str) -> str:
    """Text with its line breaks and tabs as spaces."""
    return text.translate(_ONE_LINE)


def serialize(bookmarks: list[Bookmark]) -> bytes:
    document = {"version": VERSION, "bookmarks": [b.as_json() for b in bookmarks]}
    # One bookmark a line: readable, and without `indent`, which makes json encode in pure Python.
    lines = ",\n".join(json.dumps(b.as_json(), ensure_ascii=False) for b in bookmarks)
    body = f"[\n{lines}\n]" if bookmarks else "[]"
    return f'{{"version": {document["version"]}, "bookmarks": {body}}}\n'.encode()


class UnrepairedError(OSError):
    """bookmarks.json cannot be used as it is, and what could be read of it cannot be written."""

    def __init__(self, path: Path, reason: str, salvaged: list[Bookmark], error: OSError) -> None:
        shown = f"the {len(salvaged)} bookmark(s) that could be read are shown" if salvaged else "none could be read"
        super().__init__(
            error.errno,
            f"{path} cannot be used as it is ({reason}) and could not be repaired ({describe(error)}): "
            f"it is left as it is, and {shown}. It is repaired at the next start that can write there",
        )
        self.salvaged = salvaged


FileState = tuple[int, int, int]


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
        self.seen: FileState | None = None  # the file as this instance last read or wrote it

    # --- reading -------------------------------------------------------------------------------

    def load(self) -> list[Bookmark]:
        """Read the file at start; a bad file is moved aside and reported in `messages`."""
        try:
            self.bookmarks = self._read_locked()
        except NewerVersionError as error:
            self.bookmarks = error.readable
            self.read_only = f"{error}: bookmarks are read-only"
            self.messages.append(self.read_only)
        except UnrepairedError as error:
            self.bookmarks = error.salvaged
            self.messages.append(f"{error.strerror}. Changes are kept until they can be saved.")
        except OSError as error:
            why = self._why(error)
            self.messages.append(f"Cannot read bookmarks: {why}. Changes are kept until they can be saved.")
        return self.bookmarks

    def _why(self, error: OSError) -> str:
        """What is wrong with the file, naming it, and what the user can do."""
        if isinstance(error, NotAFileError):
            return f"{self.path} is {error.kind}, not a file"
        if isinstance(error, UnrepairedError):
            return str(error.strerror)
        if isinstance(error, PermissionError):
            owner, path = _owner_name(self.path), self.path
            return f"{path} cannot be read ({describe(error)}; it belongs to {owner}: `sudo chown $USER {path}`)"
        return f"{self.path}: {describe(error)}"

    def _read_locked(self) -> list[Bookmark]:
        """`_read` under the lock, so that no other instance is moving or replacing the file meanwhile;
        without it where the lock cannot be taken (a read-only directory)."""
        with contextlib.ExitStack() as stack:
            with contextlib.suppress(OSError):  # no lock file can be made: read without it
                stack.enter_context(file_lock(self.lock_path))
            bookmarks = self._read()
            self.seen = self.file_state()  # (under the lock: no other write comes between)
            return bookmarks

    def file_state(self) -> FileState | None:
        """The file's identity, size and time of change: every save writes a new file and moves it
        in, so another instance's save changes the identity even within one clock tick."""
        try:
            status = os.stat(self.path)
        except OSError:
            return None
        return (status.st_ino, status.st_size, status.st_mtime_ns)

    def refresh(self) -> bool:
        """Read the file again if another instance changed it since this one last read or wrote it
        (one stat when it did not); True if the bookmarks changed. Changes not saved yet stay on
        top. A file that cannot be read now is left to the next save, which says why."""
        if self.file_state() == self.seen:
            return False
        try:
            bookmarks = self._read_locked()
        except (OSError, NewerVersionError):
            self.seen = self.file_state()  # tried once, not again every time
            return False
        for operation in self.unsaved:
            bookmarks = operation(bookmarks)
        changed, self.bookmarks = bookmarks != self.bookmarks, bookmarks
        return changed

    def _read(self) -> list[Bookmark]:
        """The bookmarks on disk (a link is followed). A bad file is repaired (`_repair`). A file
        that cannot be read, or is not a file (a FIFO, a device), raises OSError and is left alone."""
        data = read_regular_file(self.path, MAX_FILE_BYTES)
        if data is None:
            return []
        try:
            return parse_bookmarks(data)
        except CorruptFileError as error:
            self._repair(error)
            return error.salvaged

    def _repair(self, error: CorruptFileError) -> None:
        """Write what could be read in the file's place, the file (or link) moved aside beside it;
        UnrepairedError, with nothing moved, when that cannot be written."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        aside = self.path.with_name(f"{FILE_NAME}.corrupt-{stamp}")
        try:
            replace_keeping_aside(self.path, serialize(error.salvaged), aside)
        except OSError as problem:
            raise UnrepairedError(self.path, error.reason, error.salvaged, problem) from None
        kept = f"; the {len(error.salvaged)} bookmark(s) that could be read are kept" if error.salvaged else ""
        said = f"{self.path} was not usable as it was ({error.reason}): moved aside to {aside.name}{kept}"
        self.messages.append(said)

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

    def add(self, bookmark: Bookmark, at: int | None = None) -> None:
        """Add a bookmark at the end (or put a removed one back where it was, `at`, with its date
        and note)."""
        if len(self.bookmarks) >= MAX_BOOKMARKS and not self.contains(*bookmark.key):
            raise TooManyBookmarks(f"At most {MAX_BOOKMARKS:,} bookmarks: remove one to add another.")

        def operation(bookmarks: list[Bookmark]) -> list[Bookmark]:
            if any(b.key == bookmark.key for b in bookmarks) or len(bookmarks) >= MAX_BOOKMARKS:
                return bookmarks  # (another instance filled the file meanwhile)
            place = len(bookmarks) if at is None else min(at, len(bookmarks))
            return [*bookmarks[:place], bookmark, *bookmarks[place:]]

        self.apply(operation)

    def remove(self, kind: str, entry_id: str) -> tuple[Bookmark, int] | None:
        """Remove a bookmark; the removed one and where it was are returned, to put it back."""
        found = next(((b, i) for i, b in enumerate(self.bookmarks) if b.key == (kind, entry_id)), None)
        self.apply(lambda bookmarks: [b for b in bookmarks if b.key != (kind, entry_id)])
        return found

    def set_note(self, kind: str, entry_id: str, note: str) -> None:
        note = clean_note(note)
        self.apply(lambda bookmarks: [replace(b, note=note) if b.key == (kind, entry_id) else b for b in bookmarks])

    def apply(self, operation: Operation) -> None:
        """Apply a change now in memory, and on disk under the lock, merged with other instances."""
        if self.read_only:
            raise ReadOnlyBookmarks(self.read_only)
        self.unsaved.append(operation)
        self.bookmarks = operation(self.bookmarks)
        self.save()

    def save(self) -> bool:
        """Write the unsaved changes; False (with a message) if they stay in memory for now."""
        if not self.unsaved:
            return True
        try:
            make_directory(self.directory)
            with file_lock(self.lock_path):
                merged = self._read()
                for operation in self.unsaved:
                    merged = operation(merged)
                write_atomically(self.path, serialize(merged))
                self.seen = self.file_state()
                self._remove_stale_temporaries()
        except NewerVersionError as error:
            self.read_only = f"{error}: bookmarks are read-only"
            self.messages.append(self.read_only)
            return False
        except OSError as error:
            self.messages.append(
                f"Bookmarks not saved ({self._why(error)}): kept for this session, saving is retried on the next change"
            )
            return False
        self.unsaved.clear()
        self.bookmarks = merged
        return True

    def _remove_stale_temporaries(self) -> None:
        """Temporary files left by an instance killed mid-write (none can be in use: we hold the lock)."""
        for stale in Path(os.path.realpath(self.path)).parent.glob(f".{FILE_NAME}.*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()

    def take_messages(self) -> list[str]:
        messages, self.messages = self.messages, []
        return messages


def _owner_name(path: Path) -> str:
    try:
        uid = os.stat(path).st_uid
    except OSError:
        return "another user"
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"user {uid}"
