"""The search's ranking computed the slow, obvious way: every candidate scored, then sorted.

It is the engine as it was before it learnt to skip documents that cannot reach the top (written
in plain dictionaries, one document at a time), kept here as the reference the pruned search must
equal result for result: the same documents, scores, order and matched counts.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable

from aoad_tui.model.question import Group
from aoad_tui.model.ranking import INTENT_BOOST, K1, SCORE_SCALE
from aoad_tui.model.search import (
    ALIKE,
    ALIKE_STEM,
    HEADLINE_BOOST,
    KIND_WEIGHT,
    MIN_PREFIX,
    NAME_BOOST,
    NAME_WEIGHT,
    PHRASE_BOOST,
    PREFIX,
    STEM,
    TYPO,
    WHOLE,
    SearchIndex,
)


def _add(index: SearchIndex, found: dict[int, float], token: str, quality: float) -> None:
    names: set[int] | frozenset[int] = index.name_postings.get(token, frozenset())
    for number in index.postings.get(token, frozenset()):
        value = quality * NAME_WEIGHT if number in names else quality
        if value > found.get(number, 0.0):
            found[number] = value


def _add_all(index: SearchIndex, found: dict[int, float], tokens: Iterable[str], quality: float) -> None:
    for token in tokens:
        _add(index, found, token, quality)


def _word(index: SearchIndex, found: dict[int, float], word: str, whole: float, forms: float) -> None:
    _add(index, found, word, whole)
    _add_all(index, found, index.stemmed(word), forms)


def _phrase(index: SearchIndex, found: dict[int, float], phrase: tuple[str, ...], quality: float) -> None:
    holding: set[int] | None = None
    for word in phrase:
        tokens = [word, *index.stemmed(word)]
        docs = set().union(*(index.postings.get(token, frozenset()) for token in tokens))
        holding = docs if holding is None else holding & docs
    for number in (holding or set()) | index.postings.get("".join(phrase), frozenset()):
        if quality > found.get(number, 0.0):
            found[number] = quality


def _matches(index: SearchIndex, group: Group) -> dict[int, float]:
    found: dict[int, float] = {}
    if len(group.typed) > 1:
        _phrase(index, found, group.typed, WHOLE)
    else:
        term = group.typed[0]
        if group.weight < 1.0 and not group.implied and not group.context:
            _add(index, found, term, WHOLE)
            return found
        _word(index, found, term, WHOLE, STEM)
        started = index.prefixed(term) if group.last and len(term) >= MIN_PREFIX else []
        _add_all(index, found, started, PREFIX)
        _add_all(index, found, index.near(term) if not group.implied else set(), TYPO)
        if group.meant:
            _word(index, found, group.meant, STEM, ALIKE)
    alike, alike_forms = (TYPO, TYPO) if group.meant else (ALIKE, ALIKE_STEM)
    for phrase in group.alike:
        if len(phrase) == 1:
            _word(index, found, phrase[0], alike, alike_forms)
        else:
            _phrase(index, found, phrase, alike)
    return found


def ranked(index: SearchIndex, query: str, limit: int = 50) -> list[tuple[str, str, int, int]]:
    """(kind, id, score, matched) of the best `limit` documents for `query`, best first."""
    asked = index.question(query)
    if not asked.groups or limit <= 0:
        return []
    total = len(index.docs)
    scores: dict[int, float] = defaultdict(float)
    matched: dict[int, int] = defaultdict(int)
    for group in asked.groups:
        found = _matches(index, group)
        if not found:
            continue
        idf = math.log(1 + (total - len(found) + 0.5) / (len(found) + 0.5))
        for number, quality in found.items():
            x = quality / index.norms[number]
            scores[number] += group.weight * idf * x * (K1 + 1) / (x + K1)
            if group.weight == 1.0:
                matched[number] += 1
    wanted = len(asked.meaningful)
    if asked.intents and asked.names_only_the_show:
        answering = sorted(set().union(*(index.wanting(intent) for intent in sorted(asked.intents))))
        candidates = answering or list(scores)
    else:
        candidates = list(matched)
        for number in candidates:
            scores[number] *= matched[number] / wanted
    for number in candidates:
        doc = index.docs[number]
        scores[number] *= KIND_WEIGHT[doc.kind] * (HEADLINE_BOOST if doc.headline else 1.0)
    if len(asked.terms) > 1:
        said = " ".join(asked.terms)
        phrase, boost = f" {said} ", min(2.0, 1 + PHRASE_BOOST * (len(asked.terms) - 1))
        for number in (n for n in candidates if matched[n] == wanted) if wanted else candidates:
            texts = index.phrases[number]
            if any(phrase in f" {text} " for text in texts):
                named = said in texts[: len(index.docs[number].names)]
                scores[number] *= boost * (NAME_BOOST if named else 1.0)
    for intent in asked.intents:
        wanting = index.wanting(intent)
        for number in candidates:
            if number in wanting:
                scores[number] = (scores[number] or 0.1) * INTENT_BOOST
    best = heapq.nsmallest(limit, candidates, key=lambda n: (-round(scores[n] * SCORE_SCALE), n))
    return [(index.docs[n].kind, index.docs[n].id, round(scores[n] * SCORE_SCALE), matched[n]) for n in best]
