"""Files that must never be half-written or lost: atomic replacement, an advisory lock between
instances, and directories made as the user's own (bookmarks, what was seen, settings)."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from aoad_tui.model.paths import kind_of_file

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; each write is still atomic.
    fcntl = None  # type: ignore[assignment]


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, fsync it, replace `path`, fsync the directory.

    A symlink is written through (its target is replaced, the link stays: a dotfiles repository
    keeps working), and the file keeps the mode and owner it had."""
    _write_then_replace(Path(os.path.realpath(path)), data, follow=True)


def replace_keeping_aside(path: Path, data: bytes, aside: Path) -> None:
    """Put `data` at `path`, and what was there at `aside`: the file, or a symbolic link itself,
    never its target (anyone's file). `data` is written and synced first: when that fails (a full
    disk, a read-only directory), nothing has moved. With hard links, `path` is never missing."""

    def keep_aside() -> None:
        try:
            os.link(path, aside, follow_symlinks=False)
        except OSError as error:
            if error.errno in (errno.EEXIST, errno.ENOENT):
                raise
            os.replace(path, aside)  # a file system without hard links

    _write_then_replace(path, data, follow=False, before=keep_aside)


def _write_then_replace(target: Path, data: bytes, follow: bool, before: Callable[[], None] | None = None) -> None:
    """`data` in a new temporary file beside `target`, synced; then `before`, then the temporary
    file replaces `target` and the directory is synced. On any failure the temporary file goes."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        _keep_mode_and_owner(descriptor, target, follow=follow)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        if before is not None:
            before()
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    fsync_directory(target.parent)


def _keep_mode_and_owner(descriptor: int, target: Path, follow: bool = True) -> None:
    """Give the new file the mode and owner of the one it replaces (a new one, or one that replaces
    a link it does not follow: private, owned by the directory's owner). Only root can change an
    owner: so that one `sudo -E aoad-tui` does not take a user's bookmarks from them."""
    try:
        before: os.stat_result | None = os.stat(target, follow_symlinks=follow)
    except FileNotFoundError:
        before = None
    if before is not None and not stat.S_ISREG(before.st_mode):
        before = None
    if before is not None and hasattr(os, "fchmod"):
        os.fchmod(descriptor, stat.S_IMODE(before.st_mode))
    _give_to_owner(descriptor, before or os.stat(target.parent))


def _give_to_owner(descriptor: int, owner: os.stat_result) -> None:
    """As root, hand a file just made to whoever owns `owner` (a user's file or directory)."""
    if hasattr(os, "fchown") and os.geteuid() == 0 and (owner.st_uid, owner.st_gid) != (0, 0):
        os.fchown(descriptor, owner.st_uid, owner.st_gid)


def fsync_directory(directory: Path) -> None:
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


class NotAFileError(OSError):
    """What is at a path the app reads is not a regular file (a FIFO, a device, a directory)."""

    def __init__(self, path: Path, mode: int) -> None:
        self.kind = kind_of_file(mode)  # in words: "a FIFO"
        super().__init__(errno.EINVAL, f"{self.kind}, not a regular file", str(path))


def _require_regular(descriptor: int, path: Path) -> None:
    """NotAFileError unless the open descriptor is a regular file."""
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        raise NotAFileError(path, mode)


def open_regular_file(path: Path) -> BinaryIO:
    """The regular file at `path` (a link to one is followed), open for reading. Anything else
    there is NotAFileError at once: opened without waiting for a writer, never read."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        _require_regular(descriptor, path)
    except BaseException:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "rb")


def read_regular_file(path: Path, limit: int) -> bytes | None:
    """At most `limit` + 1 bytes of the regular file at `path` (open_regular_file), or None when
    there is none."""
    try:
        file = open_regular_file(path)
    except FileNotFoundError:
        return None
    with file:
        return file.read(limit + 1)


def new_temporary_file(beside: Path) -> tuple[BinaryIO, Path]:
    """A new private file in `beside`'s directory, open for writing: made here (never through a
    link someone left), and as root given to the directory's owner."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{beside.name}.", suffix=".tmp", dir=beside.parent)
    try:
        _give_to_owner(descriptor, os.stat(beside.parent))
    except BaseException:
        os.close(descriptor)
        os.unlink(temporary)
        raise
    return os.fdopen(descriptor, "wb"), Path(temporary)


# Opened never through a symbolic link (the last part of the path), and never blocking on a FIFO.
NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def open_lock_file(path: Path) -> int:
    """A descriptor of the lock file at `path`, made if missing. Never through a symbolic link
    (ELOOP), and only a regular file: whatever else anyone left there is refused, never created
    through or handed to another owner. Only a file made here, now, is given to the directory's
    owner (as root)."""
    try:
        descriptor, made = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | NO_FOLLOW, 0o600), True
    except FileExistsError:
        descriptor, made = os.open(path, os.O_RDWR | NO_FOLLOW), False
    try:
        if made:
            _give_to_owner(descriptor, os.stat(path.parent))
        else:
            _require_regular(descriptor, path)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on `path` (created if needed) while the block runs."""
    if fcntl is None:
        yield
        return
    descriptor = open_lock_file(path)
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
    if error.errno == errno.ELOOP:  # opened with O_NOFOLLOW
        return f"{error.filename or 'it'} is a symbolic link, which the app does not follow there"
    return error.strerror or str(error)


def make_directory(directory: Path) -> None:
    """Make the data directory (and its parents); as root, each is given to its parent's owner."""
    if directory.is_dir():
        return
    make_directory(directory.parent)
    with contextlib.suppress(FileExistsError):
        directory.mkdir()
        if hasattr(os, "chown") and os.geteuid() == 0:
            parent = os.stat(directory.parent)
            if (parent.st_uid, parent.st_gid) != (0, 0):
                os.chown(directory, parent.st_uid, parent.st_gid)
