"""Shared fixtures: no test ever touches the real user's data directory or seeds setting."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data directory at a fresh folder and clear variables that change behaviour."""
    data_dir = tmp_path / "data-dir"
    monkeypatch.setenv("AOAD_TUI_DATA_DIR", str(data_dir))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    for name in ("AOAD_TUI_SEEDS", "SSH_CONNECTION", "SSH_TTY", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return data_dir
