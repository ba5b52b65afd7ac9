"""Property tests of the search engine: any query at all returns quickly, without error, and the
same way every time.

Queries: any text (control characters, right-to-left text, emoji, combining marks; surrogates
excluded) up to 10,000 characters, and long strings built by repeating hostile fragments.
"""

from __future__ import annotations

import time
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aoad_tui.model.loader import load_knowledge
from aoad_tui.model.paths import bundled_seeds
from aoad_tui.model.search import Result, SearchIndex, build_index
from aoad_tui.model.vocabulary import TARGETS, tab_of

BOUND = 0.5  # seconds of CPU for one search, whatever the query
LONGEST = 10_000

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@cache
def index() -> SearchIndex:
    return build_index(load_knowledge(bundled_seeds()))


# Pieces that have broken text handling somewhere: words of the data (so that queries do match),
# right-to-left text and the marks that reorder it, emoji sequences, control characters and
# escape sequences, combining marks, characters that NFKC or casefold expands, punctuation.
# fmt: off
FRAGMENTS = [
    "cheong", "san", "Cheong-san", "season", "zombie", "zombei", "All Of U Are Dead", "yoo", "lomon",
    "Ｃｈｅｏｎｇ", "Chéong", "TV Guide", "star news", "2026", "s", "a", " ", "  ", "-", "'", "…",
    "שלום", "مرحبا بالعالم", "\u202e", "\u202d", "\u200f", "\u2067", "\u200b", "\u2060", "\ufeff",
    "🧟", "🧟\u200d♂️", "👩🏽\u200d🔬", "🇰🇷", "\U0001f600" * 3,
    "\x00", "\x07", "\x1b", "\x1b[31m", "\x1b]52;c;AAAA\x07", "\r\n", "\t", "\x7f", "\x85", "\x9b",
    "e\u0301", "\u0301" * 20, "Z\u0351\u0352\u0353\u0354", "ﷺ", "ﬃ", "㍿", "ß", "İ", "ǅ", "Ⅻ", "①",
    "한국 드라마", "좀비", "ゾンビ", "僵尸", "ｓｅａｓｏｎ", "\u3000",
    "_", "__init__", "x" * 50, "ab" * 30, "a-b-c-d-e-f", "1.2.3",
]
# fmt: on

texts = st.text(max_size=LONGEST)
short_texts = st.text(max_size=300)
built = st.builds(
    lambda parts, times: ("".join(parts) * times)[:LONGEST],
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=30),
    st.integers(min_value=1, max_value=2_000),
)
word_salad = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(" ".join)
queries = st.one_of(texts, short_texts, built, word_salad)


def timed_search(query: str, limit: int = 50) -> list[Result]:
    searched = index()  # built (once) before the clock starts: only the search is timed
    # CPU time of this thread, not the wall clock: a guard against a query that costs seconds (a
    # quadratic path), which other test workers sharing the CPUs must not trip.
    start = time.thread_time()
    results = searched.search(query, limit)
    elapsed = time.thread_time() - start
    assert elapsed < BOUND, f"{elapsed:.3f} s for a query of {len(query)} characters"
    return results


def check_shape(results: list[Result], limit: int) -> None:
    assert len(results) <= limit
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    assert len({(r.kind, r.id) for r in results}) == len(results)
    for result in results:
        assert result.kind in TARGETS and result.tab == tab_of(result.kind)
        for start, end in result.marks:
            assert 0 <= start < end <= len(result.snippet)


@SETTINGS
@given(queries)
def test_any_query_returns_quickly_without_error(query: str) -> None:
    results = timed_search(query)
    check_shape(results, 50)


@SETTINGS
@given(queries)
def test_the_same_query_twice_gives_the_same_results(query: str) -> None:
    assert timed_search(query) == timed_search(query)


@SETTINGS
@given(queries, st.integers(min_value=-3, max_value=200))
def test_any_limit_is_honoured(query: str, limit: int) -> None:
    results = timed_search(query, limit)
    check_shape(results, max(limit, 0))
    if limit > 0:
        assert results == timed_search(query, 200)[:limit]


ASCII_QUERY = st.lists(
    st.sampled_from(["cheong", "san", "Season", "ZOMBIE", "zombei", "all", "of", "u", "dead", "TV", "2026", "yoo"]),
    min_size=1,
    max_size=6,
).map(" ".join)


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text)


@SETTINGS
@given(ASCII_QUERY)
def test_case_and_width_do_not_matter(query: str) -> None:
    expected = timed_search(query)
    assert timed_search(query.upper()) == expected
    assert timed_search(query.lower()) == expected
    assert timed_search(fullwidth(query)) == expected


@SETTINGS
@given(ASCII_QUERY, st.sampled_from([" ", "  ", "\t", " - ", ", ", " / "]))
def test_spaces_and_punctuation_between_words_do_not_matter(query: str, separator: str) -> None:
    expected = timed_search(query)
    assert timed_search(separator.join(query.split())) == expected
    assert timed_search(f"  {query}\n") == expected
