"""Unit tests of the bookmark store (aoad_tui/model/bookmarks.py): the file format, toggling,
corrupt and newer files, and saving when the disk refuses (read-only, full, no permission).

Tests run as root here, where chmod does not stop writes: the read-only directory is then
simulated by making tempfile.mkstemp / os.replace raise EACCES. Where the system allows it, a
private mount namespace with a tiny tmpfs gives a real full disk (ENOSPC) and a real read-only
file system (EROFS) as well.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from support import DATA

from aoad_tui.model import bookmarks as bm
from aoad_tui.model import bookmarks as bookmarks_module
from aoad_tui.model import files
from aoad_tui.model.bookmarks import (
    FILE_NAME,
    KINDS,
    MAX_NOTE,
    Bookmark,
    BookmarkStore,
    CorruptFileError,
    NewerVersionError,
    clean_note,
    parse_bookmarks,
    serialize,
    utc_now,
)
from aoad_tui.model.files import file_lock, write_atomically
from aoad_tui.model.inert import UNSAFE
from aoad_tui.model.loader import load_knowledge
from aoad_tui.model.paths import bundled_seeds, data_dir
from aoad_tui.model.resolve import MISSING, resolve

CORRUPT_DIR = DATA / "bookmarks"
VALID_FILES = ("version_99.json", "version_1_0.json")
CORRUPT_FILES = sorted(p.name for p in CORRUPT_DIR.glob("*.json") if p.name not in VALID_FILES)
KIND_BUG = (
    "BUG: an item whose kind is a list or an object makes parse_bookmarks raise TypeError "
    "(`kind not in KINDS` hashes it) instead of CorruptFileError: load() lets it through, so the app "
    "and `aoad-tui bookmarks` crash at start"
)
SALVAGE_BUG = (
    "BUG: bookmarks salvaged from a partly bad file live only in memory: the file is moved aside and "
    "nothing is written back, so the first save (which re-reads the now missing file) drops them, "
    "and so does the next start"
)
VERSION_99 = CORRUPT_DIR / "version_99.json"
ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
ASIDE = re.compile(r"bookmarks\.json\.corrupt-(\d{8}T\d{6})(?:\.\d+)?Z")

# What each corrupt file still holds that can be read (only bad_items.json has any): two of them
# with a date or a note that had to be mended.
SALVAGE = {
    "bad_items.json": {
        ("person", "yoon-chan-young"),
        ("fact", "season-2-no-date"),
        ("rumor", "cheong-san-alive"),
        ("quote", "yoon-chan-young-hopes-alive"),
        ("source", "000_87d513006f32d67f#3"),
    },
    # Escapes in a date and a note, a source id "#²", an id of 5,000 digits, a bidi override in an
    # id, a lone surrogate, a 5,000-character note: the ids that can be shown are kept.
    "trailing_comma.json": {("person", "park-ji-hu"), ("quote", "yoon-chan-young-hopes-alive")},
    "hostile.json": {
        ("person", "yoon-chan-young"),
        ("source", "000_87d513006f32d67f#²"),
        ("quote", "yoon-chan-young-hopes-alive"),
        ("fact", "season-2-no-date"),
    },
}


# --- helpers ------------------------------------------------------------------------------------


@pytest.fixture
def directory(isolated_dirs: Path) -> Path:
    """The data directory conftest points AOAD_TUI_DATA_DIR at (not created yet)."""
    return isolated_dirs


def keys(bookmarks: list[Bookmark]) -> set[tuple[str, str]]:
    return {b.key for b in bookmarks}


def on_disk(directory: Path) -> set[tuple[str, str]]:
    """The bookmarks in the directory's bookmarks.json (which must be valid)."""
    return keys(parse_bookmarks((directory / FILE_NAME).read_bytes()))


def asides(directory: Path) -> list[Path]:
    return sorted(directory.glob(f"{FILE_NAME}.corrupt-*"))


def temporaries(directory: Path) -> list[Path]:
    return sorted(directory.glob(f".{FILE_NAME}.*.tmp"))


def fresh(directory: Path) -> BookmarkStore:
    """A new store, as another instance (or the next start) would see the directory."""
    store = BookmarkStore(directory)
    store.load()
    return store


def saved_store(directory: Path, *entries: tuple[str, str]) -> BookmarkStore:
    store = fresh(directory)
    for kind, entry_id in entries:
        store.toggle(kind, entry_id)
    assert on_disk(directory) == set(entries)
    assert store.take_messages() == []
    return store


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def chmod_stops_writes(directory: Path) -> bool:
    """Whether a 0o555 directory refuses new files for this user (not so for root)."""
    probe = directory / "probe"
    probe.mkdir()
    probe.chmod(0o555)
    try:
        (probe / "x").write_bytes(b"x")
    except PermissionError:
        return True
    finally:
        probe.chmod(0o755)
        shutil.rmtree(probe)
    return False


def refuse(error_number: int):  # type: ignore[no-untyped-def]
    """A stand-in for a system call that fails with `error_number`."""

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(error_number, os.strerror(error_number))

    return fail


# --- toggling and the file format ---------------------------------------------------------------


def test_toggle_adds_removes_and_persists(directory: Path) -> None:
    store = fresh(directory)
    assert store.bookmarks == [] and not (directory / FILE_NAME).exists()

    assert store.toggle("person", "lomon") is True
    assert store.contains("person", "lomon")
    assert on_disk(directory) == {("person", "lomon")}  # on disk at once, no explicit save
    assert keys(fresh(directory).bookmarks) == {("person", "lomon")}

    assert store.toggle("quote", "yoon-chan-young-hopes-alive") is True
    assert keys(fresh(directory).bookmarks) == {("person", "lomon"), ("quote", "yoon-chan-young-hopes-alive")}

    assert store.toggle("person", "lomon") is False
    assert not store.contains("person", "lomon")
    assert keys(fresh(directory).bookmarks) == {("quote", "yoon-chan-young-hopes-alive")}
    assert store.toggle("quote", "yoon-chan-young-hopes-alive") is False
    assert fresh(directory).bookmarks == []
    assert store.unsaved == [] and store.take_messages() == []


