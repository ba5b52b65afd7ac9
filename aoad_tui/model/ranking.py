"""The best few documents of a query without scoring every document it matches.

A common word or a two-letter prefix matches a third of a 100,000-entry knowledge base, and
scoring each of those documents in Python takes tens of milliseconds. Yet a score depends on
little: how well each group of the query matched (a few levels: a whole word in a name, a whole
word, a word form, a prefix, a typo...), the document's length (its norm), its kind, and whether
it holds the phrase or what a question word asks for. So the documents are visited by tiers, a
tier being one level per group (found as intersections of sets, in C), best tier first; within a
big tier, by chunks of documents of one kind weight and similar length, shortest first. Each tier
and chunk has a bound no document in it can beat; the walk stops where the bound falls below the
last of the best `limit` found. Every document visited is scored exactly as the whole formula
says, so the results are those of scoring everything (tests/support/search_oracle.py).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass, field
from itertools import groupby

K1 = 1.2  # BM25's saturation
INTENT_BOOST = 1.5  # what a question word asks for: a dated step, a person, a quote
SCORE_SCALE = 1000  # scores are integers: the weight times this
NO_SCORE = 0.1  # what a document that matched nothing weighs when a question word asks for it
CHUNK = 1024  # documents per chunk at most; a chunk is of one kind weight and its lengths are close
SMALL_TIER = 512  # a tier this small is scored whole, without its chunks
# A walk costs what its intersections and chunks touch, in C; adding every match up (added_up) what
# the groups' sets hold, in Python, about ten times slower a document. Once a walk has touched
# WALK_OVER times as much, or reached MAX_TIERS tiers, it gives way to adding up. Eight common words
# made a walk of thousands of big intersections: 1.5 s at 100,000 entries (added up: 0.12 s).
WALK_OVER = 5
MAX_TIERS = 4_000
_EPSILON = 1e-9  # a bound is computed in another order than a score: it is raised by this much

Levels = list[tuple[float, Set[int]]]  # how well (a quality), and the documents that matched so


@dataclass(frozen=True, slots=True)
class Chunk:
    """Documents of one kind weight, next to each other when sorted by norm then number."""

    weight: float
    norm: float  # the smallest norm in it
    first: int  # the smallest document number in it
    docs: frozenset[int]


def chunks_of(norms: Sequence[float], weights: Sequence[float], size: int = CHUNK) -> list[Chunk]:
    """The documents cut into chunks: by kind weight, then by norm (shortest first), then number."""
    order = sorted(range(len(norms)), key=lambda n: (weights[n], norms[n], n))
    found = []
    for weight, same in groupby(order, key=weights.__getitem__):
        members = list(same)
        for start in range(0, len(members), size):
            part = members[start : start + size]
            found.append(Chunk(weight, norms[part[0]], min(part), frozenset(part)))
    return found


@dataclass(slots=True)
class Group:
    """One group of the query, as sets: how much it weighs, its idf, its levels best first."""

    weight: float
    idf: float
    levels: Levels

    @property
    def meaningful(self) -> bool:
        return self.weight == 1.0

    def points(self, quality: float, norm: float) -> float:
        """What a document of this norm matched at this quality earns (BM25's saturation)."""
        x = quality / norm
        return self.weight * self.idf * x * (K1 + 1) / (x + K1)


@dataclass(slots=True)
class Scoring:
    """What a query asks of every document, and the one formula that scores a document."""

    groups: list[Group]
    wanted: int  # the meaningful groups of the query (matched ones count over this)
    intents: list[Set[int]]  # per question word, the documents it asks for
    # Only question words ("when?"): these documents, whatever they match (None: not so asked).
    answering: Set[int] | None
    # With two words or more: the documents that may hold them as a phrase, the factor they may
    # earn (best first); and the factor a document really earns.
    phrases: list[tuple[float, Set[int]]] = field(default_factory=list)
    phrase_factor: Callable[[int], float] = lambda number: 1.0

    def score(self, number: int, norm: float, weight: float) -> tuple[int, int]:
        """A document's score and how many meaningful groups it matched, as the whole formula says."""
        score, matched = 0.0, 0
        for group in self.groups:
            for quality, docs in group.levels:
                if number in docs:
                    score += group.points(quality, norm)
                    matched += group.meaningful
                    break
        return self.finish(number, score, matched, weight), matched

    def finish(self, number: int, score: float, matched: int, weight: float) -> int:
        """The score, from what the groups add up to: how much of the query matched, the kind,
        the phrase, what the question words ask for."""
        if self.answering is None:
            score *= matched / self.wanted  # matching more of the question counts more than matching well
        score *= weight
        if self.phrases and (matched == self.wanted or not self.wanted):
            score *= self.phrase_factor(number)
        for wanting in self.intents:
            if number in wanting:
                score = (score or NO_SCORE) * INTENT_BOOST
        return round(score * SCORE_SCALE)


# A tier: one option per dimension (each group's levels then "not matched", each question word's
# documents then "not", the phrase's sets then "no phrase"), as indices.
Tier = tuple[int, ...]
_Option = tuple[float, Set[int] | None]


@dataclass(slots=True)
class _Walk:
    scoring: Scoring
    norms: Sequence[float]
    weights: Sequence[float]
    limit: int
    best: list[tuple[int, int, int]] = field(default_factory=list)  # (score, -number, matched), worst first
    seen: set[int] = field(default_factory=set)

    def visit(self, numbers: Set[int]) -> None:
        seen, best, norms, weights, score = self.seen, self.best, self.norms, self.weights, self.scoring.score
        for number in numbers:
            if number in seen:
                continue
            seen.add(number)
            points, matched = score(number, norms[number], weights[number])
            entry = (points, -number, matched)
            if len(best) < self.limit:
                heapq.heappush(best, entry)
            elif entry > best[0]:
                heapq.heapreplace(best, entry)

    def beaten(self, bound: float, first: int | None = None) -> bool:
        """Whether no document under this bound (numbered `first` or more) can enter the best."""
        if len(self.best) < self.limit:
            return False
        highest = math.floor(bound * SCORE_SCALE * (1 + _EPSILON) + 0.5 + _EPSILON)  # what round() can give
        last, minus_number, _ = self.best[0]
        return highest < last or (highest == last and first is not None and first > -minus_number)


def best(
    scoring: Scoring, limit: int, norms: Sequence[float], weights: Sequence[float], chunks: list[Chunk]
) -> list[tuple[int, int, int]]:
    """(number, score, matched) of the best `limit` documents, best first (ties: lower number)."""
    walk = _Walk(scoring, norms, weights, limit)
    budget = sum(map(len, _candidates(scoring)))  # what adding every match up would touch
    if budget <= SMALL_TIER:  # few enough to score them all (the bundled seeds)
        walk.visit(set().union(*_candidates(scoring)))
        return _ranked(walk)
    spent = 0
    groups, intents = scoring.groups, scoring.intents
    dimensions: list[list[_Option]] = [
        *([*g.levels, (0.0, None)] for g in groups),
        *([(1.0, wanting), (0.0, None)] for wanting in intents),
    ]
    if scoring.phrases:
        dimensions.append([*scoring.phrases, (1.0, None)])
    shortest = min((chunk.norm for chunk in chunks), default=1.0)
    heaviest = max((chunk.weight for chunk in chunks), default=1.0)

    def bound(tier: Tier, norm: float, weight: float) -> float | None:
        """The most a document of this tier, norm and weight can score; None: not a candidate."""
        score, matched, present = 0.0, 0, 0
        for group, option in zip(groups, tier, strict=False):
            if option < len(group.levels):
                score += group.points(group.levels[option][0], norm)
                matched += group.meaningful
                present += 1
        if scoring.answering is None:
            if not matched:
                return None
            score *= matched / scoring.wanted
        elif not scoring.answering and not present:
            return None  # question words that ask for nothing: only what matched is a candidate
        score *= weight
        # The phrase counts only with every word matched; a tier without them has its bound as if
        # it had no phrase (the same tier with "no phrase" holds its documents).
        if scoring.phrases and tier[-1] < len(scoring.phrases) and (matched == scoring.wanted or not scoring.wanted):
            score *= scoring.phrases[tier[-1]][0]
        asked = sum(1 for option in tier[len(groups) : len(groups) + len(intents)] if option == 0)
        return max(score, NO_SCORE) * INTENT_BOOST**asked if asked else score

    def idle(tier: Tier) -> bool:
        """A tier whose phrase cannot count: its documents are those of the tier with no phrase."""
        if not scoring.phrases or tier[-1] == len(scoring.phrases):
            return False
        matched = sum(
            1 for group, option in zip(groups, tier, strict=False) if option < len(group.levels) and group.meaningful
        )
        return matched != scoring.wanted and bool(scoring.wanted)

    def members(tier: Tier) -> Set[int] | None:
        nonlocal spent
        sets = [dimension[option][1] for dimension, option in zip(dimensions, tier, strict=True)]
        chosen = sorted((s for s in sets if s is not None), key=len)
        if scoring.answering:
            chosen.insert(0, scoring.answering)
        if len(chosen) < 2:
            return chosen[0] if chosen else None
        spent += len(chosen[0])
        found = chosen[0] & chosen[1]
        for other in chosen[2:]:
            if not found:
                break
            found &= other
        return found

    start: Tier = (0,) * len(dimensions)
    frontier: list[tuple[float, Tier]] = []
    reached: set[Tier] = set()

    def reach(tier: Tier) -> None:
        reached.add(tier)
        top = bound(tier, shortest, heaviest)
        if top is not None:  # nor can anything after it be: it lacks what makes a candidate
            heapq.heappush(frontier, (-top, tier))

    reach(start)
    while frontier:
        negative, tier = heapq.heappop(frontier)
        if walk.beaten(-negative):
            break
        if spent > WALK_OVER * budget or len(reached) > MAX_TIERS:
            return added_up(scoring, limit, norms, weights)
        for position, option in enumerate(tier):
            if option + 1 < len(dimensions[position]):
                following = (*tier[:position], option + 1, *tier[position + 1 :])
                if following not in reached:
                    reach(following)
        found = None if idle(tier) else members(tier)
        if not found:
            continue
        if len(found) <= SMALL_TIER:
            walk.visit(found)
            continue
        bounds = ((bound(tier, chunk.norm, chunk.weight), chunk) for chunk in chunks)
        for top, chunk in sorted(((b, c) for b, c in bounds if b is not None), key=lambda pair: -pair[0]):
            if walk.beaten(top):
                break
            if not walk.beaten(top, chunk.first):
                spent += min(len(found), len(chunk.docs))
                walk.visit(found & chunk.docs)
    return _ranked(walk)


def _ranked(walk: _Walk) -> list[tuple[int, int, int]]:
    return [(-minus_number, points, matched) for points, minus_number, matched in sorted(walk.best, reverse=True)]


def added_up(
    scoring: Scoring, limit: int, norms: Sequence[float], weights: Sequence[float]
) -> list[tuple[int, int, int]]:
    """The best `limit` documents the plain way: each group adds its points to every document it
    matched (at the best level it matched it), then every candidate is finished and ranked. Cost:
    the sizes of the groups' sets, whatever the number of groups."""
    sums: dict[int, float] = {}
    counts: dict[int, int] = {}
    for group in scoring.groups:
        taken: set[int] = set()
        for quality, docs in group.levels:
            fresh = docs - taken if taken else docs
            taken.update(fresh)
            for number in fresh:
                sums[number] = sums.get(number, 0.0) + group.points(quality, norms[number])
                if group.meaningful:
                    counts[number] = counts.get(number, 0) + 1
    if scoring.answering is None:
        candidates: Set[int] = counts.keys()
    else:
        candidates = scoring.answering or sums.keys()
    finish = scoring.finish
    ranked = heapq.nsmallest(
        limit,
        ((-finish(n, sums.get(n, 0.0), counts.get(n, 0), weights[n]), n) for n in candidates),
    )
    return [(number, -points, counts.get(number, 0)) for points, number in ranked]


def _candidates(scoring: Scoring) -> list[Set[int]]:
    """Sets that hold every candidate of the query between them."""
    if scoring.answering:
        return [scoring.answering]
    groups = [g for g in scoring.groups if g.meaningful or scoring.answering is not None]
    return [docs for group in groups for _, docs in group.levels]


def idf(total: int, found: int) -> float:
    """How much rarer documents weigh (BM25's idf)."""
    return math.log(1 + (total - found + 0.5) / (found + 0.5))
