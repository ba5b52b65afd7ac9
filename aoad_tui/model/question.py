"""What a query asks: its meaningful words, grouped with the thesaurus, and what its question words
want (a date, a person, a reason, a quote).

"when does s2 come out" -> groups [s2 ~ season 2 ~ ...], [come out ~ release ~ ...]; intent "when".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Literal

from aoad_tui.model.text import within_one_edit

Intent = Literal["when", "who", "why", "said", "where", "count"]

# Words that carry no meaning in a question. They still count a little (and in a phrase), and a
# query made of nothing else is searched as it is.
STOPWORDS = frozenset(
    """
     a am an and any anyone anything are as at be been being but by can could d did do does doing
     done for from get gets getting going gonna got had has have having he her hers him his how i if
     im in info into is isnt it its just know latest let ll me my of on or our re s she should so
     some status still t tell than that thats the their them then there these they this those to
     update updates us ve was we were what whats when whens where which while who whom whos whose wen
     why will with would yet you your
     actually arent cant didnt doesnt ever finally please pls really supposed wasnt werent wont
    """.split()  # noqa: SIM905 (a list of 150 quoted words reads worse)
)

# Question words and what they prefer.
INTENTS: dict[str, Intent] = {
    "when": "when",
    "whens": "when",
    "wen": "when",
    "date": "when",
    "who": "who",
    "whos": "who",
    "whom": "who",
    "whose": "who",
    "why": "why",
    "reason": "why",
    # The sources name no place: nothing is what "where" asks for, so nothing answers it.
    "where": "where",
    "wheres": "where",
    # Nor any count or amount ("how many episodes", "how much"): nothing answers those either.
    "many": "count",
    "much": "count",
    "say": "said",
    "said": "said",
    "says": "said",
    "saying": "said",
    "quote": "said",
    "quotes": "said",
}


@cache
def _stemmer() -> object:
    import Stemmer  # PyStemmer: imported with the search index, after the first frame

    return Stemmer.Stemmer("english")


# Bounded: the words a user types are words too, and a cache of every one grows with the typing.
# A query asks for the stems of its words and of the indexed words they begin: far fewer at a time.
@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """The English stem of a word: delayed, delaying, delays -> delay. Words of under four letters,
    and words with digits or non-Latin letters, are their own stems."""
    if len(word) < 4 or not word.isascii() or not word.isalpha():
        return word
    return str(_stemmer().stemWord(word))  # type: ignore[attr-defined]


def stem_prefix(word_stem: str) -> str:
    """What every word with this stem starts with: the stemmer turns a final y into i
    ("happy" -> "happi")."""
    return word_stem[:-1] if word_stem.endswith("i") else word_stem


@dataclass(frozen=True, slots=True)
class Group:
    """One thing a query asks for: what was typed, and what else says the same."""

    typed: tuple[str, ...]  # the query's words
    alike: tuple[tuple[str, ...], ...] = ()  # the other phrases of its thesaurus group
    weight: float = 1.0  # a stopword counts for little
    last: bool = False  # the query's last word: it may be unfinished, a prefix
    context: bool = False  # the show's own name: every entry is about it
    meant: str = ""  # the thesaurus word a misspelled word was taken for ("dealyed": "delay")
    implied: bool = False  # not typed: what a question word implies ("when": release, date)


@dataclass(frozen=True, slots=True)
class Question:
    groups: tuple[Group, ...]
    intents: frozenset[Intent]
    terms: tuple[str, ...]  # every word as typed, in order (for phrases and marking)

    @property
    def meaningful(self) -> tuple[Group, ...]:
        return tuple(group for group in self.groups if group.weight == 1.0)

    @property
    def only_stopwords(self) -> bool:
        return all(term in STOPWORDS for term in self.terms)

    @property
    def names_only_the_show(self) -> bool:
        """Question words, stopwords and the show's own name, nothing else: "who's in aoad" asks
        what "who" asks for."""
        return all(group.context or group.implied or all(t in STOPWORDS for t in group.typed) for group in self.groups)

    @property
    def is_question(self) -> bool:
        """Asked as a question (a question word, or words such as "is", "the"), not as a name or
        keywords ("cheong san", "netflix 2026")."""
        return bool(self.intents) or any(term in STOPWORDS for term in self.terms)


STOPWORD_WEIGHT = 0.02
# What a question word implies, counted a little (never required): "when is season 2" prefers the
# release date to the announcement.
IMPLIED: dict[Intent, tuple[str, ...]] = {"when": ("release", "date"), "why": ("reason",)}
IMPLIED_WEIGHT = 0.3
MAX_KNOWN = 10_000  # phrases looked up and remembered
_UNKNOWN = object()
TYPO_LETTERS = 5  # as in the search: one typo is forgiven in words of five letters or more


class Thesaurus:
    """The seeds' groups of words, looked up by the stems of a query's words."""

    def __init__(self, groups: Iterable[Sequence[str]]) -> None:
        self.groups = [tuple(tuple(phrase.split()) for phrase in group) for group in groups]
        self.by_stems: dict[tuple[str, ...], list[int]] = {}
        for number, group in enumerate(self.groups):
            for phrase in group:
                self.by_stems.setdefault(tuple(map(stem, phrase)), []).append(number)
        self.longest = max((len(key) for key in self.by_stems), default=1)
        self.words = [phrase[0] for group in self.groups for phrase in group if len(phrase) == 1]
        self.known: dict[tuple[str, ...], tuple[tuple[tuple[str, ...], ...], str] | None] = {}

    def lookup(self, phrase: tuple[str, ...]) -> tuple[tuple[tuple[str, ...], ...], str] | None:
        """The other phrases of the groups `phrase` is in, or None (remembered: typing asks again)."""
        # The palette and a search worker may look up at once: return what was found, never
        # read it back from a dict the other may have just cleared.
        known = self.known.get(phrase, _UNKNOWN)
        if known is not _UNKNOWN:
            return known  # type: ignore[return-value]
        if len(self.known) > MAX_KNOWN:
            self.known.clear()
        found = self.known[phrase] = self._lookup(phrase)
        return found

    def _lookup(self, phrase: tuple[str, ...]) -> tuple[tuple[tuple[str, ...], ...], str] | None:
        """The other phrases of the groups `phrase` is in, or None when it is in none. A word of
        five letters or more with one typo ("dealyed") is taken for the thesaurus word it misspells,
        which is returned too."""
        key = tuple(map(stem, phrase))
        numbers, meant = self.by_stems.get(key), ""
        if numbers is None and len(phrase) == 1 and len(phrase[0]) >= TYPO_LETTERS:
            meant = next((w for w in self.words if _misspells(phrase[0], w)), "")
            if meant:
                key = (stem(meant),)
                numbers = self.by_stems.get(key)
        if numbers is None:
            return None
        found = [p for n in numbers for p in self.groups[n] if tuple(map(stem, p)) != key]
        return tuple(dict.fromkeys(found)), meant


def _misspells(typed: str, word: str) -> bool:
    """One typo in a word or in one of its common forms: "dealyed" for "delay" (delayed)."""
    if len(word) < TYPO_LETTERS or abs(len(typed) - len(word)) > 4:
        return False
    return any(within_one_edit(typed, word + ending) for ending in _ENDINGS)


_ENDINGS = ("", "s", "es", "d", "ed", "ing")


def parse(terms: Sequence[str], thesaurus: Thesaurus, context: frozenset[tuple[str, ...]] = frozenset()) -> Question:
    """Group the words of a query: the longest thesaurus phrases (and names in `context`) first,
    then single words. Stopwords and the names in `context` count for little beside other words."""
    intents = frozenset(INTENTS[term] for term in terms if term in INTENTS)
    only_stopwords = all(term in STOPWORDS for term in terms)
    longest = max(thesaurus.longest, *map(len, context)) if context else thesaurus.longest
    groups: list[Group] = []
    start = 0
    while start < len(terms):
        for size in range(min(longest, len(terms) - start), 0, -1):
            phrase = tuple(terms[start : start + size])
            found = thesaurus.lookup(phrase) if size > 1 or phrase[0] not in STOPWORDS else None
            alike, meant = found or ((), "")
            named = phrase in context or any(other in context for other in alike)
            if found is not None or named or size == 1:
                last = start + size == len(terms)
                quiet = size == 1 and phrase[0] in STOPWORDS and not only_stopwords
                groups.append(Group(phrase, alike, STOPWORD_WEIGHT if quiet else 1.0, last, named, meant))
                start += size
                break
    if any(group.weight == 1.0 and not group.context for group in groups):
        groups = [replace(g, weight=STOPWORD_WEIGHT) if g.context else g for g in groups]
    typed = {word for group in groups for word in group.typed}
    for intent in sorted(intents):
        for word in IMPLIED.get(intent, ()):
            if word not in typed:
                alike, _ = thesaurus.lookup((word,)) or ((), "")
                groups.append(Group((word,), alike, IMPLIED_WEIGHT, implied=True))
    return Question(tuple(groups), intents, tuple(terms))
