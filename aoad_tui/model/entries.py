"""The entries of the knowledge base, as plain frozen dataclasses."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from operator import attrgetter

from aoad_tui.model.vocabulary import Kind

# How sure a claim is, from most to least sure (denied last: it is sure, but of the opposite).
STATUSES: tuple[str, ...] = (
    "confirmed",
    "announced",
    "expected",
    "reported",
    "speculated",
    "unconfirmed",
    "denied",
)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where something was written: a file and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Citation:
    """The exact passage of a source article that supports a claim."""

    article: str
    passage: str


@dataclass(frozen=True, slots=True)
class Article:
    """A source article: its text as written, with the `date ...` prefix of line one removed."""

    id: str
    path: str
    date: date
    body: str
    title: str = ""
    outlet: str = ""

    @property
    def label(self) -> str:
        """A one-line name: title (or file id), outlet and date."""
        parts = [self.title or self.id]
        if self.outlet:
            parts.append(self.outlet)
        parts.append(self.date.isoformat())
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Step:
    """One dated, cited state of a rumor's status."""

    status: str
    as_of: date
    cites: tuple[Citation, ...]
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """What every entry has: an id, a status as of a date, and its citations."""

    id: str
    status: str
    as_of: date
    cites: tuple[Citation, ...]
    origin: Origin

    kind: Kind = "fact"

    @property
    def title(self) -> str:
        """The entry's name in a list."""
        raise NotImplementedError

    @property
    def text(self) -> str:
        """The entry's main text."""
        return self.title

    @property
    def status_word(self) -> str:
        """The status as a fan should read it beside this entry."""
        return self.status


