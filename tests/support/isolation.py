"""Where a test or benchmark run keeps the app's files: a folder of its own, never the user's.

One helper for all of them: tests/conftest.py (its autouse fixture), the pty harness
(support/ptyharness.py) and every benchmark. Plain standard library, so that the benchmarks and
the tests import it the same way (`from support.isolation import isolated_env`, see
support/__init__.py), without importing Textual or the app.

HOME is deliberately left alone: tests/e2e/test_isolation.py points HOME at an empty folder and checks
that it stays empty, which it can only notice while HOME is not redirected too.
"""

from __future__ import annotations

import os
from pathlib import Path


def isolated_env(root: str | os.PathLike[str]) -> dict[str, str]:
    """Variables that give aoad-tui its own data, cache, config and state directories under `root`
    (nothing is created: the app makes what it needs)."""
    base = Path(root).absolute()  # the XDG specification ignores relative paths
    return {
        "AOAD_TUI_DATA_DIR": str(base / "data"),
        "XDG_DATA_HOME": str(base / "xdg-data"),
        "XDG_CACHE_HOME": str(base / "cache"),
        "XDG_CONFIG_HOME": str(base / "config"),
        "XDG_STATE_HOME": str(base / "state"),
    }


def files_under(folder: str | os.PathLike[str]) -> dict[str, int]:
    """Every file and folder below `folder` (its path relative to `folder`) with its modification
    time in ns; empty when `folder` is missing."""
    base = Path(folder)
    found: dict[str, int] = {}
    for parent, dirs, files in os.walk(base):
        for name in dirs + files:
            path = Path(parent, name)
            found[str(path.relative_to(base))] = path.lstat().st_mtime_ns
    return found
