"""What a fan saw on their last visit, and what is new or changed since.

A visit is remembered in seen.json in the data directory: the day, a digest of everything, and for
each entry a fingerprint of everything a fan sees of it (its text, status, history and citations; not the line
of the seeds file it was written on), its status, and the articles it cites. The next visit compares
the knowledge it loaded with that: an entry that was not there is new; one whose fingerprint
differs is changed, and says how (its status, a new source, its wording or citations). When the
digest (the file's first line) is the knowledge's own, nothing changed and the rest is not read:
the common start costs a line, not a 10,000-entry comparison. The file is
written like the bookmarks (atomic, under the lock); one that cannot be used is moved aside and the
visit counts as a first one: it shows nothing as new, since everything would be.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from aoad_tui.model.entries import Entry, KnowledgeBase, Rumor
from aoad_tui.model.files import (
    NotAFileError,
    describe,
    file_lock,
    fsync_directory,
    make_directory,
    open_regular_file,
    write_atomically,
)
from aoad_tui.model.vocabulary import KINDS

VERSION = 1
FILE_NAME = "seen.json"
# About 2.4 times what a 100,000-entry pack writes (10 MB). It is read before the first frame:
# a 62 MB file took 14 s of a blank screen to be found unusable.
MAX_FILE_BYTES = 24 * 1024 * 1024
What = Literal["new", "changed"]


@dataclass(frozen=True, slots=True)
class Seen:
    """What a fan saw of one entry."""

    kind: str
    fingerprint: str
    status: str
    articles: tuple[str, ...]  # the articles it cited, in order


@dataclass(frozen=True, slots=True)
class Visit:
    """A visit: its day, and what it showed of every entry (by id); `seen` is empty when only the
    digest was read (it matched: nothing changed)."""

    on: date
    seen: dict[str, Seen]
    digest: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.digest:
            object.__setattr__(self, "digest", _digest((i, s.fingerprint) for i, s in self.seen.items()))


@dataclass(frozen=True, slots=True)
class Change:
    """An entry that is new or changed since the last visit, and how, in words."""

    entry: Entry
    what: What
    details: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        entry = self.entry
        return {
            "what": self.what,
            "kind": entry.kind,
            "id": entry.id,
            "title": entry.title,
            "status": entry.status_word,
            "as_of": entry.as_of.isoformat(),
            "details": list(self.details),
        }


@dataclass(frozen=True, slots=True)
class Gone:
    """An entry the last visit showed that the sources no longer have (seen.json keeps its kind and
    id, which is a slug of its name: "person lomon")."""

    kind: str
    id: str

    def as_json(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id}


@dataclass(frozen=True, slots=True)
class News:
    """What is new, changed and removed since the last visit (none on a first visit), in list
    order (removals in the order the last visit had them)."""

    since: date | None
    changes: tuple[Change, ...] = ()
    removed: tuple[Gone, ...] = ()
    by_id: dict[str, Change] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {change.entry.id: change for change in self.changes})

    def of(self, entry_id: str) -> What | None:
        """Whether an entry is new or changed since the last visit."""
        change = self.by_id.get(entry_id)
        return change.what if change else None

    def count(self, what: What) -> int:
        return sum(1 for change in self.changes if change.what == what)

    @property
    def line(self) -> str:
        """One line for the Overview: "Since your last visit on 2026-11-02: 2 new, 1 changed"; "" when
        nothing changed or there was no earlier visit."""
        if self.since is None or not (self.changes or self.removed):
            return ""
        counts = [f"{n} {what}" for what in ("new", "changed") if (n := self.count(what))]
        counts += [f"{len(self.removed)} removed"] if self.removed else []
        return f"Since your last visit on {self.since.isoformat()}: {', '.join(counts)}"

    def as_json(self) -> dict[str, object]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "new": self.count("new"),
            "changed": self.count("changed"),
            "removed": len(self.removed),
            "changes": [change.as_json() for change in self.changes],
            "removals": [gone.as_json() for gone in self.removed],
        }


# --- what a fan sees ------------------------------------------------------------------------------

_SHOWN_FIELDS: dict[type, tuple[str, ...]] = {}


def fingerprint(entry: Entry) -> str:
    """A short hash of every field a fan sees (all but where in the seeds the entry was written)."""
    names = _SHOWN_FIELDS.get(type(entry))
    if names is None:
        names = tuple(f.name for f in dataclasses.fields(entry) if f.name != "origin")
        _SHOWN_FIELDS[type(entry)] = names
    shown = repr([getattr(entry, name) for name in names]).encode("utf-8", "surrogatepass")
    return _hash(shown, 8)


def _hash(data: bytes, size: int) -> str:
    # hashlib is imported when first needed: a warm start that finds nothing changed never hashes,
    # and never maps the OpenSSL library hashlib loads (0.6 MiB of peak memory).
    import hashlib

    return hashlib.blake2b(data, digest_size=size).hexdigest()


def cited_articles(entry: Entry) -> tuple[str, ...]:
    """Every article an entry cites, its status history's too, first citation first."""
    cites = [*entry.cites]
    if isinstance(entry, Rumor):
        for step in entry.history:
            cites += step.cites
    return tuple(dict.fromkeys(citation.article for citation in cites))