@dataclass(frozen=True, slots=True)
class Alias:
    name: str
    cites: tuple[Citation, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Show(Entry):
    name: str
    summary: str
    aliases: tuple[Alias, ...] = ()
    kind: Kind = "show"

    @property
    def title(self) -> str:
        return self.name

    @property
    def text(self) -> str:
        return self.summary


@dataclass(frozen=True, slots=True, kw_only=True)
class Fact(Entry):
    statement: str
    topic: str = ""
    when: str = ""
    glance: str = ""  # a few words for the Overview's at-a-glance line
    about: tuple[str, ...] = ()
    kind: Kind = "fact"

    @property
    def title(self) -> str:
        return self.statement


@dataclass(frozen=True, slots=True, kw_only=True)
class Person(Entry):
    name: str
    role: str
    character: str = ""
    kind: Kind = "person"

    @property
    def title(self) -> str:
        return self.name

    @property
    def text(self) -> str:
        return f"{self.role}, as {self.character}" if self.character else self.role


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote(Entry):
    words: str
    speaker: str
    outlet: str = ""
    setting: str = ""
    about: str = ""
    kind: Kind = "quote"

    @property
    def title(self) -> str:
        return self.words

    @property
    def text(self) -> str:
        return self.words

    @property
    def status_word(self) -> str:
        # A quote is "confirmed" as having been said: beside "season 2 will likely be about..." that
        # word would read as if what was said were confirmed.
        return "on record" if self.status == "confirmed" else self.status


@dataclass(frozen=True, slots=True, kw_only=True)
class Rumor(Entry):
    claim: str
    reported_by: str = ""
    about: tuple[str, ...] = ()
    history: tuple[Step, ...] = field(default=())
    kind: Kind = "rumor"

    @property
    def title(self) -> str:
        return self.claim


def _pickle_through_slots(cls: type) -> None:
    """Pickle and unpickle by the fields' slots in C (attrgetter, the slots' setters), not by
    dataclasses' generic __getstate__ and __setstate__, which look every field up again for every
    object: the knowledge cache of 10,000 entries is written in about 120 ms (was 180) and read in
    about 60 ms (was 105)."""
    names = [f.name for f in fields(cls)]
    setters = tuple(getattr(cls, name).__set__ for name in names)
    getstate = attrgetter(*names)

    def __getstate__(self: object) -> object:
        return getstate(self)

    def __setstate__(self: object, state: tuple[object, ...]) -> None:
        for setter, value in zip(setters, state, strict=False):
            setter(self, value)

    setattr(cls, "__getstate__", __getstate__)  # noqa: B010 (methods, set once the class is made)
    setattr(cls, "__setstate__", __setstate__)  # noqa: B010


for _class in (Origin, Citation, Article, Step, Alias, Show, Fact, Person, Quote, Rumor):
    _pickle_through_slots(_class)


# What the knowledge cache reads after the first frame: every fact, people, quotes, rumors and
# fingerprints.
Rest = tuple[list[Fact], list[Person], list[Quote], list[Rumor], dict[str, str]]


def overview_order(facts: Iterable[Fact]) -> list[Fact]:
    """Facts as the Overview lists them: the timeline (facts with a `when`) first, then the others,
    each in the order of the data."""
    facts = list(facts)
    return [fact for fact in facts if fact.when] + [fact for fact in facts if not fact.when]


class KnowledgeBase:
    """Everything loaded from a seeds directory, in file order.

    Made from the knowledge cache, only what the first frame shows is read at first (cache.py):
    the articles, the show, and `first_facts` (every fact with a glance and the Overview's first,
    in the order of the data). Every other list reads the rest, once, when it is first asked for:
    no caller can see a partial list."""

    __slots__ = (
        "_by_id",
        "_fingerprints",
        "_lists",
        "_rest",
        "articles",
        "digest",
        "first_facts",
        "lock",
        "show",
        "thesaurus",
    )

    def __init__(
        self,
        articles: dict[str, Article],
        show: Show | None,
        *,
        facts: list[Fact],
        people: list[Person],
        quotes: list[Quote],
        rumors: list[Rumor],
        thesaurus: tuple[tuple[str, ...], ...] = (),
        rest: Callable[[], Rest] | None = None,
        digest: str = "",
    ) -> None:
        """`rest`: what reads the facts, people, quotes, rumors and fingerprints left for later
        (then `facts` are the first frame's only, and the other lists are empty)."""
        self.articles = articles
        self.show = show
        self.first_facts = facts
        # Groups of words and short phrases fans use for the same thing (seeds' `thesaurus`), each
        # normalized to lowercase words separated by one space.
        self.thesaurus = thesaurus
        self.digest = digest  # of all the fingerprints (visits.digest_of), kept with the cache
        self.lock = threading.RLock()  # (held to read the rest, and by visits.fingerprints around it)
        self._rest = rest
        self._lists: tuple[list[Fact], list[Person], list[Quote], list[Rumor]] = (facts, people, quotes, rumors)
        # What a fan sees of each entry, hashed (visits.fingerprints): worked out once, then kept
        # with the knowledge cache, so that a start compares with the last visit without hashing.
        self._fingerprints: dict[str, str] = {}
        self._by_id: dict[str, Entry] = {entry.id: entry for entry in self._entries()}

    @property
    def complete(self) -> bool:
        """Whether everything is read (a warm start reads the rest after its first frame)."""
        return self._rest is None

    def read_rest(self) -> None:
        """Read what the knowledge cache left for later, if anything (from any thread, once)."""
        if self._rest is None:
            return
        with self.lock:
            if self._rest is None:
                return
            facts, people, quotes, rumors, fingerprints = self._rest()
            self._lists = (facts, people, quotes, rumors)
            for entry in (*facts, *people, *quotes, *rumors):
                self._by_id[entry.id] = entry
            self._fingerprints = fingerprints
            self._rest = None

    @property
    def facts(self) -> list[Fact]:
        self.read_rest()
        return self._lists[0]

    @property
    def people(self) -> list[Person]:
        self.read_rest()
        return self._lists[1]

    @property
    def quotes(self) -> list[Quote]:
        self.read_rest()
        return self._lists[2]

    @property
    def rumors(self) -> list[Rumor]:
        self.read_rest()
        return self._lists[3]

    @property
    def by_id(self) -> dict[str, Entry]:
        self.read_rest()
        return self._by_id

    @property
    def fingerprints(self) -> dict[str, str]:
        self.read_rest()
        return self._fingerprints

    @fingerprints.setter
    def fingerprints(self, fingerprints: dict[str, str]) -> None:
        self._fingerprints = fingerprints

    def entries(self) -> list[Entry]:
        """All entries: the show, then facts, people, quotes and rumors."""
        self.read_rest()
        return self._entries()

    def _entries(self) -> list[Entry]:
        head: list[Entry] = [self.show] if self.show else []
        facts, people, quotes, rumors = self._lists
        return [*head, *facts, *people, *quotes, *rumors]

    def _compared(self) -> tuple[object, ...]:
        return (self.articles, self.show, *self._lists, self.thesaurus, self._fingerprints, self.digest)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KnowledgeBase):
            return NotImplemented
        self.read_rest()
        other.read_rest()
        return self._compared() == other._compared()

    __hash__ = None  # type: ignore[assignment]  # (mutable, as a dataclass's would be)

    def __repr__(self) -> str:
        rest = "" if self.complete else ", the rest to read"
        return f"KnowledgeBase({len(self.articles)} articles, {len(self._by_id)} entries{rest})"

    def person(self, person_id: str) -> Person | None:
        entry = self.by_id.get(person_id)
        return entry if isinstance(entry, Person) else None

    def speaker_name(self, quote: Quote) -> str:
        """Who said a quote: the person's name, else the id the quote gives."""
        person = self.person(quote.speaker)
        return person.name if person else quote.speaker

    def source_label(self, citation: Citation) -> str:
        """The article a citation is from, in one line (title, outlet, date), else its id."""
        article = self.articles.get(citation.article)
        return article.label if article else citation.article

    def newest_source(self) -> date | None:
        """The date of the newest source article."""
        return max((a.date for a in self.articles.values()), default=None)

    def mentioning(self, person_id: str) -> list[Entry]:
        """Facts, quotes and rumors that concern a person."""
        found: list[Entry] = []
        found += [f for f in self.facts if person_id in f.about]
        found += [q for q in self.quotes if q.speaker == person_id]
        found += [r for r in self.rumors if person_id in r.about]
        return found
