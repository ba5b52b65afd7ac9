"""Shared fixtures: no test ever touches the real user's data, cache or config directories, or
their seeds setting.

The tests are in three directories: unit/ (the model and the wire, no app), app/ (the app under
Textual's Pilot, and its snapshots) and e2e/ (the installed command in subprocesses, in a
pseudo-terminal and over SSH; marked `e2e` by e2e/conftest.py, so `pytest -m "not e2e"` leaves them
out). What they share is the `support` package (support/__init__.py says how it is imported).
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from support.isolation import isolated_env

# An app under test makes and drops hundreds of thousands of small objects; Python's default
# collector walks every live object (the suite's modules, Textual's CSS, the knowledge base) every
# few thousand of them. Rarer collections, and the objects alive after collection frozen out of
# them, take about 7% off the fast loop's CPU time.
gc.set_threshold(50_000, 20, 100)


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Give the app its own data, cache and config directories in a fresh folder (isolated_env),
    and clear variables that change behaviour. Returns the data directory (not created yet)."""
    env = isolated_env(tmp_path / "isolated")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for name in ("AOAD_TUI_SEEDS", "SSH_CONNECTION", "SSH_TTY", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return Path(env["AOAD_TUI_DATA_DIR"])
