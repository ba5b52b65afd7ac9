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
import sys
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from aoad_tui import __version__
from aoad_tui.model.entries import Fact, KnowledgeBase, Rest, overview_order
from aoad_tui.model.files import make_directory, new_temporary_file, open_regular_file
from aoad_tui.model.paths import display_path

FORMAT = 8  # raise when the pickled classes or the file's layout change
# The Overview's first facts read before the first frame: at least the rows its list builds at
# first (widgets/entry_list.py: WINDOW); the list reads the rest when it needs more.
FIRST_FACTS = 256


Signature = tuple[object, ...]


def signature(seeds: Path) -> Signature | None:
    """What a knowledge base is made from, taken before reading it (a seed changed meanwhile then
    makes the cache stale); None when the directory cannot be listed."""
    try:
        # ctime and inode too: an edit of the same size with its modification time put back (as a
        # sync tool may) still changes the ctime, and a file replaced whole has a new inode.
        files = sorted(
            (entry.name, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
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
    """The cached knowledge base, if it was made from seeds of the `current` signature. Only what
    the first frame shows is read now: the articles, the show, the facts with a glance and the
    Overview's first facts (at 100,000 entries, a fortieth of the file); every fact, people, quotes
    and rumors are read when first needed (KnowledgeBase.read_rest), from the file left open (should
    it be replaced meanwhile, this one stays readable)."""
    if current is None:
        return None
    try:
        file = open_regular_file(cache)  # a FIFO would block the read
    except OSError:
        return None
    # One unpickler for both parts: the rest's facts are the very objects of the first part.
    unpickler = KnowledgeUnpickler(file)
    knowledge = _first_part(file, unpickler, current)
    if knowledge is None:
        file.close()
    return knowledge


def _first_part(file: BinaryIO, unpickler: pickle.Unpickler, current: Signature) -> KnowledgeBase | None:
    """What the first frame needs, if the file's signature is `current` (a stale cache is found
    stale without reading further) and it reads as a knowledge base's first part."""
    try:
        if KnowledgeUnpickler(file).load() != current:
            return None
        articles, show, facts, thesaurus, digest = unpickler.load()
        if not (isinstance(articles, dict) and isinstance(facts, list) and isinstance(digest, str)):
            return None
        rest = partial(_read_rest, unpickler, file, Path(str(current[3])), facts)
        return KnowledgeBase(
            articles, show, facts=facts, people=[], quotes=[], rumors=[], thesaurus=thesaurus, rest=rest, digest=digest
        )
    except Exception:  # unreadable or corrupt, even in ways pickle does not foresee
        return None


def _read_rest(unpickler: pickle.Unpickler, file: BinaryIO, seeds: Path, first: list[Fact]) -> Rest:
    """The rest of the cache; should it not read (it was written whole, so it should), the seeds';
    should they be invalid now, what was read stays (the `first` facts)."""
    try:
        with file:
            facts, people, quotes, rumors, fingerprints = unpickler.load()
        return list(facts), list(people), list(quotes), list(rumors), dict(fingerprints)
    except Exception:  # corrupt in a way pickle does not foresee: the seeds have it all
        from aoad_tui.model.loader import load_knowledge

        try:
            whole = load_knowledge(seeds)
        except Exception:  # the seeds changed meanwhile and are invalid now: what was read stays
            return first, [], [], [], {}
        return whole.facts, whole.people, whole.quotes, whole.rumors, {}


def save_cached(cache: Path, made_from: Signature | None, knowledge: KnowledgeBase) -> None:
    """Keep knowledge, made from seeds of that signature, if the cache directory can be written:
    the signature (a pickle of its own), then what the first frame needs and the rest (one pickler,
    one memo)."""
    if made_from is None:
        return
    from aoad_tui.model.visits import digest_of

    temporary: Path | None = None
    try:
        digest = digest_of(knowledge)
        first = (knowledge.articles, knowledge.show, first_facts(knowledge.facts), knowledge.thesaurus, digest)
        rest = (knowledge.facts, knowledge.people, knowledge.quotes, knowledge.rumors, knowledge.fingerprints)
        make_directory(cache.parent)  # as root, the user's own, as the file is
        file, temporary = new_temporary_file(cache)
        with file:
            pickle.dump(made_from, file, protocol=pickle.HIGHEST_PROTOCOL)
            both = pickle.Pickler(file, protocol=pickle.HIGHEST_PROTOCOL)  # one memo: the rest refers to the first
            both.dump(first)
            both.dump(rest)
        os.replace(temporary, cache)  # whole or not at all, even with two apps starting at once
    except Exception:  # (OSError, PicklingError, anything else): a cache is only a shortcut
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


def first_facts(facts: list[Fact]) -> list[Fact]:
    """What the first frame shows of the facts: every one with a glance, and the Overview's first
    FIRST_FACTS; in the order of the data (so that overview_order gives the same first rows)."""
    shown = {id(fact) for fact in overview_order(facts)[:FIRST_FACTS]}
    return [fact for fact in facts if fact.glance or id(fact) in shown]