def fingerprints(knowledge: KnowledgeBase) -> dict[str, str]:
    """Every entry's fingerprint, by id: worked out once per knowledge base (and kept with it in the
    knowledge cache)."""
    # Under the knowledge's lock: the visit and the knowledge cache, each in a thread after the
    # first frame of a cold start, ask at once; the second waits for the first's (1.4 s at 100,000).
    with knowledge.lock:
        if len(knowledge.fingerprints) != len(knowledge.by_id):
            knowledge.fingerprints = {entry.id: fingerprint(entry) for entry in knowledge.entries()}
            knowledge.digest = ""
    return knowledge.fingerprints


def _digest(pairs: Iterable[tuple[str, str]]) -> str:
    joined = "\n".join(f"{entry_id}\t{fingerprint}" for entry_id, fingerprint in pairs)
    return _hash(joined.encode("utf-8", "surrogatepass"), 16)


def digest_of(knowledge: KnowledgeBase) -> str:
    """One hash of every entry's fingerprint, in order: equal digests, nothing changed. Kept with
    the knowledge base (and its cache), as the fingerprints are."""
    if not knowledge.digest:  # (one from the knowledge cache needs no fingerprint read)
        knowledge.digest = _digest(fingerprints(knowledge).items())
    return knowledge.digest


def visit_of(knowledge: KnowledgeBase, on: date) -> Visit:
    """What a visit on `on` shows of `knowledge`."""
    prints = fingerprints(knowledge)
    seen = {e.id: Seen(e.kind, prints[e.id], e.status, cited_articles(e)) for e in knowledge.entries()}
    return Visit(on, seen)


def compare(last: Visit | None, knowledge: KnowledgeBase) -> News:
    """What `knowledge` shows that the `last` visit did not: each new or changed entry, and how."""
    if last is None:
        return News(None)
    prints = fingerprints(knowledge)
    changes: list[Change] = []
    for entry in knowledge.entries():
        before = last.seen.get(entry.id)
        if before is None or before.kind != entry.kind:
            changes.append(Change(entry, "new", ("new",)))
        elif before.fingerprint != prints[entry.id]:
            after = Seen(entry.kind, prints[entry.id], entry.status, cited_articles(entry))
            changes.append(Change(entry, "changed", _how(knowledge, entry, before, after)))
    # (An id now of another kind is new above; what the last visit had under it is gone.)
    now = knowledge.by_id
    removed = [Gone(seen.kind, i) for i, seen in last.seen.items() if i not in now or now[i].kind != seen.kind]
    return News(last.on, tuple(changes), tuple(removed))


def _how(knowledge: KnowledgeBase, entry: Entry, before: Seen, after: Seen) -> tuple[str, ...]:
    """How an entry changed, in words: its status (and the source that says so), new sources."""
    details = []
    named = ""  # the article the status line names already
    if before.status != after.status:
        citation = entry.history[-1].cites[0] if isinstance(entry, Rumor) and entry.history else entry.cites[0]
        article = knowledge.articles.get(citation.article)
        named = citation.article
        source = article.label if article else citation.article
        details.append(f"status: {before.status} → {after.status} ({source})")
    for article_id in after.articles:
        if article_id not in before.articles and article_id != named:
            article = knowledge.articles.get(article_id)
            details.append(f"new source: {article.label if article else article_id}")
    return tuple(details) or ("wording or citations changed",)


# --- seen.json ------------------------------------------------------------------------------------


class UnusableFile(Exception):
    """seen.json cannot be read as a visit; the message says why, in a few words."""


def parse_visit(data: bytes, unless: str = "") -> Visit:
    """A visit from the bytes of seen.json (a header line: version, day, digest; then the entries);
    UnusableFile if they are not what this version writes. When the digest is `unless`, the entries
    are not read (the visit's `seen` is empty)."""
    head, _, rest = data.partition(b"\n")
    header = _json_object(head)
    version = header.get("version")
    if type(version) is not int or version != VERSION:
        raise UnusableFile(f"version {version!r}, this aoad-tui knows version {VERSION}")
    try:
        on = date.fromisoformat(header["visited"])
        digest = header["digest"]
        if not isinstance(digest, str) or not digest:
            raise TypeError
    except (KeyError, TypeError, ValueError):
        raise UnusableFile("the first line's fields are missing or of the wrong kind") from None
    if digest == unless:
        return Visit(on, {}, digest)
    try:
        entries = _json_object(rest)
        if not all(isinstance(item, list) and isinstance(item[3], list) for item in entries.values()):
            raise TypeError
        seen = {
            entry_id: Seen(kind, fingerprint, status, tuple(articles))
            for entry_id, (kind, fingerprint, status, articles) in entries.items()
        }
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        raise UnusableFile("a field is missing or of the wrong kind") from None
    for entry_id, item in seen.items():
        texts = (entry_id, item.fingerprint, item.status, *item.articles)
        if item.kind not in KINDS or not all(isinstance(text, str) for text in texts):
            raise UnusableFile(f"entry {entry_id!r} is not one this version wrote")
    visit = Visit(on, seen)
    if visit.digest != digest:
        raise UnusableFile("its digest is not that of its entries")
    return visit


