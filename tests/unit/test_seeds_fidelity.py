"""The bundled seeds say exactly what the article says, no more: each finding of a fact-check of
the seeds against the article, as a test (the article itself is never edited)."""

from __future__ import annotations

from aoad_tui.model.entries import Fact, Person, Quote, Rumor
from aoad_tui.model.loader import load_knowledge
from aoad_tui.model.paths import bundled_seeds
from aoad_tui.model.search import build_index
from aoad_tui.model.text import collapse_space

KNOWLEDGE = load_knowledge(bundled_seeds())
ARTICLE = next(iter(KNOWLEDGE.articles.values())).body


def fact(entry_id: str) -> Fact:
    entry = KNOWLEDGE.by_id[entry_id]
    assert isinstance(entry, Fact)
    return entry


def test_the_2025_plan_says_it_was_the_initial_one_wherever_it_shows() -> None:
    # Not only its timeline label: a search result, --json and the copied text show the text.
    assert "initially" in fact("season-2-planned-2025").statement
    result = build_index(KNOWLEDGE).search("2025")[0]
    assert result.id == "season-2-planned-2025" and "initially" in result.title


def test_the_cast_of_2022_is_not_presented_as_the_cast_of_season_2() -> None:
    listed = "The cast of All Of Us Are Dead includes Park Ji-hu, Yoon Chan-young, Cho Yi-hyun, and Lomon."
    assert listed in collapse_space(ARTICLE)
    for person_id in ("park-ji-hu", "yoon-chan-young", "cho-yi-hyun", "lomon"):
        person = KNOWLEDGE.by_id[person_id]
        assert isinstance(person, Person)
        assert "2022 series" in person.role and "season 2" not in person.role.lower(), person.role


def test_the_directors_words_are_his_view_with_his_i_think() -> None:
    expanded, zombies = fact("season-2-expanded-story"), fact("season-2-zombie-survival")
    assert "he thinks" in expanded.statement
    assert zombies.statement.startswith("Director Lee Jae-gyu says")


def test_a_quote_is_on_record_not_confirmed() -> None:
    quotes = [entry for entry in KNOWLEDGE.entries() if isinstance(entry, Quote)]
    assert quotes and all(quote.status_word == "on record" for quote in quotes)
    assert all(entry.status_word == entry.status for entry in KNOWLEDGE.entries() if not isinstance(entry, Quote))


def test_the_articles_filming_postponement_is_cited_by_its_own_entry_and_no_other() -> None:
    citing = {
        entry.id
        for entry in KNOWLEDGE.entries()
        for c in entry.cites
        if "filming postponement" in collapse_space(c.passage)
    }
    assert citing == {"filming-postponement"}  # not the release's postponement to 2026: it does not support it
    assert (
        "filming postponement" in fact("filming-postponement").statement
        and "reason" not in fact("filming-postponement").statement
    )


def test_the_seeds_keep_the_articles_own_hedges() -> None:
    expanded = fact("season-2-expanded-story").statement
    assert "with that in mind" in expanded and "so that" not in expanded
    cast = KNOWLEDGE.by_id["new-supporting-cast"]
    assert isinstance(cast, Rumor) and "expected to be playing" in cast.claim and "will play" not in cast.claim


def test_a_rumor_names_who_reports_it_only_where_the_article_does() -> None:
    for rumor_id in ("cheong-san-alive", "roh-yoon-seo-cast"):  # "was speculated", "most-discussed question"
        rumor = KNOWLEDGE.by_id[rumor_id]
        assert isinstance(rumor, Rumor) and rumor.reported_by == "", rumor_id
    rumors = [entry for entry in KNOWLEDGE.entries() if isinstance(entry, Rumor)]
    for rumor in rumors:
        words = " ".join(collapse_space(c.passage) for step in rumor.history for c in step.cites)
        assert not rumor.reported_by or rumor.reported_by == "the source article" or rumor.reported_by in words


def test_the_cliffhanger_carries_no_date_the_article_does_not_give() -> None:
    assert "2022" not in fact("season-1-cliffhanger").when


def test_a_rumor_knows_who_reported_it() -> None:
    rumor = KNOWLEDGE.by_id["postponement-reason"]
    assert isinstance(rumor, Rumor) and rumor.reported_by == "Star News"
