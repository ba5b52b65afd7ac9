"""The lock files beside the app's own files (bookmarks.json.lock, seen.json.lock): never opened
through a symbolic link or as anything but a regular file, and only a file made here is handed to
the data directory's owner. A link left there by anyone could otherwise make a run as root hand
any file on the system to that owner, or create one where they cannot."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest

from aoad_tui.model.files import file_lock
from aoad_tui.model.visits import VisitStore, visit_of

NOBODY = 65534


def owned_by_nobody(directory: Path) -> None:
    """As root, the data directory belongs to someone else (as with `sudo -E aoad-tui`)."""
    if os.geteuid() == 0:
        os.chown(directory, NOBODY, NOBODY)


def test_a_lock_that_is_a_symbolic_link_is_refused_and_its_target_left_alone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    owned_by_nobody(data)
    target = tmp_path / "secret"
    target.write_text("root's own\n")
    target.chmod(0o600)
    before = os.stat(target)
    (data / "seen.json.lock").symlink_to(target)
    with pytest.raises(OSError), file_lock(data / "seen.json.lock"):
        pass
    after = os.stat(target)
    assert (after.st_uid, after.st_gid, stat.S_IMODE(after.st_mode)) == (before.st_uid, before.st_gid, 0o600)
    assert target.read_text() == "root's own\n"


def test_a_lock_that_is_a_dangling_link_creates_nothing_where_it_points(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    owned_by_nobody(data)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (data / "bookmarks.json.lock").symlink_to(elsewhere / "made")
    with pytest.raises(OSError), file_lock(data / "bookmarks.json.lock"):
        pass
    assert list(elsewhere.iterdir()) == []


def test_a_lock_that_is_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "seen.json.lock")
    with pytest.raises(OSError, match="not a regular file"), file_lock(tmp_path / "seen.json.lock"):
        pass


def test_a_lock_made_here_is_the_data_directorys_owners_and_one_found_there_keeps_its_owner(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    owned_by_nobody(data)
    with file_lock(data / "made.lock"):
        pass
    assert os.stat(data / "made.lock").st_uid == os.stat(data).st_uid
    found = data / "found.lock"
    found.write_text("")
    owner = os.stat(found).st_uid
    with file_lock(found):
        pass
    assert os.stat(found).st_uid == owner


def test_a_visit_with_a_symbolic_link_for_its_lock_is_not_saved_and_says_why(tmp_path: Path) -> None:
    from support.helpers import knowledge_from

    from aoad_tui.model.paths import bundled_seeds

    data = tmp_path / "data"
    data.mkdir()
    target = tmp_path / "target"
    target.write_text("")
    (data / "seen.json.lock").symlink_to(target)
    store = VisitStore(data)
    assert not store.save(visit_of(knowledge_from(bundled_seeds()), date(2026, 12, 7)))
    assert not (data / "seen.json").exists()
    [message] = store.take_messages()
    assert "seen.json.lock is a symbolic link" in message
