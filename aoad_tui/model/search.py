"""A forgiving full-text search over the knowledge base and its source articles.

Forgiving: case, accents and width (NFKC, casefold); punctuation and spaces inside words
(adjacent words are also indexed joined, so "cheongsan" finds "Cheong-san"); word order;
prefixes while typing; one typo in a word of five to 64 letters; English word forms (a stemmer);
the seeds' thesaurus (delay ~ postpone); questions (question.py: "when", "the", "is" count little).
Ranked like BM25F: each thing the query asks for adds its weight (rarer words weigh more, names
more than body text, shorter texts more than long ones), scaled by how it matched: the word itself,
then its word forms, then a word of its thesaurus group, then a prefix, then a typo. A document
that matches more of a question ranks higher; one with the whole query as a phrase higher still;
a question word prefers what it asks for (when: a dated step, who: people, said: quotes).
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence, Set
from dataclasses import dataclass, field, replace

from aoad_tui.model import ranking
from aoad_tui.model.collector import collector_paused
from aoad_tui.model.entries import Entry, Fact, KnowledgeBase, Person, Quote, Rumor, Show
from aoad_tui.model.question import STOPWORDS, Group, Intent, Question, Thesaurus, parse, stem, stem_prefix
from aoad_tui.model.ranking import Levels
from aoad_tui.model.text import WORD, normalize, paragraph_spans, split_words, within_one_edit, words
from aoad_tui.model.vocabulary import tab_of

Said = tuple[set[str], set[str], list[list[str]]]  # a document's own tokens, their stems, each text's words
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

# How well a word of a document matches a word of the query (a factor of the weight).
WHOLE, STEM, ALIKE, ALIKE_STEM, PREFIX, TYPO = 1.0, 0.9, 0.7, 0.65, 0.6, 0.4
NAME_WEIGHT = 1.5  # a match in a name or title (never enough to lift a prefix above a whole word)
B = 0.3  # BM25's length normalization (its saturation, K1, is ranking's)
PHRASE_BOOST = 0.25  # the whole query, word for word: this much more per word after the first
HEADLINE_BOOST = 1.2  # a fact the Overview shows as the season 2 status at a glance
NAME_BOOST = 1.5  # the query is a name of the document, word for word
# Where two documents say the same, the one a fan means: the show, a person, a quote... and a
# paragraph of an article last.
KIND_WEIGHT = {"show": 1.2, "person": 1.15, "quote": 1.15, "rumor": 1.0, "fact": 1.0, "source": 0.8}
STEM_SUFFIX = 5  # a word form is at most this much longer than its stem ("announc" + "ement")


def _joined_runs(tokens: list[str]) -> Iterator[str]:
    """Each word, and each run of up to three adjacent words written together."""
    for start in range(len(tokens)):
        for end in range(start + 1, min(start + _JOIN_UP_TO, len(tokens)) + 1):
            yield "".join(tokens[start:end])


SHORT_FIELD = 4


# \b: a match can only start where a word does, which spares the engine retrying inside each word.
_GLUED_ONLY = re.compile(r"\b\w+(?:['’\-‐‑–]\w+)+")


def tokens_of(text: str, join_spaces: bool) -> tuple[list[str], list[str]]:
    """The words, and the words plus runs of adjacent words written together (across spaces only
    in short texts)."""
    folded = normalize(text)
    plain = split_words(folded)
    if join_spaces or len(plain) <= SHORT_FIELD:
        return plain, list(_joined_runs(plain))
    tokens = list(plain)
    if "-" in folded or "'" in folded or "’" in folded:
        for group in _GLUED_ONLY.findall(folded):
            parts = WORD.findall(group)
            single = set(parts)  # not the list: "a-b-c-..." would scan its 100,000 parts for each run
            tokens.extend(run for run in _joined_runs(parts) if run not in single)
    return plain, tokens


def _query_words(query: str) -> list[str]:
    """The words of the first 200 characters of a query. A word cut there is kept as a prefix of
    what was written, unless the cut left one letter: that would have to match a whole word."""
    found = words(query[:MAX_QUERY_CHARS])
    cut = query[MAX_QUERY_CHARS - 1 : MAX_QUERY_CHARS + 1]
    if found and len(found[-1]) < MIN_PREFIX and len(cut) == 2 and WORD.fullmatch(cut):
        found.pop()
    return found


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass(frozen=True, slots=True)
class Document:
    """One searchable thing: an entry or a paragraph of a source article."""

    kind: str
    id: str
    title: str
    status: str
    names: tuple[str, ...]
    bodies: tuple[str, ...]
    # Who said or reported it (a quote's outlet, a rumor's reporter): found by a search, but a
    # word matched only there never makes an answer ("news" is not what Star News reports).
    credits: tuple[str, ...] = ()
    article: str = ""
    span: tuple[int, int] = (0, 0)
    entry: Entry | None = None
    when: str = ""  # a fact's timeline label ("Initially"), shown with it
    speaker: str = ""  # a quote's speaker, by name
    headline: bool = False  # part of the season 2 status at a glance

    @property
    def tab(self) -> str:
        return tab_of(self.kind)

    @property
    def dated(self) -> bool:
        """A step of the timeline: what a "when" question asks for."""
        return bool(self.when)


@dataclass(frozen=True, slots=True)
class Result:
    kind: str
    id: str
    title: str
    tab: str
    score: int
    status: str
    document: Document
    matched: int = 0  # how many of the meaningful things the query asks for it matched
    number: int = 0  # the document's number in the index
    # The words that matched what was typed, and those that matched a word alike (thesaurus).
    marked: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
    # The snippet is made when first shown: most results of a keystroke never are.
    _snippet: tuple[str, tuple[tuple[int, int], ...]] | None = field(default=None, compare=False, repr=False)

    @property
    def snippet(self) -> str:
        """A one-line excerpt of the document around what matched."""
        return self._excerpt()[0]

    @property
    def marks(self) -> tuple[tuple[int, int], ...]:
        """The spans of the snippet that matched."""
        return self._excerpt()[1]

    def _excerpt(self) -> tuple[str, tuple[tuple[int, int], ...]]:
        if self._snippet is None:
            object.__setattr__(self, "_snippet", make_snippet(self.document, *self.marked))
        assert self._snippet is not None
        return self._snippet

    @property
    def byline(self) -> str:
        """Who it is or who said it: a person's role, a quote's speaker and outlet."""
        entry = self.document.entry
        if isinstance(entry, Person):
            return entry.role
        if isinstance(entry, Quote):
            return ", ".join(filter(None, (self.document.speaker, entry.outlet)))
        return ""

    def as_json(self) -> dict[str, object]:
        found: dict[str, object] = {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "tab": self.tab,
            "score": self.score,
            "snippet": self.snippet,
            "status": self.status,
            "when": self.document.when,
        }
        entry = self.document.entry
        if isinstance(entry, Person):
            found["role"] = entry.role
        elif isinstance(entry, Quote):
            found |= {"speaker": self.document.speaker, "outlet": entry.outlet}
        return found


def documents(knowledge: KnowledgeBase) -> list[Document]:
    """Every entry and every paragraph of every article, as documents to index."""
    docs = [_entry_document(knowledge, entry) for entry in knowledge.entries()]
    for article in knowledge.articles.values():
        for number, (start, end) in enumerate(paragraph_spans(article.body), 1):
            text = article.body[start:end]
            title = f"{article.title or article.id}, paragraph {number}"
            docs.append(
                Document(
                    "source", f"{article.id}#{number}", title, "", (), (text,), article=article.id, span=(start, end)
                )
            )
    return docs


def _entry_document(knowledge: KnowledgeBase, entry: Entry) -> Document:
    names: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()
    credits: tuple[str, ...] = ()
    speaker_name = ""
    if isinstance(entry, Show):
        names = (entry.name, *(alias.name for alias in entry.aliases))
        bodies = (entry.summary,)
    elif isinstance(entry, Person):
        names = (entry.name, entry.character) if entry.character else (entry.name,)
        bodies = (entry.role,)
    elif isinstance(entry, Quote):
        speaker = knowledge.person(entry.speaker)
        said_by = f"{speaker.name}, {speaker.role}" if speaker else entry.speaker
        speaker_name = knowledge.speaker_name(entry)
        bodies = (entry.words, said_by, entry.setting, entry.about)
        credits = (entry.outlet,)
    elif isinstance(entry, Rumor):
        bodies = (entry.claim, *(step.note for step in entry.history))
        credits = (entry.reported_by,)
    elif isinstance(entry, Fact):
        bodies = (entry.statement, entry.when, entry.glance)
    when = entry.when if isinstance(entry, Fact) else ""
    title = " ".join(entry.title.split())
    headline = isinstance(entry, Fact) and bool(entry.glance)
    return Document(
        entry.kind,
        entry.id,
        title,
        entry.status_word,
        names,
        bodies,
        credits,
        entry=entry,
        when=when,
        headline=headline,
        speaker=speaker_name,
    )


@dataclass(slots=True)
class SearchIndex:
    """An inverted index of words (and joined runs of words) to the documents holding them."""

    docs: list[Document]
    postings: dict[str, set[int]] = field(default_factory=dict)
    name_postings: dict[str, set[int]] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)
    deletions: dict[str, list[str]] = field(default_factory=dict)
    phrases: list[tuple[str, ...]] = field(default_factory=list)
    norms: list[float] = field(default_factory=list)  # BM25's length normalization, per document
    thesaurus: Thesaurus = field(default_factory=lambda: Thesaurus(()))
    context: frozenset[tuple[str, ...]] = frozenset()  # the show's names: every entry is about it
    wanted: dict[Intent, frozenset[int]] = field(default_factory=dict)  # what each question word asks for
    answers: dict[frozenset[Intent], frozenset[int]] = field(default_factory=dict)  # what question words alone ask for
    weights: list[float] = field(default_factory=list)  # per document: its kind's weight, a headline's boost
    chunks: list[ranking.Chunk] = field(default_factory=list)  # the documents by weight, then length
    entry_numbers: dict[str, int] = field(default_factory=dict)  # an entry's id -> its document's number
    said: dict[int, Said] = field(default_factory=dict)  # the documents an answer looked at (coverage.py)

    @classmethod
    def build(cls, docs: list[Document], thesaurus: Iterable[Sequence[str]] = ()) -> SearchIndex:
        # number the documents in the order ties are broken in: kind, then the order of the data
        docs = sorted(docs, key=lambda doc: KIND_ORDER[doc.kind])
        index = cls(docs, thesaurus=Thesaurus(thesaurus))
        index.context = frozenset(tuple(words(name)) for doc in docs if doc.kind == "show" for name in doc.names)
        lengths: list[int] = []
        postings: defaultdict[str, set[int]] = defaultdict(set)
        name_postings: defaultdict[str, set[int]] = defaultdict(set)
        for number, doc in enumerate(docs):
            named: set[str] = set()
            phrases = []
            for text in doc.names:
                plain, tokens = tokens_of(text, True)
                named.update(tokens)
                phrases.append(" ".join(plain))
            everything = set(named)
            # BM25F weighs each field's length; the main text (the name and the first body text)
            # stands for all of them here: a quote's speaker and outlet do not dilute its words.
            length = len(phrases[0].split()) if phrases else 0
            for number_of_body, text in enumerate((*doc.bodies, *doc.credits)):
                plain, tokens = tokens_of(text, False)
                everything.update(tokens)
                phrases.append(" ".join(plain))
                length += len(plain) if number_of_body == 0 else 0
            lengths.append(length)
            for token in named:
                name_postings[token].add(number)
            for token in everything:
                postings[token].add(number)
            index.phrases.append(tuple(phrases))
        # Plain dicts from here on: a lookup of a missing word must not add it.
        index.postings, index.name_postings = dict(postings), dict(name_postings)
        average = sum(lengths) / len(lengths) if lengths else 1.0
        index.norms = [1 - B + B * length / (average or 1.0) for length in lengths]
        index.weights = [KIND_WEIGHT[doc.kind] * (HEADLINE_BOOST if doc.headline else 1.0) for doc in docs]
        index.chunks = ranking.chunks_of(index.norms, index.weights)
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

    def stemmed(self, term: str) -> list[str]:
        """Indexed words with the stem of `term` (delay -> delayed, delays), `term` aside."""
        root = stem(term)
        if len(term) < 4 or len(root) < 3:
            return []
        start = stem_prefix(root)
        longest = len(root) + STEM_SUFFIX
        return [w for w in self.prefixed(start) if len(w) <= longest and w != term and stem(w) == root]

    def _add(self, levels: Levels, token: str, quality: float) -> None:
        """The documents holding `token`: this quality, more in a name."""
        holding = self.postings.get(token)
        if holding:
            levels.append((quality * NAME_WEIGHT, self.name_postings.get(token, _NOTHING)))
            levels.append((quality, holding))

    def _add_all(self, levels: Levels, tokens: Iterable[str], quality: float) -> None:
        """The documents holding any of `tokens` (a prefix's hundreds of words), joined as sets."""
        tokens = list(tokens)
        if len(tokens) < 2:
            for token in tokens:
                self._add(levels, token, quality)
            return
        levels.append((quality * NAME_WEIGHT, set().union(*(self.name_postings.get(t, _NOTHING) for t in tokens))))
        levels.append((quality, set().union(*(self.postings.get(t, _NOTHING) for t in tokens))))

    def _word(self, levels: Levels, word: str, whole: float, forms: float, marks: set[str]) -> None:
        self._add(levels, word, whole)
        marks.add(word)
        stemmed = self.stemmed(word)
        self._add_all(levels, stemmed, forms)
        marks.update(stemmed)

    def _phrase(self, levels: Levels, phrase: tuple[str, ...], quality: float, marks: set[str]) -> None:
        """Documents holding every word of a phrase (or a form of it), or the phrase written as one."""
        holding: set[int] | None = None
        for word in phrase:
            tokens = [word, *self.stemmed(word)]
            docs = set().union(*(self.postings.get(token, _NOTHING) for token in tokens))
            holding = docs if holding is None else holding & docs
            marks.update(tokens)
        joined = "".join(phrase)
        marks.add(joined)
        levels.append((quality, (holding or set()) | self.postings.get(joined, _NOTHING)))

    def _matches(self, group: Group, marks: set[str], alike_marks: set[str], prefix: bool = True) -> Levels:
        """The documents the group matches, as sets by how well (before their length is weighed):
        a document matches as well as the best set it is in. The words that matched what was typed
        go to `marks`, those of its thesaurus group to `alike_marks`."""
        levels: Levels = []
        if len(group.typed) > 1:
            self._phrase(levels, group.typed, WHOLE, marks)
        else:
            term = group.typed[0]
            # A stopword: itself only. The show's own name ("aoad") still finds what it names.
            if group.weight < 1.0 and not group.implied and not group.context:
                self._add(levels, term, WHOLE)
                return levels
            self._word(levels, term, WHOLE, STEM, marks if not group.implied else alike_marks)
            # Only the word being typed is a prefix: "new cast" is not "news cast".
            started = self.prefixed(term) if prefix and group.last and len(term) >= MIN_PREFIX else []
            self._add_all(levels, started, PREFIX)
            near = self.near(term) if not group.implied else set()
            self._add_all(levels, near, TYPO)
            marks.update(started, near)
            if group.meant:  # a misspelling of a thesaurus word: that word, as if typed
                self._word(levels, group.meant, STEM, ALIKE, marks)
        # the words alike of a misspelled word count as little as the misspelling itself
        alike, alike_forms = (TYPO, TYPO) if group.meant else (ALIKE, ALIKE_STEM)
        for phrase in group.alike:
            if len(phrase) == 1:
                self._word(levels, phrase[0], alike, alike_forms, alike_marks)
            else:
                self._phrase(levels, phrase, alike, alike_marks)
        return levels

    def question(self, query: str) -> Question:
        """What a query asks for (its groups of words, its question words)."""
        # Words repeat in a phrase ("season 2 of all of us are dead"); a group repeated counts once.
        asked = parse(_query_words(query)[: MAX_QUERY_WORDS * 4], self.thesaurus, self.context)
        groups = tuple({group.typed: group for group in reversed(asked.groups)}.values())[::-1]
        return replace(asked, groups=groups[:MAX_QUERY_WORDS])

    def search(self, query: str, limit: int = 50) -> list[Result]:
        """The best `limit` results for `query`, best first; none for an empty query."""
        asked = self.question(query)
        if not asked.groups or limit <= 0:
            return []
        marks: set[str] = set()
        alike_marks: set[str] = set()
        groups = []
        for group in asked.groups:
            levels = _best_first(self._matches(group, marks, alike_marks))
            if levels:
                found = len(set().union(*(docs for _, docs in levels))) if len(levels) > 1 else len(levels[0][1])
                groups.append(ranking.Group(group.weight, ranking.idf(len(self.docs), found), levels))
        intents = sorted(asked.intents)
        # Only question words ("when?", "who is"): what they ask for, in the order of the data.
        answering = self.answering(asked.intents) if asked.intents and asked.names_only_the_show else None
        scoring = ranking.Scoring(groups, len(asked.meaningful), [self.wanting(i) for i in intents], answering)
        if len(asked.terms) > 1:
            said = " ".join(asked.terms)
            phrase, boost = f" {said} ", min(2.0, 1 + PHRASE_BOOST * (len(asked.terms) - 1))

            def phrase_factor(number: int) -> float:
                texts = self.phrases[number]
                if not any(phrase in f" {text} " for text in texts):
                    return 1.0
                return boost * (NAME_BOOST if said in texts[: len(self.docs[number].names)] else 1.0)

            # Only a document with every word can hold them as a phrase; as a name, in its names.
            named = _all_of(self.name_postings, asked.terms)
            anywhere = _all_of(self.postings, asked.terms)
            options = [(boost * NAME_BOOST, named), (boost, anywhere)]
            scoring.phrases = [(factor, docs) for factor, docs in options if docs]
            scoring.phrase_factor = phrase_factor
        best = ranking.best(scoring, limit, self.norms, self.weights, self.chunks)
        # A one-letter stopword ("a", "s") is marked nowhere: everywhere in every row, it marks nothing.
        marked = (frozenset(marks - _LETTERS), frozenset(alike_marks - _LETTERS))
        return [self._result(number, score, marked, matched) for number, score, matched in best]

    def unmatched(self, query: str, typing: bool = True) -> list[str]:
        """The words of a query the sources know nothing about, as typed ("nam-ra" whole): words
        that match no document as themselves, a form, a word of their thesaurus group or with one
        typo. While `typing`, the last word may be unfinished: the start of a word counts ("lom"
        for Lomon). A finished query (the command line) has no unfinished word: "on-jo" is not
        "joins". Stopwords and the show's own names are never the word that failed."""
        typing = typing and not query[-1:].isspace()
        lost: set[str] = set()
        for group in self.question(query).groups:
            if group.context or group.implied or all(word in STOPWORDS for word in group.typed):
                continue
            known = any(docs for _, docs in self._matches(group, set(), set(), prefix=False))
            term = group.typed[-1]
            if not known and not (typing and group.last and self.prefixed(term)):
                lost.update(group.typed)
        return as_typed(query, lost)

    def numbers_of(self, ids: Iterable[str]) -> list[int]:
        """The documents of these entries (looked up: asked on every keystroke of a question; the
        table is made at the first, not with the index, which most sessions never ask)."""
        if not self.entry_numbers:
            self.entry_numbers = {doc.id: n for n, doc in enumerate(self.docs) if doc.kind != "source"}
        return [self.entry_numbers[i] for i in ids if i in self.entry_numbers]

    def answering(self, intents: frozenset[Intent]) -> frozenset[int]:
        """With nothing to match ("when?", "who"): whatever a question word asks for."""
        if intents not in self.answers:
            self.answers[intents] = frozenset().union(*(self.wanting(intent) for intent in intents))
        return self.answers[intents]

    def fits(self, result: Result, intents: frozenset[Intent]) -> bool:
        """Whether a result is what a question word asks for ("when": a dated step...)."""
        return any(result.number in self.wanting(intent) for intent in intents)

    def wanting(self, intent: Intent) -> frozenset[int]:
        """The documents a question word asks for: a dated step, a person, a quote, a reason."""
        if intent not in self.wanted:
            docs = enumerate(self.docs)
            if intent == "when":
                found = {n for n, doc in docs if doc.dated}
            elif intent == "who":
                found = {n for n, doc in docs if doc.kind == "person"}
            elif intent == "said":  # a quote, or a report that says who reported it ("what did star news say")
                found = {n for n, doc in docs if doc.kind == "quote" or (doc.kind == "rumor" and any(doc.credits))}
            elif intent in ("where", "count"):  # no place, no count: nothing is what they ask for
                found = set()
            else:  # why: a rumor or fact that gives a reason
                found = {n for word in _REASONS for n in self.postings.get(word, ()) if self.docs[n].kind in _REASONED}
            self.wanted[intent] = frozenset(found)
        return self.wanted[intent]

    def no_matches(self, query: str) -> str:
        """What to say when a query finds nothing: which of its words the sources know nothing
        about, and the indexed word nearest to each, if one is near."""
        said = f"No matches for “{' '.join(query.split())[:60]}”."
        lost = self.unmatched(query, typing=False)
        if not lost:  # every word is somewhere, yet nothing answers: only words that carry no meaning
            return f"{said} Try a name, a word of the article, or a question such as “when is season 2”."
        hints = [f"“{word}”?" for word in (self.nearest(normalize(term)) for term in lost) if word]
        nothing = ", ".join(f"“{term}”" for term in lost)
        return f"{said} Nothing matches {nothing}." + (f" Did you mean {' '.join(hints)}" if hints else "")

    def nearest(self, term: str) -> str | None:
        """The indexed word most like `term` (same first letter), if one is close enough to offer."""
        start = bisect_left(self.vocabulary, term[:1])
        stop = bisect_left(self.vocabulary, term[:1] + "\U0010ffff")
        alike = [word for word in self.vocabulary[start:stop] if abs(len(word) - len(term)) <= 3]
        found = difflib.get_close_matches(term, alike, n=1, cutoff=0.7)
        return found[0] if found else None

    def result_of(self, number: int, like: Result) -> Result:
        """A document as a result scored and marked as `like` (an answer standing for it)."""
        return self._result(number, like.score, like.marked, like.matched)

    def _result(self, number: int, score: int, marked: tuple[frozenset[str], frozenset[str]], matched: int) -> Result:
        doc = self.docs[number]
        return Result(doc.kind, doc.id, doc.title, doc.tab, score, doc.status, doc, matched, number, marked)


def match_spans(text: str, matched: Set[str], width: int = SNIPPET_WIDTH, start: int = 0) -> list[tuple[int, int]]:
    """Spans of the words, or runs of adjacent words written together, that matched; from the
    first one (at `start` or after) to `width` characters after it."""
    spans: list[tuple[int, int]] = []
    window: list[tuple[int, int, str]] = []  # the last few words, to join
    limit = len(text)
    for m in WORD.finditer(text, start):
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


def make_snippet(
    doc: Document, terms: Set[str], alike: Set[str] = frozenset(), width: int = SNIPPET_WIDTH
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A one-line excerpt of the document around its first match of what was typed (else of a
    word alike), and the matched spans in it."""
    texts = [" ".join(text.split()) for text in (*doc.names, *doc.bodies, *doc.credits) if text.strip()]
    best_text, best_marks = (texts[0] if texts else doc.title), list[tuple[int, int]]()
    for wanted in (terms, alike):
        found = next(((text, marks) for text in texts if (marks := match_spans(text, wanted))), None)
        if found is not None:
            best_text, best_marks = found
            if alike:  # the words alike around what was typed are marked too
                best_marks = match_spans(best_text, terms | alike, width, max(0, best_marks[0][0] - width // 3))
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


_REASONS = ("reason", "reasons", "because", "cause", "caused", "due", "explained")
_REASONED = ("rumor", "fact")
_NOTHING: frozenset[int] = frozenset()
_LETTERS = frozenset(word for word in STOPWORDS if len(word) == 1)


def as_typed(query: str, lost: Set[str]) -> list[str]:
    """The pieces of a query (as split by spaces) that hold a lost word, in order, each once:
    "who plays nam-ra" and {nam, ra} -> ["nam-ra"]."""
    pieces = []
    for piece in query[:MAX_QUERY_CHARS].split():
        if any(word in lost for word in words(piece)):
            pieces.append(normalize(piece).strip("?!.,;:\"'“”‘’()"))
    return list(dict.fromkeys(piece for piece in pieces if piece))


def _best_first(levels: Levels) -> Levels:
    """The levels of a match, best first, one set per quality, none empty."""
    merged: dict[float, Set[int]] = {}
    for quality, docs in levels:
        if docs:
            merged[quality] = merged[quality] | docs if quality in merged else docs
    return sorted(merged.items(), key=lambda level: -level[0])


def _all_of(postings: dict[str, set[int]], terms: Sequence[str]) -> Set[int]:
    """The documents holding every one of `terms`."""
    sets = sorted((postings.get(term, _NOTHING) for term in set(terms)), key=len)
    return sets[0].intersection(*sets[1:]) if sets else _NOTHING


def build_index(knowledge: KnowledgeBase) -> SearchIndex:
    """Index every entry and every source paragraph."""
    # Hundreds of thousands of new sets and strings, none of them garbage: the cyclic collector's
    # passes over them (and over the whole knowledge base) would cost a third of the build.
    with collector_paused():
        index = SearchIndex.build(documents(knowledge), knowledge.thesaurus)
    stem("searching")  # the stemmer is imported here, off the event loop, not at the first keystroke
    return index
