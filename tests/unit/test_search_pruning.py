"""The search skips documents that cannot reach the top (model/ranking.py): its results must be
exactly those of scoring every candidate (support/search_oracle.py), and it must really skip.

On the bundled seeds and on a generated pack whose few words each match thousands of documents:
every prefix of realistic queries as they are typed, questions, phrases, names, and random word
salads with stopwords and question words, at several limits.
"""

from __future__ import annotations

import importlib.util
import random
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.search_oracle import ranked

from aoad_tui.model import ranking
from aoad_tui.model.loader import load_knowledge
from aoad_tui.model.paths import bundled_seeds
from aoad_tui.model.search import SearchIndex, build_index

TESTS = Path(__file__).resolve().parents[1]
QUESTION_WORDS = ["when", "who", "why", "what", "said", "is", "the", "of", "did", "does", "a", "in"]
BUNDLED_QUERIES = [
    "cheong san", "all of us are dead", "when is season 2", "why was it delayed", "whos new in season 2",
    "season 2 release date", "cliffhnager", "postponed 2026", "star news", "when does s2 come out", "when",
    "who is", "what did he say", "is cheong san dead", "lomon", "zombie apocalypse", "the", "netflx",
]  # fmt: skip


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_seeds", TESTS / "bench" / "generate_seeds.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def bundled() -> SearchIndex:
    return build_index(load_knowledge(bundled_seeds()))


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> tuple[SearchIndex, list[str]]:
    """2,000 generated entries and 50 articles: about 3,000 documents over a vocabulary of 65 words,
    and realistic queries of them (the search benchmark's)."""
    generator = _generator()
    seeds = generator.generate_seeds(tmp_path_factory.mktemp("pack") / "seeds", articles=50, entries=2000, files=4)
    knowledge = load_knowledge(seeds)
    rng = random.Random(14)
    names = [person.name for person in knowledge.people]
    queries = [*rng.sample(generator.WORDS, 12), *rng.sample(names, 6), *rng.sample(generator.OUTLETS, 2)]
    queries += [f"{rng.choice(generator.WORDS)} {rng.choice(generator.WORDS)}" for _ in range(8)]
    queries += ["when release", "who is " + names[0].split()[0], "the synthetic show", "why postponed", "said"]
    return build_index(knowledge), queries


def typed(query: str) -> list[str]:
    return [query[:end] for end in range(1, len(query) + 1)]


def found(index: SearchIndex, query: str, limit: int) -> list[tuple[str, str, int, int]]:
    return [(r.kind, r.id, r.score, r.matched) for r in index.search(query, limit)]


@pytest.mark.parametrize("query", BUNDLED_QUERIES)
def test_the_bundled_seeds_rank_as_when_everything_is_scored(query: str) -> None:
    index = bundled()
    for prefix in typed(query):
        for limit in (1, 3, 50):
            assert found(index, prefix, limit) == ranked(index, prefix, limit), (prefix, limit)


@pytest.fixture(params=["as built", "fine chunks", "added up"])
def walked(
    request: pytest.FixtureRequest, pack: tuple[SearchIndex, list[str]], monkeypatch: pytest.MonkeyPatch
) -> tuple[SearchIndex, list[str]]:
    """The pack as built, with tiny chunks and tiers (every way through the walk is taken: chunks,
    ties at a chunk's edge, bounds met exactly) and with the walk given up at once for adding
    every match up, on data of a size a unit test affords."""
    index, queries = pack
    if request.param == "fine chunks":
        monkeypatch.setattr(ranking, "SMALL_TIER", 4)
        monkeypatch.setattr(index, "chunks", ranking.chunks_of(index.norms, index.weights, size=8))
    elif request.param == "added up":  # what a long query takes, or a walk that grows too wide
        monkeypatch.setattr(ranking, "SMALL_TIER", 4)
        monkeypatch.setattr(ranking, "MAX_TIERS", 3)
    return index, queries


def test_a_big_pack_ranks_as_when_everything_is_scored(walked: tuple[SearchIndex, list[str]]) -> None:
    index, queries = walked
    compared = 0
    for query in queries:
        for prefix in typed(query):
            for limit in (1, 7, 50):
                assert found(index, prefix, limit) == ranked(index, prefix, limit), (prefix, limit)
                compared += 1
    assert compared > 1000


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_mix_of_words_ranks_as_when_everything_is_scored(
    walked: tuple[SearchIndex, list[str]], data: st.DataObject
) -> None:
    index, _ = walked
    vocabulary = index.vocabulary[::7] + QUESTION_WORDS
    words = data.draw(st.lists(st.sampled_from(vocabulary), min_size=1, max_size=6))
    cut = data.draw(st.integers(min_value=0, max_value=3))
    query = " ".join(words)
    query = query[: max(1, len(query) - cut)]  # the last word often still being typed
    limit = data.draw(st.sampled_from([1, 2, 10, 50]))
    assert found(index, query, limit) == ranked(index, query, limit)


def test_a_common_prefix_scores_a_small_part_of_what_it_matches(
    pack: tuple[SearchIndex, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    index, _ = pack
    scored = 0
    score = ranking.Scoring.score

    def counted(self: ranking.Scoring, number: int, norm: float, weight: float) -> tuple[int, int]:
        nonlocal scored
        scored += 1
        return score(self, number, norm, weight)

    monkeypatch.setattr(ranking.Scoring, "score", counted)
    for query in ("sc", "re", "release sc"):
        scored = 0
        results = index.search(query, 50)
        matching = len(index.question(query).groups) and len(
            {n for token in index.prefixed(query.split()[-1]) for n in index.postings[token]}
        )
        assert len(results) == 50 and matching > 500
        assert scored < matching / 3, f"{query!r}: scored {scored} of {matching}"
