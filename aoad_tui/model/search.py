"""A forgiving full-text search over the knowledge base and its source articles.

Forgiving: case, accents and width (NFKC, casefold); punctuation and spaces inside words
(adjacent words are also indexed joined, so "cheongsan" finds "Cheong-san"); word order;
prefixes while typing; one typo in a word of five or more letters.
Ranked: exact phrase, then all words whole, then prefixes, then typos; names above body text.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from aoad_tui.model.entries import Entry, Fact, KnowledgeBase, Person, Quote, Rumor, Show
from aoad_tui.model.text import paragraph_spans

_WORD = re.compile(r"\w+")
_JOIN_UP_TO = 3  # index runs of up to three adjacent words joined: "yoon chan young" -> "yoonchanyoung"
MIN_PREFIX = 2  # a single letter matches whole words only: it would match nearly everything
MIN_TYPO = 5  # one typo is forgiven in words of five letters or more
MAX_QUERY_WORDS = 12
MAX_QUERY_CHARS = 200
SNIPPET_WIDTH = 70

TABS = {
    "show": "overview",
    "fact": "overview",
    "person": "cast",
    "quote": "quotes",
    "rumor": "rumors",
    "source": "source",
}
KIND_ORDER = {"show": 0, "person": 1, "quote": 2, "rumor": 3, "fact": 4, "source": 5}

WHOLE, PREFIX, TYPO = 3, 2, 1
PHRASE = 4


def normalize(text: str) -> str:
    """Fold case, width and accents: 'Ｃhéong-San' -> 'cheong-san'."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The normalized words of a text."""
    return _WORD.findall(normalize(text))


def _joined_runs(tokens: list[str]) -> Iterator[str]:
    """Each word, and each run of up to three adjacent words written together."""
    for start in range(len(tokens)):
        for end in range(start + 1, min(start + _JOIN_UP_TO, len(tokens)) + 1):
            yield "".join(tokens[start:end])


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
        return TABS[self.kind]


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
        speaker = knowledge.person(entry.speaker)
        bodies = (entry.words, speaker.name if speaker else entry.speaker, entry.outlet, entry.setting, entry.about)
    elif isinstance(entry, Rumor):
        bodies = (entry.claim, entry.reported_by, *(step.note for step in entry.history))
    elif isinstance(entry, Fact):
        bodies = (entry.statement, entry.when)
    return Document(entry.kind, entry.id, " ".join(entry.title.split()), entry.status, names, bodies)


@dataclass(slots=True)
class SearchIndex:
    """An inverted index of words (and joined runs of words) to the documents holding them."""

    docs: list[Document]
    postings: dict[str, set[int]] = field(default_factory=dict)
    name_postings: dict[str, set[int]] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)
    deletions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    phrases: list[tuple[str, ...]] = field(default_factory=list)

    @classmethod
    def build(cls, docs: list[Document]) -> SearchIndex:
        index = cls(docs)
        postings, name_postings = index.postings, index.name_postings
        for number, doc in enumerate(docs):
            name_words = [words(text) for text in doc.names]
            body_words = [words(text) for text in doc.bodies]
            for tokens in name_words:
                for token in _joined_runs(tokens):
                    name_postings.setdefault(token, set()).add(number)
                    postings.setdefault(token, set()).add(number)
            for tokens in body_words:
                for token in _joined_runs(tokens):
                    postings.setdefault(token, set()).add(number)
            index.phrases.append(tuple(" ".join(tokens) for tokens in name_words + body_words))
        index.vocabulary = sorted(postings)
        # Each word's one-letter deletions point back to it: lists, then tuples, as sets of a few
        # words each would take ten times the memory.
        deletions: dict[str, list[str]] = {}
        for token in index.vocabulary:
            if len(token) >= MIN_TYPO - 1:
                for deleted in _deletions(token):
                    deletions.setdefault(deleted, []).append(token)
        index.deletions = {deleted: tuple(tokens) for deleted, tokens in deletions.items()}
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
        """Indexed words one edit away from `term` (for terms of five letters or more)."""
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
        terms = list(dict.fromkeys(words(query[:MAX_QUERY_CHARS])))[:MAX_QUERY_WORDS]
        if not terms or limit <= 0:
            return []
        # For each term: the documents where it is a whole word, a prefix, or one typo away.
        levels: list[tuple[set[int], set[int], set[int], set[int]]] = []
        candidates: set[int] | None = None
        for term in terms:
            whole = self.postings.get(term, set())
            prefix = self._union(self.prefixed(term), self.postings) if len(term) >= MIN_PREFIX else set()
            near_words = self.near(term)
            typo = self._union(near_words, self.postings)
            in_names = (
                self.name_postings.get(term, set())
                | self._union(self.prefixed(term) if len(term) >= MIN_PREFIX else (), self.name_postings)
                | self._union(near_words, self.name_postings)
            )
            matched = whole | prefix | typo
            candidates = matched if candidates is None else candidates & matched
            levels.append((whole, prefix, typo, in_names))
            if not candidates:
                return []
        assert candidates is not None
        phrase = " ".join(terms)
        scored: list[tuple[int, int, int]] = []
        for number in candidates:
            tier = WHOLE
            named = True
            for whole, prefix, _, in_names in levels:
                level = WHOLE if number in whole else PREFIX if number in prefix else TYPO
                tier = min(tier, level)
                named = named and number in in_names
            if tier == WHOLE and len(terms) > 1 and any(phrase in text for text in self.phrases[number]):
                tier = PHRASE
            score = tier * 10 + (5 if named else 0)
            doc = self.docs[number]
            # heapq.nlargest keeps the best; ties go to the kind order, then the order of the data.
            scored.append((score, -KIND_ORDER[doc.kind], -number))
        best = heapq.nlargest(limit, scored)
        return [self._result(-negative, score, terms) for score, _, negative in best]

    def _result(self, number: int, score: int, terms: list[str]) -> Result:
        doc = self.docs[number]
        snippet, marks = make_snippet(doc, terms)
        return Result(doc.kind, doc.id, doc.title, doc.tab, score, snippet, marks, doc.status, doc)


def _term_matches(token: str, terms: list[str]) -> bool:
    return any(
        token == term
        or (len(term) >= MIN_PREFIX and token.startswith(term))
        or (len(term) >= MIN_TYPO and within_one_edit(term, token))
        for term in terms
    )


def match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Spans of the words, or runs of adjacent words written together, that match a term."""
    found = [(m.start(), m.end(), normalize(m.group())) for m in _WORD.finditer(text)]
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(found):
        for end in range(min(start + _JOIN_UP_TO, len(found)), start, -1):
            joined = "".join(word for _, _, word in found[start:end])
            if _term_matches(joined, terms):
                spans.append((found[start][0], found[end - 1][1]))
                start = end - 1
                break
        start += 1
    return spans


def make_snippet(
    doc: Document, terms: list[str], width: int = SNIPPET_WIDTH
) -> tuple[str, tuple[tuple[int, int], ...]]:
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
    return SearchIndex.build(documents(knowledge))
