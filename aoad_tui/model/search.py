"""A forgiving full-text search over the knowledge base and its source articles.

Forgiving: case, accents and width (NFKC, casefold); punctuation and spaces inside words
(adjacent words are also indexed joined, so "cheongsan" finds "Cheong-san"); word order;
prefixes while typing; one typo in a word of five to 64 letters.
Ranked: exact phrase, then all words whole, then prefixes, then typos; names above body text.
"""

from __future__ import annotations

import difflib
import heapq
import re
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from aoad_tui.model.collector import collector_paused
from aoad_tui.model.entries import Entry, Fact, KnowledgeBase, Person, Quote, Rumor, Show
from aoad_tui.model.text import paragraph_spans
from aoad_tui.model.vocabulary import tab_of

_WORD = re.compile(r"\w+")
# The same words in ASCII text, found several times faster: every character \w does not match -> space.
_ASCII_NON_WORD = str.maketrans({chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")})
_JOIN_UP_TO = 3  # index runs of up to three adjacent words joined: "yoon chan young" -> "yoonchanyoung"
MIN_PREFIX = 2  # a single letter matches whole words only: it would match nearly everything
MIN_TYPO = 5  # one typo is forgiven in words of five letters or more, up to MAX_TYPO
# A word's typo keys (its one-letter deletions) take the square of its length in time, and for random
# letters in memory: 10 GB for one pasted 100,000-letter "word". No real word is longer than 64
# letters; a longer one is indexed whole and found by its start (a prefix), never by a typo.
MAX_TYPO = 64
MAX_QUERY_WORDS = 12
MAX_QUERY_CHARS = 200
SNIPPET_WIDTH = 70

KIND_ORDER = {"show": 0, "person": 1, "quote": 2, "rumor": 3, "fact": 4, "source": 5}

WHOLE, PREFIX, TYPO = 3, 2, 1
PHRASE = 4


def normalize(text: str) -> str:
    """Fold case, width and accents: 'Ｃhéong-San' -> 'cheong-san'."""
    if text.isascii():
        return text.lower()
    folded = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The normalized words of a text."""
    return split_words(normalize(text))


def split_words(folded: str) -> list[str]:
    """The words of a normalized text."""
    if folded.isascii():
        return folded.translate(_ASCII_NON_WORD).split()
    return _WORD.findall(folded)


def _joined_runs(tokens: list[str]) -> Iterator[str]:
    """Each word, and each run of up to three adjacent words written together."""
    for start in range(len(tokens)):
        for end in range(start + 1, min(start + _JOIN_UP_TO, len(tokens)) + 1):
            yield "".join(tokens[start:end])


SHORT_FIELD = 4


# \b: a match can only start where a word does, which spares the engine retrying inside each word.
_GLUED_ONLY = re.compile(r"\b\w+(?:['’\-‐‑–]\w+)+")


def _tokens(text: str, join_spaces: bool) -> tuple[list[str], list[str]]:
    """The words, and the words plus runs of adjacent words written together (across spaces only
    in short texts)."""
    folded = normalize(text)
    plain = split_words(folded)
    if join_spaces or len(plain) <= SHORT_FIELD:
        return plain, list(_joined_runs(plain))
    tokens = list(plain)
    if "-" in folded or "'" in folded or "’" in folded:
        for group in _GLUED_ONLY.findall(folded):
            parts = _WORD.findall(group)
            single = set(parts)  # not the list: "a-b-c-..." would scan its 100,000 parts for each run
            tokens.extend(run for run in _joined_runs(parts) if run not in single)
    return plain, tokens


def _query_words(query: str) -> list[str]:
    """The words of the first 200 characters of a query. A word cut there is kept as a prefix of
    what was written, unless the cut left one letter: that would have to match a whole word."""
    found = words(query[:MAX_QUERY_CHARS])
    cut = query[MAX_QUERY_CHARS - 1 : MAX_QUERY_CHARS + 1]
    if found and len(found[-1]) < MIN_PREFIX and len(cut) == 2 and _WORD.fullmatch(cut):
        found.pop()
    return found


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def within_one_edit(a: str, b: str) -> bool:
    """True if a and b differ by at most one substitution, insertion, deletion or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        i, j = diffs[0], diffs[-1]
        return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


@dataclass(frozen=True, slots=True)
class Document:
    """One searchable thing: an entry or a paragraph of a source article."""

    kind: str
    id: str
    title: str
    status: str
    names: tuple[str, ...]
    bodies: tuple[str, ...]
    article: str = ""
    span: tuple[int, int] = (0, 0)

    @property
    def tab(self) -> str:
        return tab_of(self.kind)


@dataclass(frozen=True, slots=True)
class Result:
    kind: str
    id: str
    title: str
    tab: str
    score: int
    snippet: str
    marks: tuple[tuple[int, int], ...]
    status: str
    document: Document

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "tab": self.tab,
            "score": self.score,
            "snippet": self.snippet,
            "status": self.status,
        }


def documents(knowledge: KnowledgeBase) -> list[Document]:
    """Every entry and every paragraph of every article, as documents to index."""
    docs = [_entry_document(knowledge, entry) for entry in knowledge.entries()]
    for article in knowledge.articles.values():
        for number, (start, end) in enumerate(paragraph_spans(article.body), 1):
            text = article.body[start:end]
            title = f"{article.title or article.id}, paragraph {number}"
            docs.append(Document("source", f"{article.id}#{number}", title, "", (), (text,), article.id, (start, end)))
    return docs


def _entry_document(knowledge: KnowledgeBase, entry: Entry) -> Document:
    names: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()
    if isinstance(entry, Show):
        names = (entry.name, *(alias.name for alias in entry.aliases))
        bodies = (entry.summary,)
    elif isinstance(entry, Person):
        names = (entry.name, entry.character) if entry.character else (entry.name,)
        bodies = (entry.role,)
    elif isinstance(entry, Quote):
        bodies = (entry.words, knowledge.speaker_name(entry), entry.outlet, entry.setting, entry.about)
    elif isinstance(entry, Rumor):
        bodies = (entry.claim, entry.reported_by, *(step.note for step in entry.history))
    elif isinstance(entry, Fact):
        bodies = (entry.statement, entry.when, entry.glance)
    return Document(entry.kind, entry.id, " ".join(entry.title.split()), entry.status_word, names, bodies)


@dataclass(slots=True)
class SearchIndex:
    """An inverted index of words (and joined runs of words) to the documents holding them."""

    docs: list[Document]
    postings: dict[str, set[int]] = field(default_factory=dict)
    name_postings: dict[str, set[int]] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)
    deletions: dict[str, list[str]] = field(default_factory=dict)
    phrases: list[tuple[str, ...]] = field(default_factory=list)

    @classmethod
    def build(cls, docs: list[Document]) -> SearchIndex:
        # number the documents in the order ties are broken in: kind, then the order of the data
        docs = sorted(docs, key=lambda doc: KIND_ORDER[doc.kind])
        index = cls(docs)
        postings: defaultdict[str, set[int]] = defaultdict(set)
        name_postings: defaultdict[str, set[int]] = defaultdict(set)
        for number, doc in enumerate(docs):
            named: set[str] = set()
            phrases = []
            for text in doc.names:
                plain, tokens = _tokens(text, True)
                named.update(tokens)
                phrases.append(" ".join(plain))
            everything = set(named)
            for text in doc.bodies:
                plain, tokens = _tokens(text, False)
                everything.update(tokens)
                phrases.append(" ".join(plain))
            for token in named:
                name_postings[token].add(number)
            for token in everything:
                postings[token].add(number)
            index.phrases.append(tuple(phrases))
        # Plain dicts from here on: a lookup of a missing word must not add it.
        index.postings, index.name_postings = dict(postings), dict(name_postings)
        index.vocabulary = sorted(postings)
        # Each word's one-letter deletions point back to it: in lists, as sets of a few
        # words each would take ten times the memory.
        deletions: defaultdict[str, list[str]] = defaultdict(list)
        for token in index.vocabulary:
            if MIN_TYPO - 1 <= len(token) <= MAX_TYPO:
                for deleted in _deletions(token):
                    deletions[deleted].append(token)
        index.deletions = dict(deletions)
        return index

    def prefixed(self, term: str) -> list[str]:
        """Every indexed word that starts with `term`."""
        start = bisect_left(self.vocabulary, term)
        found = []
        for token in self.vocabulary[start:]:
            if not token.startswith(term):
                break
            found.append(token)
        return found

    def near(self, term: str) -> set[str]:
        """Indexed words of five to 64 letters that are one edit away from `term`."""
        if len(term) > MAX_TYPO:
            return set()
        if len(term) == MIN_TYPO - 1:  # a missing letter: "lomn" for "lomon"
            return {c for c in self.deletions.get(term, ()) if len(c) >= MIN_TYPO}
        if len(term) < MIN_TYPO:
            return set()
        candidates = set(self.deletions.get(term, ()))
        for deleted in _deletions(term):
            if deleted in self.postings:
                candidates.add(deleted)
            candidates.update(self.deletions.get(deleted, ()))
        return {c for c in candidates if len(c) >= MIN_TYPO - 1 and c != term and within_one_edit(term, c)}

    def _union(self, tokens: Iterable[str], table: dict[str, set[int]]) -> set[int]:
        return set().union(*(table.get(token, set()) for token in tokens))

    def search(self, query: str, limit: int = 50) -> list[Result]:
        """The best `limit` results for `query`, best first; none for an empty query."""
        terms = list(dict.fromkeys(_query_words(query)))[:MAX_QUERY_WORDS]
        if not terms or limit <= 0:
            return []
        # For each term: the documents where it is a whole word, a prefix, or one typo away.
        levels: list[tuple[set[int], set[int], set[int], set[int]]] = []
        candidates: set[int] | None = None
        matched_tokens: set[str] = set()
        for term in terms:
            whole = self.postings.get(term, set())
            started = self.prefixed(term) if len(term) >= MIN_PREFIX else []
            prefix = self._union(started, self.postings)
            near_words = self.near(term)
            typo = self._union(near_words, self.postings)
            in_names = (
                self.name_postings.get(term, set())
                | self._union(started, self.name_postings)
                | self._union(near_words, self.name_postings)
            )
            matched_tokens.add(term)
            matched_tokens.update(started)
            matched_tokens.update(near_words)
            matched = whole | prefix | typo
            candidates = matched if candidates is None else candidates & matched
            levels.append((whole, prefix, typo, in_names))
            if not candidates:
                return []
        assert candidates is not None
        whole_all = candidates.intersection(*(whole for whole, _, _, _ in levels))
        prefix_all = candidates.intersection(*((whole | prefix) for whole, prefix, _, _ in levels))
        named_all = candidates.intersection(*(in_names for _, _, _, in_names in levels))
        phrase_all: set[int] = set()
        if len(terms) > 1:
            phrase = " ".join(terms)
            # Whole words only: "ran to" is no phrase of "veteran took".
            phrase_all = {n for n in whole_all if any(f" {phrase} " in f" {text} " for text in self.phrases[n])}
        tiers = [
            (PHRASE, phrase_all),
            (WHOLE, whole_all - phrase_all),
            (PREFIX, prefix_all - whole_all),
            (TYPO, candidates - prefix_all),
        ]
        best: list[tuple[int, int]] = []
        for tier, numbers in tiers:
            for named, group in ((True, numbers & named_all), (False, numbers - named_all)):
                if len(best) >= limit:
                    break
                score = tier * 10 + (5 if named else 0)
                best += [(n, score) for n in heapq.nsmallest(limit - len(best), group)]
        return [self._result(number, score, matched_tokens) for number, score in best]

    def no_matches(self, query: str) -> str:
        """What to say when a query finds nothing: which of its words match nothing at all, and
        the indexed word nearest to each, if one is near."""
        terms = list(dict.fromkeys(_query_words(query)))[:MAX_QUERY_WORDS]
        said = f"No matches for “{' '.join(query.split())[:60]}”."
        lost = [term for term in terms if not self._matches_anything(term)]
        if not lost:
            return f"{said} Each word is found, but not all of them together: try fewer words."
        hints = [f"“{word}”?" for word in (self.nearest(term) for term in lost) if word]
        nothing = ", ".join(f"“{term}”" for term in lost)
        return f"{said} Nothing matches {nothing}." + (f" Did you mean {' '.join(hints)}" if hints else "")

    def _matches_anything(self, term: str) -> bool:
        return term in self.postings or bool(self.near(term)) or (len(term) >= MIN_PREFIX and bool(self.prefixed(term)))

    def nearest(self, term: str) -> str | None:
        """The indexed word most like `term` (same first letter), if one is close enough to offer."""
        start = bisect_left(self.vocabulary, term[:1])
        stop = bisect_left(self.vocabulary, term[:1] + "\U0010ffff")
        alike = [word for word in self.vocabulary[start:stop] if abs(len(word) - len(term)) <= 3]
        found = difflib.get_close_matches(term, alike, n=1, cutoff=0.7)
        return found[0] if found else None

    def _result(self, number: int, score: int, matched: set[str]) -> Result:
        doc = self.docs[number]
        snippet, marks = make_snippet(doc, matched)
        return Result(doc.kind, doc.id, doc.title, doc.tab, score, snippet, marks, doc.status, doc)


