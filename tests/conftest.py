"""Shared fixtures: no test ever touches the real user's data, cache or config directories, or
their seeds setting."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "bench"))  # isolation.py, shared with the benchmarks
from isolation import isolated_env

DATA = Path(__file__).parent / "data"


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