def test_file_format_and_utc_dates(directory: Path) -> None:
    store = fresh(directory)
    before = datetime.now(UTC).replace(microsecond=0)
    store.toggle("person", "yoon-chan-young")
    store.toggle("source", "000_87d513006f32d67f#2")
    store.set_note("person", "yoon-chan-young", "  Cheong-san, alive?  ")
    after = datetime.now(UTC)

    document = json.loads((directory / FILE_NAME).read_text(encoding="utf-8"))
    assert set(document) == {"version", "bookmarks"}
    assert document["version"] == 1
    items = document["bookmarks"]
    assert [(item["kind"], item["id"]) for item in items] == [
        ("person", "yoon-chan-young"),
        ("source", "000_87d513006f32d67f#2"),
    ]  # in the order they were added
    for item in items:
        assert set(item) == {"kind", "id", "added", "note"}
        assert ISO_UTC.fullmatch(item["added"]), item["added"]
        added = datetime.strptime(item["added"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        assert before <= added <= after
    assert items[0]["note"] == "Cheong-san, alive?"  # trimmed
    assert items[1]["note"] == ""
    assert ISO_UTC.fullmatch(utc_now())


def test_the_data_directory_is_created(tmp_path: Path) -> None:
    directory = tmp_path / "does" / "not" / "exist" / "yet"
    store = fresh(directory)
    store.toggle("rumor", "cheong-san-alive")
    assert on_disk(directory) == {("rumor", "cheong-san-alive")}
    assert sorted(p.name for p in directory.iterdir()) == [FILE_NAME, f"{FILE_NAME}.lock"]


def test_every_kind_round_trips(directory: Path) -> None:
    store = fresh(directory)
    for number, kind in enumerate(sorted(KINDS)):
        store.add(Bookmark(kind, f"{kind}-id#{number}", f"2026-01-0{number + 1}T00:00:00Z", f"note {kind} ★ 유"))
    again = fresh(directory).bookmarks
    assert again == store.bookmarks
    assert {b.kind for b in again} == KINDS


def test_remove_returns_the_bookmark_and_where_it_was_and_add_puts_it_back_there(directory: Path) -> None:
    store = fresh(directory)
    store.add(Bookmark("person", "lomon", "2026-01-02T03:04:05Z", "a note"))
    store.toggle("person", "park-ji-hu")
    store.toggle("person", "nam-on-jo")
    removed = store.remove("person", "lomon")
    assert removed == (Bookmark("person", "lomon", "2026-01-02T03:04:05Z", "a note"), 0)
    assert on_disk(directory) == {("person", "park-ji-hu"), ("person", "nam-on-jo")}
    assert store.remove("person", "lomon") is None  # removing twice is harmless
    store.add(*removed)
    again = fresh(directory)
    assert again.find("person", "lomon") == removed[0]  # same date and note
    assert [b.id for b in again.bookmarks] == ["lomon", "park-ji-hu", "nam-on-jo"]  # where it was
    store.add(*removed)  # adding twice keeps one
    assert [b.key for b in fresh(directory).bookmarks].count(("person", "lomon")) == 1
    store.remove("person", "nam-on-jo")
    store.remove("person", "park-ji-hu")
    store.add(Bookmark("person", "park-ji-hu", "2026-01-02T03:04:05Z"), 7)  # where it was is past the end now
    assert [b.id for b in fresh(directory).bookmarks] == ["lomon", "park-ji-hu"]


def test_notes_are_trimmed_and_capped(directory: Path) -> None:
    store = saved_store(directory, ("fact", "season-2-no-date"))
    store.set_note("fact", "season-2-no-date", "x" * (MAX_NOTE + 50))
    assert fresh(directory).find("fact", "season-2-no-date").note == "x" * MAX_NOTE  # type: ignore[union-attr]
    store.set_note("fact", "season-2-no-date", "")
    assert fresh(directory).find("fact", "season-2-no-date").note == ""  # type: ignore[union-attr]
    store.set_note("fact", "no-such-bookmark", "ignored")
    assert on_disk(directory) == {("fact", "season-2-no-date")}


# --- parse_bookmarks --------------------------------------------------------------------------


def test_parse_accepts_what_serialize_writes() -> None:
    bookmarks = [
        Bookmark("quote", "q", "2026-01-01T00:00:00Z", "“quoted” \\ ★ 유"),
        Bookmark("source", "a#1", "2026-01-02T00:00:00Z"),
    ]
    assert parse_bookmarks(serialize(bookmarks)) == bookmarks


def test_parse_mends_a_date_or_note_the_store_would_never_write() -> None:
    # A hand edit: the bookmark is kept, mended, and the file as it was is moved aside (by the store).
    item = {"kind": "quote", "id": "q", "added": "x", "note": "line one\nline two \x00 \x1b]52;c;AAAA\x07 \ud800"}
    with pytest.raises(CorruptFileError) as raised:
        parse_bookmarks(json.dumps({"version": 1, "bookmarks": [item]}).encode())
    assert raised.value.salvaged == [Bookmark("quote", "q", "", "line one line two \x00 \x1b]52;c;AAAA\x07 \ufffd")]
    assert "1 had a date or note that had to be mended" in raised.value.reason


def test_parse_is_lenient_about_what_is_harmless() -> None:
    data = json.dumps(
        {
            "version": 1,
            "bookmarks": [
                {"kind": "person", "id": "lomon", "added": "2026-01-01T00:00:00Z"},  # no note
                {"kind": "person", "id": "lomon", "added": "2027-01-01T00:00:00Z", "note": "dup"},
                {"kind": "rumor", "id": "r", "added": "2026-01-01T00:00:00Z", "note": None},
            ],
        }
    ).encode()
    assert parse_bookmarks(data) == [
        Bookmark("person", "lomon", "2026-01-01T00:00:00Z", ""),
        Bookmark("rumor", "r", "2026-01-01T00:00:00Z", ""),
    ]


@pytest.mark.parametrize(
    "document",
    [[], {"bookmarks": []}, {"version": True, "bookmarks": []}, {"version": "1", "bookmarks": []}],
    ids=["list", "no-version", "version-bool", "version-string"],
)
def test_parse_rejects_what_is_not_a_bookmarks_file(document: object) -> None:
    with pytest.raises(CorruptFileError):
        parse_bookmarks(json.dumps(document).encode())


def test_parse_version_zero_is_corrupt_but_salvaged() -> None:
    item = {"kind": "person", "id": "lomon", "added": "2026-01-01T00:00:00Z", "note": ""}
    with pytest.raises(CorruptFileError) as caught:
        parse_bookmarks(json.dumps({"version": 0, "bookmarks": [item]}).encode())
    assert keys(caught.value.salvaged) == {("person", "lomon")}


def test_parse_newer_version() -> None:
    with pytest.raises(NewerVersionError, match="version 99"):
        parse_bookmarks(VERSION_99.read_bytes())


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=12,
)
ITEMS = st.fixed_dictionaries(
    {},
    optional={
        "kind": st.sampled_from(sorted(KINDS)) | JSON,
        "id": st.text(max_size=12) | JSON,
        "added": st.just("2026-11-23T21:07:06Z") | JSON,
        "note": st.text(max_size=12) | JSON,
    },
)
DOCUMENTS = (
    st.fixed_dictionaries(
        {"version": st.integers(-1, 3) | JSON, "bookmarks": st.lists(ITEMS | JSON, max_size=5) | JSON}
    )
    | JSON
)


@settings(max_examples=300, deadline=None)
@example(document={"version": 1, "bookmarks": [{"kind": ["person"], "id": "x", "added": "2026-11-23T21:07:06Z"}]})
@given(document=DOCUMENTS)
def test_parse_any_json_is_bookmarks_or_a_clean_error(document: object) -> None:
    try:
        bookmarks = parse_bookmarks(json.dumps(document).encode())
    except (CorruptFileError, NewerVersionError):
        return
    assert all(b.kind in KINDS and b.id and isinstance(b.note, str) for b in bookmarks)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=300))
