"""Where aoad-tui finds its seeds and keeps its data."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs

APP_NAME = "aoad-tui"
SEEDS_ENV = "AOAD_TUI_SEEDS"
DATA_DIR_ENV = "AOAD_TUI_DATA_DIR"


def bundled_seeds() -> Path:
    """The seeds shipped with the package (inside the wheel), or the source tree's seeds/."""
    packaged = Path(__file__).resolve().parent.parent / "seeds"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "seeds"


def seeds_dir(option: str | None = None) -> Path:
    """The seeds directory: the --seeds option, else $AOAD_TUI_SEEDS, else the bundled one."""
    chosen = option or os.environ.get(SEEDS_ENV)
    return Path(chosen).expanduser() if chosen else bundled_seeds()


def knowledge_cache() -> Path:
    """Where the validated knowledge base is cached between starts (see model/cache.py)."""
    return platformdirs.user_cache_path(APP_NAME) / "knowledge.pickle"


def data_dir(option: str | None = None) -> Path:
    """The data directory: --data-dir, else $AOAD_TUI_DATA_DIR, else the user's data dir."""
    chosen = option or os.environ.get(DATA_DIR_ENV)
    return Path(chosen).expanduser() if chosen else platformdirs.user_data_path(APP_NAME)


def display_path(path: Path) -> str:
    """A path as the user will recognise it: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


def kind_of_file(mode: int) -> str:
    """What a file that is not a regular file is, in words: "a directory", "a FIFO"..."""
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"