def _digest_in(head: bytes) -> object:
    """The digest a first line names, if it names one (parse_visit checks the rest)."""
    try:
        return _json_object(head).get("digest")
    except UnusableFile:
        return None


def _json_object(data: bytes) -> dict[str, Any]:
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise UnusableFile("not valid JSON") from None
    if not isinstance(document, dict):
        raise UnusableFile("not a JSON object")
    return document


def serialize_visit(visit: Visit) -> bytes:
    entries = {
        entry_id: [item.kind, item.fingerprint, item.status, list(item.articles)]
        for entry_id, item in visit.seen.items()
    }
    header = {"version": VERSION, "visited": visit.on.isoformat(), "digest": visit.digest}
    lines = (json.dumps(part, ensure_ascii=False, separators=(",", ":")) for part in (header, entries))
    return "".join(f"{line}\n" for line in lines).encode()


class VisitStore:
    """The last visit of a data directory (seen.json), read once and written once a visit."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / FILE_NAME
        self.lock_path = directory / f"{FILE_NAME}.lock"
        self.messages: list[str] = []
        self.writable = True  # False when the file is left alone (not a file, unreadable)

    def load(self, unless: str = "") -> Visit | None:
        """The last visit, or None: none yet, or a file that cannot be used (moved aside, said).
        When its digest is `unless`, only its first line is read (parse_visit)."""
        try:
            with open_regular_file(self.path) as file:
                # The first line first: with the digest asked for, nothing else is read (10 MB at
                # 100,000 entries).
                data = file.readline(MAX_FILE_BYTES + 1)
                if not unless or _digest_in(data) != unless:
                    data += file.read(MAX_FILE_BYTES + 1 - len(data))
        except FileNotFoundError:
            return None
        except NotAFileError:
            self.writable = False
            self.messages.append(f"{self.path} is not a file: what was new is not remembered this time")
            return None
        except OSError as error:
            self.writable = False
            self.messages.append(f"Cannot read {self.path} ({describe(error)}): nothing is marked as new")
            return None
        try:
            if len(data) > MAX_FILE_BYTES:
                raise UnusableFile(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
            return parse_visit(data, unless)
        except UnusableFile as error:
            self._move_aside(str(error))
            return None

    def _move_aside(self, reason: str) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        aside = self.path.with_name(f"{FILE_NAME}.corrupt-{stamp}")
        try:
            with file_lock(self.lock_path):
                os.replace(self.path, aside)
            fsync_directory(self.directory)
        except OSError as error:
            self.writable = False
            self.messages.append(f"{self.path} is not usable ({reason}) and cannot be moved aside: {describe(error)}")
            return
        self.messages.append(
            f"{self.path} was not usable ({reason}): moved aside to {aside.name}; nothing is marked as new this time"
        )

    def save(self, visit: Visit) -> bool:
        """Remember a visit; False (with a message) if it cannot be written."""
        if not self.writable:
            return False
        try:
            make_directory(self.directory)
            with file_lock(self.lock_path):
                write_atomically(self.path, serialize_visit(visit))
                for stale in self.directory.glob(f".{FILE_NAME}.*.tmp"):
                    with contextlib.suppress(OSError):
                        stale.unlink()
        except OSError as error:
            self.messages.append(f"What this visit showed cannot be remembered ({self.path}: {describe(error)})")
            return False
        return True

    def take_messages(self) -> list[str]:
        messages, self.messages = self.messages, []
        return messages


def start_visit(store: VisitStore, knowledge: KnowledgeBase, today: date) -> tuple[News, bool]:
    """Read the last visit and compare: what is new since then, and whether this visit must be
    remembered (`remember`: not when seen.json already says the same, on the same day)."""
    digest = digest_of(knowledge)
    last = store.load(unless=digest)
    if last is None:
        return News(None), True
    if last.digest == digest:
        return News(last.on), last.on != today
    return compare(last, knowledge), True


def remember(store: VisitStore, knowledge: KnowledgeBase, today: date) -> bool:
    """Write what this visit shows, for the next one to compare with; False (said) if it cannot be."""
    return store.save(visit_of(knowledge, today))