def _term_matches(token: str, terms: list[str]) -> bool:
    return any(
        token == term
        or (len(term) >= MIN_PREFIX and token.startswith(term))
        or (len(term) >= MIN_TYPO and within_one_edit(term, token))
        for term in terms
    )


def match_spans(text: str, matched: set[str], width: int = SNIPPET_WIDTH) -> list[tuple[int, int]]:
    """Spans of the words, or runs of adjacent words written together, that matched; from the
    first one to `width` characters after it."""
    spans: list[tuple[int, int]] = []
    window: list[tuple[int, int, str]] = []  # the last few words, to join
    limit = len(text)
    for m in _WORD.finditer(text):
        if m.start() > limit:
            break
        window.append((m.start(), m.end(), normalize(m.group())))
        if len(window) > _JOIN_UP_TO:
            window.pop(0)
        # the shortest run ending here that matched, and did not start inside the last span
        joined = ""
        for begin in range(len(window) - 1, -1, -1):
            joined = window[begin][2] + joined
            if joined in matched and (not spans or window[begin][0] >= spans[-1][1]):
                spans.append((window[begin][0], m.end()))
                if len(spans) == 1:
                    limit = spans[0][0] + width
                break
    return spans


def make_snippet(doc: Document, terms: set[str], width: int = SNIPPET_WIDTH) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A one-line excerpt of the document around its first match, and the matched spans in it."""
    texts = [" ".join(text.split()) for text in (*doc.names, *doc.bodies) if text.strip()]
    best_text, best_marks = (texts[0] if texts else doc.title), []
    for text in texts:
        marks = match_spans(text, terms)
        if marks:
            best_text, best_marks = text, marks
            break
    if len(best_text) <= width:
        return best_text, tuple(best_marks)
    first = best_marks[0][0] if best_marks else 0
    start = max(0, min(first - width // 3, len(best_text) - width))
    end = start + width
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(best_text) else ""
    excerpt = prefix + best_text[start:end] + suffix
    shift = len(prefix) - start
    inside = tuple((s + shift, e + shift) for s, e in best_marks if s >= start and e <= end)
    return excerpt, inside


def build_index(knowledge: KnowledgeBase) -> SearchIndex:
    """Index every entry and every source paragraph."""
    # Hundreds of thousands of new sets and strings, none of them garbage: the cyclic collector's
    # passes over them (and over the whole knowledge base) would cost a third of the build.
    with collector_paused():
        return SearchIndex.build(documents(knowledge))
