"""The answer line says only what the best entry says in its own words, or nothing: the examples of
confident wrong answers, half answers and misleading silences a fact-check found."""

from __future__ import annotations

from functools import cache

import pytest

from aoad_tui.model.answer import Answer, ask, nothing_about
from aoad_tui.model.entries import KnowledgeBase
from aoad_tui.model.loader import load_knowledge
from aoad_tui.model.paths import bundled_seeds
from aoad_tui.model.search import SearchIndex, build_index


@cache
def knowledge() -> KnowledgeBase:
    return load_knowledge(bundled_seeds())


@cache
def index() -> SearchIndex:
    return build_index(knowledge())


def answered(query: str) -> Answer | None:
    return ask(knowledge(), index(), query)[1]


@pytest.mark.parametrize(
    "query",
    [
        "who plays on-jo",  # "jo" is only the start of "joins"
        "whats the latest news",  # "news" is only in the name of the outlet, Star News
        "who plays nam-ra",  # the sources never name Nam-ra: the cast is no answer
        "was aoad cancelled",
        "where was season 2 filmed",  # the sources name no place
        "is lee jae-gyu directing season 3",
    ],
)
def test_no_answer_where_the_sources_do_not_answer(query: str) -> None:
    assert answered(query) is None


@pytest.mark.parametrize(
    "query",
    [
        "when does s2 come out",
        "aoad s2 release date",
        "did netflix renew it",
        "is season 2 coming out in 2025",
        "is season 2 confirmed or not",
        "s2 delayed?",
    ],
)
def test_a_release_question_is_answered_from_the_whole_timeline(query: str) -> None:
    found = answered(query)
    assert found is not None, query
    assert "postponed to 2026" in found.line and "first planned for 2025" in found.line and "announced" in found.line
    assert found.verdict == "as of 2025-04-16"
    # each step cites its own passage, in the timeline's order
    assert [step.glance for step in found.steps] == [f.glance for f in knowledge().facts if f.glance]
    assert "its release was later postponed to 2026." in [step.passage for step in found.steps]


@pytest.mark.parametrize(
    ("query", "unmatched"),
    [
        ("who plays nam-ra", ["nam-ra"]),
        ("who plays on-jo", ["on-jo"]),
        ("aoad trailer", ["trailer"]),  # the show's own name is never the word that failed
        ("was aoad cancelled", ["cancelled"]),
        ("when does s2 come out", []),
        ("lomon", []),
        ("all of us are dead", []),
    ],
)
def test_the_words_the_sources_know_nothing_about(query: str, unmatched: list[str]) -> None:
    assert index().unmatched(query, typing=False) == unmatched


def test_while_typing_the_start_of_a_word_is_no_unknown_word() -> None:
    assert index().unmatched("all of u") == [] and index().unmatched("who is lo") == []  # lomon, being typed
    assert index().unmatched("who is lo ") == ["lo"]  # a space: the word is finished
    assert index().unmatched("who plays nam-ra") == ["nam-ra"]


def test_nothing_about_names_the_words() -> None:
    assert nothing_about(["nam-ra"]) == "Nothing in the sources about nam-ra."
    assert nothing_about(["nam-ra", "trailer"]) == "Nothing in the sources about nam-ra or trailer."


def test_a_search_that_finds_nothing_blames_the_word_that_failed() -> None:
    said = index().no_matches("aoad trailer")
    assert "“trailer”" in said and "aoad" not in said.split("Nothing matches", 1)[1]


def test_a_quotes_answer_names_its_speaker_and_outlet() -> None:
    found = answered("what did the director say")
    assert found is not None and found.text.startswith("Lee Jae-gyu to Ten Asia: “")


def test_rows_say_who() -> None:
    person = index().search("is park ji hu confirmed for season 2")[0]
    assert person.id == "park-ji-hu" and person.byline == "Cast of the 2022 series"
    assert person.as_json()["role"] == "Cast of the 2022 series"
    quote = next(r for r in index().search("nothing is confirmed yet") if r.kind == "quote")
    assert quote.byline == "Yoon Chan-young, TV Guide"


def test_an_answer_still_comes_where_the_entry_says_it() -> None:
    found = answered("why was it delayed")
    assert found is not None and found.result.id == "postponement-reason"
    found = answered("who plays cheong san")
    assert found is not None and found.result.id == "yoon-chan-young"