def test_parse_any_bytes_is_bookmarks_or_a_clean_error(data: bytes) -> None:
    with contextlib.suppress(CorruptFileError, NewerVersionError):
        parse_bookmarks(data)


BOOKMARKS = st.lists(
    st.builds(
        Bookmark,
        kind=st.sampled_from(sorted(KINDS)),
        # As the store writes them: an id with no control characters, a UTC time, a one-line note.
        id=st.text(min_size=1, max_size=20).filter(lambda text: not UNSAFE.search(text)),
        added=st.datetimes(min_value=datetime(1970, 1, 1)).map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%SZ")),
        note=st.text(max_size=40).map(clean_note),
    ),
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(bookmarks=BOOKMARKS)
def test_serialize_then_parse_round_trips(bookmarks: list[Bookmark]) -> None:
    first: dict[tuple[str, str], Bookmark] = {}
    for bookmark in bookmarks:
        first.setdefault(bookmark.key, bookmark)
    assert parse_bookmarks(serialize(bookmarks)) == list(first.values())


# --- corrupt files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    CORRUPT_FILES,
)
def test_corrupt_file_is_moved_aside_and_the_store_works(directory: Path, name: str) -> None:
    directory.mkdir(parents=True)
    original = (CORRUPT_DIR / name).read_bytes()
    (directory / FILE_NAME).write_bytes(original)
    started = datetime.now(UTC).replace(microsecond=0)

    store = BookmarkStore(directory)
    store.load()

    moved = asides(directory)
    assert len(moved) == 1, list(directory.iterdir())
    assert moved[0].read_bytes() == original  # never changed, never deleted
    stamp = ASIDE.fullmatch(moved[0].name)
    assert stamp, moved[0].name
    moved_at = datetime.strptime(stamp.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    assert started <= moved_at <= datetime.now(UTC)  # a UTC timestamp
    messages = store.take_messages()
    assert len(messages) == 1 and moved[0].name in messages[0] and "moved aside" in messages[0]
    assert keys(store.bookmarks) == SALVAGE.get(name, set())
    assert not store.read_only

    store.toggle("rumor", "postponement-reason")
    assert on_disk(directory) == SALVAGE.get(name, set()) | {("rumor", "postponement-reason")}
    assert asides(directory) == moved and moved[0].read_bytes() == original
    assert keys(fresh(directory).bookmarks) == keys(store.bookmarks)
    assert store.take_messages() == []


def test_bad_items_are_salvaged_with_their_dates_and_notes(directory: Path) -> None:
    directory.mkdir(parents=True)
    shutil.copy(CORRUPT_DIR / "bad_items.json", directory / FILE_NAME)
    store = fresh(directory)
    assert [p.read_bytes() for p in asides(directory)] == [(CORRUPT_DIR / "bad_items.json").read_bytes()]
    assert keys(store.bookmarks) == SALVAGE["bad_items.json"]
    assert store.find("person", "yoon-chan-young") == Bookmark(
        "person", "yoon-chan-young", "2026-11-20T10:00:00Z", "Cheong-san!"
    )
    assert store.find("fact", "season-2-no-date") == Bookmark("fact", "season-2-no-date", "", "")  # no date
    assert store.find("rumor", "cheong-san-alive") == Bookmark("rumor", "cheong-san-alive", "2026-11-20T12:00:00Z", "")
    message = store.take_messages()[0]
    assert "5 bookmark(s) could not be read" in message and "2 had a date or note that had to be mended" in message


def test_salvaged_bookmarks_survive_the_next_change(directory: Path) -> None:
    directory.mkdir(parents=True)
    shutil.copy(CORRUPT_DIR / "bad_items.json", directory / FILE_NAME)
    store = fresh(directory)
    store.toggle("person", "lomon")
    assert keys(store.bookmarks) == SALVAGE["bad_items.json"] | {("person", "lomon")}


def test_salvaged_bookmarks_survive_a_restart(directory: Path) -> None:
    directory.mkdir(parents=True)
    shutil.copy(CORRUPT_DIR / "bad_items.json", directory / FILE_NAME)
    fresh(directory)  # this start moves the file aside and salvages three bookmarks; no change follows
    assert keys(fresh(directory).bookmarks) == SALVAGE["bad_items.json"]


@pytest.mark.parametrize("garbage", ["random-bytes", "deep-nesting", "text"])
def test_50_mb_of_garbage_is_moved_aside(directory: Path, garbage: str) -> None:
    directory.mkdir(parents=True)
    path = directory / FILE_NAME
    size = 50 * 1024 * 1024
    if garbage == "random-bytes":
        path.write_bytes(os.urandom(size))
    elif garbage == "deep-nesting":
        path.write_bytes(b'{"version": 1, "bookmarks": ' + b"[" * size)
    else:
        path.write_bytes(b"All of us are dead! " * (size // 20))
    digest = sha256(path)

    started = time.perf_counter()
    store = fresh(directory)
    elapsed = time.perf_counter() - started

    moved = asides(directory)
    assert len(moved) == 1 and moved[0].stat().st_size >= size and sha256(moved[0]) == digest
    assert "moved aside" in store.take_messages()[0]
    assert elapsed < 10, f"loading 50 MB of garbage took {elapsed:.1f} s"
    store.toggle("person", "lomon")
    assert on_disk(directory) == {("person", "lomon")}


def test_a_file_this_user_cannot_read_is_left_alone_and_never_overwritten(
    directory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As after one `sudo -E aoad-tui` wrote it mode 0600 as root: moving it aside would put the
    # user's bookmarks in a file only root can read. It is left where it is, with how to fix it.
    saved_store(directory, ("person", "lomon"))
    original = (directory / FILE_NAME).read_bytes()
    real_read = files.read_regular_file

    def refusing_read(path: Path, limit: int) -> bytes | None:
        if path.name == FILE_NAME:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_read(path, limit)

    monkeypatch.setattr(bookmarks_module, "read_regular_file", refusing_read)
    store = fresh(directory)
    messages = store.take_messages()
    assert len(messages) == 1 and str(directory / FILE_NAME) in messages[0], messages
    assert "permission denied" in messages[0] and "chown" in messages[0]
    store.toggle("person", "park-ji-hu")  # kept in memory, not written over the file
    assert "not saved" in store.take_messages()[0]
    assert asides(directory) == [] and (directory / FILE_NAME).read_bytes() == original

    monkeypatch.undo()  # the owner gave it back
    store.toggle("rumor", "cheong-san-alive")
    assert on_disk(directory) == {("person", "lomon"), ("person", "park-ji-hu"), ("rumor", "cheong-san-alive")}


def test_a_directory_in_the_way_is_reported_not_fatal(directory: Path) -> None:
    (directory / FILE_NAME).mkdir(parents=True)  # bookmarks.json is a directory
    store = fresh(directory)
    assert "Cannot read bookmarks" in store.take_messages()[0]
    assert store.toggle("person", "lomon") is True  # kept in memory
    assert store.contains("person", "lomon") and store.unsaved
    assert "not saved" in store.take_messages()[0]
    assert (directory / FILE_NAME).is_dir()


# --- a file from a newer version ------------------------------------------------------------------


def test_newer_version_is_left_alone_and_read_only(directory: Path) -> None:
    directory.mkdir(parents=True)
    shutil.copy(VERSION_99, directory / FILE_NAME)
    original = (directory / FILE_NAME).read_bytes()
    listing = sorted(p.name for p in directory.iterdir())
    mtime = (directory / FILE_NAME).stat().st_mtime_ns

    store = fresh(directory)
    assert store.read_only and "version 99" in store.read_only and "read-only" in store.read_only
    messages = store.take_messages()
    assert len(messages) == 1 and "version 99" in messages[0] and "read-only" in messages[0]

    before = list(store.bookmarks)
    for change in (
        lambda: store.toggle("person", "lomon"),
        lambda: store.add(Bookmark("person", "lomon", utc_now())),
        lambda: store.remove("person", "yoon-chan-young"),
        lambda: store.set_note("person", "yoon-chan-young", "note"),
    ):
        with pytest.raises(PermissionError, match="read-only"):
            change()
    assert store.bookmarks == before and store.unsaved == []

    assert (directory / FILE_NAME).read_bytes() == original
    assert (directory / FILE_NAME).stat().st_mtime_ns == mtime
    lock = f"{FILE_NAME}.lock"  # (a lock file would be harmless)
    assert sorted(p.name for p in directory.iterdir() if p.name != lock) == listing  # no aside, no temp file


def test_newer_version_written_meanwhile_makes_the_store_read_only(directory: Path) -> None:
    store = saved_store(directory, ("person", "lomon"))
    shutil.copy(VERSION_99, directory / FILE_NAME)  # a newer aoad-tui saved meanwhile
    original = (directory / FILE_NAME).read_bytes()

    store.toggle("person", "park-ji-hu")
    assert store.read_only
    assert any("version 99" in message for message in store.take_messages())
    assert (directory / FILE_NAME).read_bytes() == original
    with pytest.raises(PermissionError):
        store.toggle("person", "cho-yi-hyun")
    assert (directory / FILE_NAME).read_bytes() == original
    assert not asides(directory) and not temporaries(directory)


# --- saving fails: read-only directory, full disk ----------------------------------------------


def check_kept_then_saved(directory: Path, store: BookmarkStore, original: bytes, words: str, heal) -> None:  # type: ignore[no-untyped-def]
    """After a failed save: told why, kept in memory, old file intact; saved once healed."""
    assert store.toggle("person", "park-ji-hu") is True
    messages = store.take_messages()
    assert len(messages) == 1, messages
    assert words in messages[0] and "kept" in messages[0] and "retried" in messages[0]
    assert keys(store.bookmarks) == {("person", "lomon"), ("person", "park-ji-hu")}
    assert store.unsaved
    assert (directory / FILE_NAME).read_bytes() == original
    assert not temporaries(directory)
    assert not asides(directory)

    heal()
    store.toggle("quote", "yoon-chan-young-hopes-alive")
    assert store.take_messages() == []
    assert store.unsaved == []
    expected = {("person", "lomon"), ("person", "park-ji-hu"), ("quote", "yoon-chan-young-hopes-alive")}
    assert on_disk(directory) == expected == keys(store.bookmarks)
    assert not temporaries(directory)


def test_read_only_directory_with_chmod(directory: Path, tmp_path: Path) -> None:
    if not chmod_stops_writes(tmp_path):
        pytest.skip("chmod 0o555 does not stop this user (root) writing: see the simulated test")
    store = saved_store(directory, ("person", "lomon"))
    original = (directory / FILE_NAME).read_bytes()
    directory.chmod(0o555)
    try:
        check_kept_then_saved(directory, store, original, "permission denied", lambda: directory.chmod(0o755))
    finally:
        directory.chmod(0o755)


@pytest.mark.parametrize("call", ["tempfile.mkstemp", "os.replace", "lock"])
def test_read_only_directory_simulated(directory: Path, monkeypatch: pytest.MonkeyPatch, call: str) -> None:
    store = saved_store(directory, ("person", "lomon"))
    original = (directory / FILE_NAME).read_bytes()
    if call == "tempfile.mkstemp":
        monkeypatch.setattr(files.tempfile, "mkstemp", refuse(errno.EACCES))
    elif call == "os.replace":
        monkeypatch.setattr(bm.os, "replace", refuse(errno.EACCES))
    else:
        (directory / f"{FILE_NAME}.lock").unlink()  # the lock file cannot be created either
        real_open = os.open

        def os_open(path: object, flags: int, *args: int) -> int:
            if flags & os.O_CREAT:
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real_open(path, flags, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(bm.os, "open", os_open)
    check_kept_then_saved(directory, store, original, "permission denied", monkeypatch.undo)


class FullDiskFile:
    """A file object whose writes fail as on a full disk (ENOSPC), like a real one would."""

    def __init__(self, descriptor: int, *args: object) -> None:
        self.descriptor = descriptor

    def __enter__(self) -> FullDiskFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        os.close(self.descriptor)

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def flush(self) -> None:
        pass

    def fileno(self) -> int:
        return self.descriptor


@pytest.mark.parametrize("where", ["write", "fsync"])
def test_full_disk_simulated(directory: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    store = saved_store(directory, ("person", "lomon"))
    original = (directory / FILE_NAME).read_bytes()
    if where == "write":
        real_fdopen = os.fdopen

        def full_for_writes(descriptor: int, mode: str = "r", *args: object) -> object:
            return FullDiskFile(descriptor) if "w" in mode else real_fdopen(descriptor, mode, *args)  # type: ignore[call-overload]

        monkeypatch.setattr(bm.os, "fdopen", full_for_writes)
    else:
        monkeypatch.setattr(bm.os, "fsync", refuse(errno.ENOSPC))
    check_kept_then_saved(directory, store, original, "disk is full", monkeypatch.undo)


def test_several_failed_changes_are_all_saved_later(directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = saved_store(directory, ("person", "lomon"), ("person", "cho-yi-hyun"))
    monkeypatch.setattr(files.tempfile, "mkstemp", refuse(errno.ENOSPC))
    store.toggle("person", "park-ji-hu")
    store.set_note("person", "lomon", "kept")
    store.toggle("person", "cho-yi-hyun")  # a removal
    assert len(store.take_messages()) == 3
    monkeypatch.undo()
    store.toggle("rumor", "cheong-san-alive")
    disk = fresh(directory)
    assert keys(disk.bookmarks) == {("person", "lomon"), ("person", "park-ji-hu"), ("rumor", "cheong-san-alive")}
    assert disk.find("person", "lomon").note == "kept"  # type: ignore[union-attr]


def test_write_atomically_leaves_the_old_file_when_it_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "file"
    write_atomically(path, b"old")
    monkeypatch.setattr(bm.os, "replace", refuse(errno.EIO))
    with pytest.raises(OSError):
        write_atomically(path, b"new")
    monkeypatch.undo()
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]
    write_atomically(path, b"new")
    assert path.read_bytes() == b"new"


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EACCES, errno.EPERM, errno.EROFS, errno.EIO])
def test_describe(error: int) -> None:
    text = bm.describe(OSError(error, os.strerror(error)))
    expected = {
        errno.ENOSPC: "the disk is full",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the file system is read-only",
    }
    assert text == expected.get(error, os.strerror(error))


# --- a real full disk and read-only file system (private mount namespace) ---------------------

NAMESPACE_SCRIPT = r"""
import json, os, subprocess, sys
from pathlib import Path
from aoad_tui.model.bookmarks import FILE_NAME, BookmarkStore, parse_bookmarks

mount = Path(sys.argv[1])
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", str(mount)], check=True)
directory = mount / "data"
report = {}

def state(label):
    report[label] = {
        "messages": store.take_messages(),
        "memory": sorted(b.id for b in store.bookmarks),
        "unsaved": len(store.unsaved),
        "disk": sorted(b.id for b in parse_bookmarks((directory / FILE_NAME).read_bytes())),
        "files": sorted(p.name for p in directory.iterdir()),
    }

store = BookmarkStore(directory)
store.load()
store.toggle("person", "lomon")
state("start")

filler = os.open(mount / "filler", os.O_WRONLY | os.O_CREAT)
try:
    while True:
        os.write(filler, b"\0" * 4096)
except OSError as error:
    report["filled"] = error.errno
os.close(filler)
store.toggle("person", "park-ji-hu")
state("full")
os.unlink(mount / "filler")
store.toggle("person", "cho-yi-hyun")
state("freed")

subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
store.toggle("rumor", "cheong-san-alive")
state("read-only")
subprocess.run(["mount", "-o", "remount,rw", str(mount)], check=True)
store.toggle("quote", "yoon-chan-young-hopes-alive")
state("writable")
print(json.dumps(report))
"""


def namespace_command() -> list[str] | None:
    """How to run a command in a private mount namespace here, or None if it cannot be done."""
    unshare = shutil.which("unshare")
    if unshare is None or not sys.platform.startswith("linux"):
        return None
    command = [unshare, "-m"] if os.geteuid() == 0 else [unshare, "-Urm"]
    try:
        probe = subprocess.run([*command, "true"], check=False, capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return command if probe.returncode == 0 else None


def run_on_a_tmpfs(tmp_path: Path, script: str, *args: str) -> Any:
    """What `script` prints (JSON), run with a 64 KiB tmpfs to mount at its first argument, in a
    private mount namespace; the test is skipped where there is none."""
    command = namespace_command()
    if command is None:
        pytest.skip("no private mount namespace here (unshare -m not permitted)")
    mount = tmp_path / "mnt"
    mount.mkdir()
    run = subprocess.run(
        [*command, sys.executable, "-c", script, str(mount), *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,  # `python -c` imports from its working directory: the installed package, not a checkout's
    )
    if run.returncode != 0 and "mount" in run.stderr and "Traceback" in run.stderr and "tmpfs" in run.stderr:
        pytest.skip(f"cannot mount a tmpfs here: {run.stderr[-300:]}")
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_real_full_disk_and_read_only_file_system(tmp_path: Path) -> None:
    report = run_on_a_tmpfs(tmp_path, NAMESPACE_SCRIPT)
    lock = f"{FILE_NAME}.lock"

    assert report["filled"] == errno.ENOSPC
    full = report["full"]
    assert len(full["messages"]) == 1 and "the disk is full" in full["messages"][0]
    assert full["memory"] == ["lomon", "park-ji-hu"] and full["unsaved"] == 1
    assert full["disk"] == ["lomon"]  # the old file is intact
    assert full["files"] == [FILE_NAME, lock]  # and no temporary file is left behind

    freed = report["freed"]
    assert freed["messages"] == [] and freed["unsaved"] == 0
    assert freed["disk"] == freed["memory"] == ["cho-yi-hyun", "lomon", "park-ji-hu"]

    read_only = report["read-only"]
    assert len(read_only["messages"]) == 1 and "read-only" in read_only["messages"][0]
    assert "cheong-san-alive" in read_only["memory"] and read_only["disk"] == freed["disk"]
    assert read_only["files"] == [FILE_NAME, lock]

    writable = report["writable"]
    assert writable["messages"] == [] and writable["unsaved"] == 0
    assert writable["disk"] == ["cheong-san-alive", "cho-yi-hyun", "lomon", "park-ji-hu", "yoon-chan-young-hopes-alive"]


REPAIR_SCRIPT = r"""
import json, os, shutil, subprocess, sys
from pathlib import Path
from aoad_tui.model.bookmarks import FILE_NAME, BookmarkStore

mount, corrupt = Path(sys.argv[1]), Path(sys.argv[2])
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", str(mount)], check=True)
directory = mount / "data"
directory.mkdir()
shutil.copy(corrupt, directory / FILE_NAME)
filler = os.open(mount / "filler", os.O_WRONLY | os.O_CREAT)
try:
    while True:
        os.write(filler, b"\0" * 512)
except OSError as error:
    report = {"filled": error.errno}
os.close(filler)

def start(label):
    store = BookmarkStore(directory)
    store.load()
    report[label] = {
        "messages": store.take_messages(),
        "shown": sorted(b.id for b in store.bookmarks),
        "files": sorted(p.name for p in directory.iterdir()),
        "file": (directory / FILE_NAME).read_bytes().hex(),
    }

start("full")
start("full again")
os.unlink(mount / "filler")
start("freed")
print(json.dumps(report))
"""


def test_a_bad_file_on_a_full_disk_stays_and_each_start_says_where_the_bookmarks_are(tmp_path: Path) -> None:
    corrupt = CORRUPT_DIR / "trailing_comma.json"
    report = run_on_a_tmpfs(tmp_path, REPAIR_SCRIPT, str(corrupt))
    salvaged = sorted(entry_id for _kind, entry_id in SALVAGE["trailing_comma.json"])
    lock = f"{FILE_NAME}.lock"

    assert report["filled"] == errno.ENOSPC
    for start in ("full", "full again"):  # every start says it, and moves nothing
        seen = report[start]
        [message] = seen["messages"]
        assert "bookmarks.json cannot be used as it is" in message and "the disk is full" in message
        assert "left as it is" in message
        assert seen["shown"] == salvaged
        assert seen["files"] == [FILE_NAME, lock]  # no aside, no temporary file
        assert bytes.fromhex(seen["file"]) == corrupt.read_bytes()

    freed = report["freed"]
    [message] = freed["messages"]
    assert "moved aside" in message and freed["shown"] == salvaged
    [aside] = [name for name in freed["files"] if name not in (FILE_NAME, lock)]
    assert ASIDE.fullmatch(aside)
    assert sorted(b.id for b in parse_bookmarks(bytes.fromhex(freed["file"]))) == salvaged


# --- entries no longer in the seeds ---------------------------------------------------------------


def test_missing_entries_resolve_as_missing_and_are_kept(directory: Path) -> None:
    knowledge = load_knowledge(bundled_seeds())
    gone = [
        Bookmark("person", "kim-nobody", "2026-01-01T00:00:00Z", "cut from the show"),
        Bookmark("quote", "lomon", "2026-01-01T00:00:00Z"),  # the id exists, but as a person
        Bookmark("source", "000_87d513006f32d67f#999", "2026-01-01T00:00:00Z"),
        Bookmark("source", "deleted_article#1", "2026-01-01T00:00:00Z"),
        Bookmark("source", "000_87d513006f32d67f", "2026-01-01T00:00:00Z"),  # no paragraph number
    ]
    store = fresh(directory)
    for bookmark in gone:
        store.add(bookmark)
    for bookmark in gone:
        row = resolve(knowledge, bookmark)
        assert row.status == MISSING == "missing from the current sources"
        assert row.missing and row.title == bookmark.id and row.entry is None

    present = resolve(knowledge, Bookmark("source", "000_87d513006f32d67f#1", "2026-01-01T00:00:00Z"))
    assert not present.missing and present.title.endswith("paragraph 1") and present.text

    again = fresh(directory)
    again.toggle("person", "lomon")
    again.remove("person", "lomon")
    again.set_note("person", "kim-nobody", "still here")
    assert keys(fresh(directory).bookmarks) == keys(gone)
    assert fresh(directory).find("person", "kim-nobody").note == "still here"  # type: ignore[union-attr]


# --- instances at once (in one process; the durability tests use several) -----------------------


def test_two_stores_merge_their_changes(directory: Path) -> None:
    first, second = fresh(directory), fresh(directory)
    first.toggle("person", "lomon")
    second.toggle("person", "park-ji-hu")  # second never saw lomon
    assert on_disk(directory) == {("person", "lomon"), ("person", "park-ji-hu")}
    assert keys(second.bookmarks) == on_disk(directory)  # a save brings in the others' changes
    first.set_note("person", "park-ji-hu", "from first")
    second.remove("person", "lomon")
    first.toggle("rumor", "cheong-san-alive")
    disk = fresh(directory)
    assert keys(disk.bookmarks) == {("person", "park-ji-hu"), ("rumor", "cheong-san-alive")}
    assert disk.find("person", "park-ji-hu").note == "from first"  # type: ignore[union-attr]


def test_file_lock_excludes(tmp_path: Path) -> None:
    lock = tmp_path / "lock"
    acquired = threading.Event()

    def other() -> None:
        with file_lock(lock):
            acquired.set()

    with file_lock(lock):
        thread = threading.Thread(target=other)
        thread.start()
        assert not acquired.wait(0.3), "a second holder got the lock while it was held"
    assert acquired.wait(5)
    thread.join(5)


def test_loading_does_not_move_aside_another_instances_fresh_file(
    directory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory.mkdir(parents=True)
    shutil.copy(CORRUPT_DIR / "truncated.json", directory / FILE_NAME)
    other = BookmarkStore(directory)  # an instance that is already running
    real_parse = bm.parse_bookmarks
    meanwhile: list[threading.Thread] = []

    def parse(data: bytes) -> list[Bookmark]:
        if not meanwhile:  # the starting instance has read the corrupt bytes: the other saves now
            thread = threading.Thread(target=other.toggle, args=("person", "lomon"))
            meanwhile.append(thread)
            thread.start()
            thread.join(0.5)  # done at once, unless the starting instance holds the lock
        return real_parse(data)

    monkeypatch.setattr(bm, "parse_bookmarks", parse)
    starting = BookmarkStore(directory)
    starting.load()
    meanwhile[0].join(5)
    monkeypatch.undo()

    assert ("person", "lomon") in keys(fresh(directory).bookmarks)


# --- where the data lives -------------------------------------------------------------------------


def test_data_dir_option_env_and_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AOAD_TUI_DATA_DIR", str(tmp_path / "env"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir(str(tmp_path / "option")) == tmp_path / "option"
    assert data_dir() == tmp_path / "env"
    monkeypatch.delenv("AOAD_TUI_DATA_DIR")
    if sys.platform.startswith("linux"):
        assert data_dir() == tmp_path / "xdg" / "aoad-tui"


@pytest.fixture(autouse=True)
def _no_leftovers(directory: Path) -> Iterator[None]:
    """Whatever a test did, a store never leaves a temporary file behind."""
    yield
    if directory.is_dir():
        assert not temporaries(directory)


# --- hand edits and odd files: nothing vanishes from view ------------------------------------------


def test_a_trailing_comma_loses_nothing(directory: Path) -> None:
    directory.mkdir(parents=True)
    shutil.copy(CORRUPT_DIR / "trailing_comma.json", directory / FILE_NAME)
    store = fresh(directory)
    assert keys(store.bookmarks) == SALVAGE["trailing_comma.json"]
    assert store.find("quote", "yoon-chan-young-hopes-alive").note == "hers"  # type: ignore[union-attr]
    assert on_disk(directory) == keys(store.bookmarks)  # saved again at once
    assert len(asides(directory)) == 1 and "not valid JSON" in store.take_messages()[0]


def test_version_1_0_is_version_1(directory: Path) -> None:
    directory.mkdir(parents=True)
    shutil.copy(CORRUPT_DIR / "version_1_0.json", directory / FILE_NAME)
    store = fresh(directory)
    assert keys(store.bookmarks) == {("person", "lomon")}
    assert store.take_messages() == [] and asides(directory) == []


def test_a_bad_file_that_cannot_be_repaired_stays_where_it_is(directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The repair cannot be written (simulated; the real full disk is below): the file is not
    moved, what could be read is shown, each start says where the bookmarks are, and the first
    save that gets through writes the repair with every change kept meanwhile."""
    directory.mkdir(parents=True)
    original = (CORRUPT_DIR / "bad_items.json").read_bytes()
    (directory / FILE_NAME).write_bytes(original)

    def full(path: Path, data: bytes, aside: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(bookmarks_module, "replace_keeping_aside", full)
    for _start in range(2):
        store = fresh(directory)
        assert keys(store.bookmarks) == SALVAGE["bad_items.json"]
        [message] = store.take_messages()
        assert str(directory / FILE_NAME) in message and "the disk is full" in message
        assert "left as it is" in message and "5 bookmark(s) that could be read are shown" in message
        assert (directory / FILE_NAME).read_bytes() == original and asides(directory) == []
    store.toggle("person", "lomon")
    assert "not saved" in store.take_messages()[0] and store.unsaved
    monkeypatch.undo()
    store.toggle("person", "park-ji-hu")
    assert on_disk(directory) == SALVAGE["bad_items.json"] | {("person", "lomon"), ("person", "park-ji-hu")}
    assert [p.read_bytes() for p in asides(directory)] == [original]
    assert keys(fresh(directory).bookmarks) == on_disk(directory)


def test_a_bad_file_in_a_read_only_directory_shows_what_could_be_read(
    directory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing can be made beside it (simulated: root writes whatever the mode): the bookmarks that
    could be read are shown, not none, and the file stays as it is."""
    directory.mkdir(parents=True)
    original = (CORRUPT_DIR / "trailing_comma.json").read_bytes()
    (directory / FILE_NAME).write_bytes(original)
    for call in ("mkstemp", "replace", "link"):  # as on a read-only file system
        monkeypatch.setattr(files.tempfile if call == "mkstemp" else files.os, call, refuse(errno.EROFS))
    store = fresh(directory)
    assert keys(store.bookmarks) == SALVAGE["trailing_comma.json"]
    [message] = store.take_messages()
    assert "the file system is read-only" in message and "left as it is" in message
    assert (directory / FILE_NAME).read_bytes() == original and asides(directory) == []


@pytest.mark.parametrize(
    "shape",
    [b'{"kind": ', b'{"a":[', b'{"{":{', b'"{"', b'{"x" ', b"{[{"],
)
def test_salvage_is_linear_in_a_files_size(directory: Path, shape: bytes) -> None:
    """16 MiB of nested or unclosed objects, the worst a file the store reads can hold, salvaged in
    seconds (it took minutes when each place an object could start was decoded as far as it went)."""
    data = shape * (bm.MAX_FILE_BYTES // len(shape))
    started = time.perf_counter()
    with pytest.raises(bm.CorruptFileError) as error:
        bm.parse_bookmarks(data)
    elapsed = time.perf_counter() - started
    assert error.value.salvaged == []
    assert elapsed < 30, f"{elapsed:.1f} s to salvage 16 MiB of {shape!r}"


def test_a_fifo_is_refused_at_once_and_left_alone(directory: Path) -> None:
    directory.mkdir(parents=True)
    os.mkfifo(directory / FILE_NAME)
    started = time.monotonic()
    store = fresh(directory)  # would block for ever on a read
    assert time.monotonic() - started < 5
    message = store.take_messages()[0]
    assert "is a FIFO, not a file" in message and str(directory / FILE_NAME) in message
    store.toggle("person", "lomon")  # kept for the session
    assert store.contains("person", "lomon") and "not saved" in store.take_messages()[0]
    assert stat.S_ISFIFO(os.stat(directory / FILE_NAME).st_mode)


def test_a_symlinked_file_is_written_through_its_link(directory: Path, tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "aoad-bookmarks.json"
    saved_store(dotfiles, ("person", "lomon"))
    (dotfiles / FILE_NAME).rename(target)
    directory.mkdir(parents=True)
    (directory / FILE_NAME).symlink_to(target)
    store = fresh(directory)
    assert keys(store.bookmarks) == {("person", "lomon")}
    store.toggle("person", "park-ji-hu")
    assert (directory / FILE_NAME).is_symlink()  # still the link
    assert keys(parse_bookmarks(target.read_bytes())) == {("person", "lomon"), ("person", "park-ji-hu")}


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can write as another user")
def test_root_keeps_a_users_file_theirs(directory: Path) -> None:
    # `sudo -E aoad-tui`: the file stays the user's, with its mode, so their next start can read it.
    # The lock root makes in the user's directory is the user's too (one it finds keeps its owner:
    # test_files.py).
    user = 54321
    directory.mkdir(parents=True, exist_ok=True)
    os.chown(directory, user, user)
    saved_store(directory, ("person", "lomon"))
    os.chown(directory / FILE_NAME, user, user)
    os.chmod(directory / FILE_NAME, 0o640)
    fresh(directory).toggle("person", "park-ji-hu")
    after = os.stat(directory / FILE_NAME)
    assert (after.st_uid, after.st_gid, stat.S_IMODE(after.st_mode)) == (user, user, 0o640)
    lock = os.stat(directory / f"{FILE_NAME}.lock")
    assert lock.st_uid == user


def test_the_store_refuses_one_more_than_it_would_read_back(directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A file over MAX_BOOKMARKS is moved aside at the next start: the store never writes one.
    monkeypatch.setattr(bookmarks_module, "MAX_BOOKMARKS", 3)
    store = saved_store(directory, ("person", "a"), ("person", "b"), ("person", "c"))
    with pytest.raises(bookmarks_module.TooManyBookmarks, match="At most 3 bookmarks"):
        store.toggle("person", "d")
    store.toggle("person", "a")  # removing still works, and makes room
    store.toggle("person", "d")
    assert on_disk(directory) == {("person", "b"), ("person", "c"), ("person", "d")}
    assert fresh(directory).take_messages() == []


def test_a_symlinked_file_that_is_not_bookmarks_moves_the_link_aside_never_its_target(
    directory: Path, tmp_path: Path
) -> None:
    somefile = tmp_path / "somefile"
    somefile.write_text("not bookmarks at all\n")
    directory.mkdir(parents=True, exist_ok=True)
    (directory / FILE_NAME).symlink_to(somefile)
    store = fresh(directory)
    assert store.bookmarks == []
    assert somefile.read_text() == "not bookmarks at all\n"  # where it was, as it was
    [aside] = asides(directory)
    assert aside.is_symlink() and aside.resolve() == somefile
    path = directory / FILE_NAME  # in the link's place, a bookmarks file of its own
    assert not path.is_symlink() and path.is_file() and on_disk(directory) == set()
    assert "moved aside" in " ".join(store.take_messages())


# --- another instance's changes, looked for while the Bookmarks tab is shown ---------------------


def test_refresh_reads_only_when_another_instance_changed_the_file(
    directory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine, other = fresh(directory), fresh(directory)
    mine.toggle("person", "lomon")
    reads = []
    real_read = BookmarkStore._read

    def counted(store: BookmarkStore) -> list[Bookmark]:
        reads.append(store)
        return real_read(store)

    monkeypatch.setattr(BookmarkStore, "_read", counted)
    assert mine.refresh() is False and reads == []  # its own write: one stat, no read
    other.load()
    other.toggle("person", "park-ji-hu")
    reads.clear()
    assert mine.refresh() is True and len(reads) == 1
    assert keys(mine.bookmarks) == {("person", "lomon"), ("person", "park-ji-hu")}
    assert mine.refresh() is False and len(reads) == 1  # seen now


def test_refresh_keeps_changes_not_saved_yet_on_top(directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine, other = fresh(directory), fresh(directory)

    def failing_write(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bookmarks_module, "write_atomically", failing_write)
    mine.toggle("person", "lomon")  # kept in memory: the write failed
    monkeypatch.undo()
    assert mine.unsaved
    other.toggle("person", "park-ji-hu")
    assert mine.refresh() is True
    assert keys(mine.bookmarks) == {("person", "lomon"), ("person", "park-ji-hu")}


def test_refresh_after_another_writer_left_a_bad_file_repairs_it_and_says_so(directory: Path) -> None:
    mine = fresh(directory)
    mine.toggle("person", "lomon")
    kept = '{"kind": "person", "id": "park-ji-hu", "added": "2026-11-01T08:00:00Z", "note": ""}'
    (directory / FILE_NAME).write_text(f'{{"version": 1, "bookmarks": [{kept}, {{"kind": "pers')  # cut short
    assert mine.refresh() is True
    assert keys(mine.bookmarks) == {("person", "park-ji-hu")} == on_disk(directory)  # what could be read
    assert any("moved aside" in message for message in mine.take_messages())
    assert list(directory.glob(f"{FILE_NAME}.corrupt-*"))  # the bad file kept beside, never deleted
    assert mine.refresh() is False  # the repair is what it has seen
