"""A cache of the validated knowledge base, so that the app does not read YAML it has read before.

Reading the seeds means importing PyYAML, parsing and validating: about a tenth of the app's
startup. The result is kept in the user's cache directory with the signature of what it was made
from (every seed file's name, size and modification time, the seeds directory as its paths are
shown, and the versions), and used only while that signature still holds. The signature is
written first, as a pickle of its own, so that a stale cache is found stale without reading the
rest. A cache that cannot be read or written is ignored: the seeds are read as if it were not there.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import Any

from aoad_tui import __version__
from aoad_tui.model.entries import KnowledgeBase
from aoad_tui.model.paths import display_path

FORMAT = 6  # raise when the pickled classes or the file's layout change


Signature = tuple[object, ...]


def signature(seeds: Path) -> Signature | None:
    """What a knowledge base is made from, taken before reading it (a seed changed meanwhile then
    makes the cache stale); None when the directory cannot be listed."""
    try:
        files = sorted(
            (entry.name, stat.st_size, stat.st_mtime_ns)
            for entry in os.scandir(seeds)
            if not entry.name.startswith(".") and entry.is_file() and (stat := entry.stat())
        )
        where = str(seeds.resolve())
    except OSError:
        return None
    # The origins of entries are paths shown as display_path(seeds) shows the directory.
    return (FORMAT, __version__, sys.version_info[:2], where, display_path(seeds), tuple(files))


class KnowledgeUnpickler(pickle.Unpickler):
    """Rebuilds only the knowledge base's own classes and dates: a cache file holds data, never code."""

    def find_class(self, module: str, name: str) -> Any:
        if module in ("aoad_tui.model.entries", "datetime"):
            found = super().find_class(module, name)
            if isinstance(found, type) and found.__module__ == module and found.__name__ == name:
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a knowledge base")


def load_cached(cache: Path, current: Signature | None) -> KnowledgeBase | None:
    """The cached knowledge base, if it was made from seeds of the `current` signature."""
    if current is None:
        return None
    try:
        if not stat.S_ISREG(os.stat(cache).st_mode):  # a FIFO would block the read
            return None
        with cache.open("rb") as file:
            if KnowledgeUnpickler(file).load() != current:
                return None  # stale: the knowledge base after it is not read
            knowledge = KnowledgeUnpickler(file).load()  # a pickle of its own, with its own memo
    except Exception:  # missing, unreadable or corrupt, even in ways pickle does not foresee
        return None
    return knowledge if isinstance(knowledge, KnowledgeBase) else None


def save_cached(cache: Path, made_from: Signature | None, knowledge: KnowledgeBase) -> None:
    """Keep knowledge, made from seeds of that signature, if the cache directory can be written."""
    if made_from is None:
        return
    temporary = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as file:
            pickle.dump(made_from, file, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(knowledge, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, cache)  # whole or not at all, even with two apps starting at once
    except Exception:  # (OSError, PicklingError, anything else): a cache is only a shortcut
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
