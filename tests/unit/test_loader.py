"""The loader's validation: every rule has a seeds directory in tests/data/ with just that defect,
reported once, at the right file and line, with a message that says what is wrong."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from support import DATA

from aoad_tui.model.entries import KnowledgeBase
from aoad_tui.model.loader import Problem, SeedsError, load_knowledge
from aoad_tui.model.paths import bundled_seeds
from aoad_tui.model.text import locate, slugify

PROBLEM_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<message>\S.*)$")

# Directory, file and line where the one defect is, and a phrase the message must contain.
BAD: list[tuple[str, str, int, str]] = [
    ("broken_yaml", "facts.yaml", 3, "YAML syntax: mapping values are not allowed"),
    ("wrong_types", "facts.yaml", 3, "'text' must be text, not a number"),
    ("unknown_status", "facts.yaml", 4, "unknown status 'rumoured'"),
    ("duplicate_id", "facts.yaml", 9, "duplicate id 'second-season' (first at "),
    ("unknown_speaker", "quotes.yaml", 12, "unknown person 'park-ji-hu'"),
    ("unknown_person_in_about", "facts.yaml", 15, "unknown person 'park-ji-hu'"),
    ("passage_not_in_article", "facts.yaml", 8, "passage not found in article '001_news'"),
    ("missing_article_file", "articles.yaml", 4, "article file 002_gone.txt not found"),
    ("cites_unknown_article", "facts.yaml", 7, "cites unknown article '009_nowhere'"),
    ("not_utf8", "people.yaml", 4, "not UTF-8: byte 0xe9"),
    ("empty_file", "facts.yaml", 1, "empty file"),
    ("missing_required_field", "people.yaml", 2, "person is missing 'role'"),
    ("bad_date", "facts.yaml", 5, "not a date: '2025-02-30'"),
    ("bad_article_date", "001_news.txt", 1, "not a date: '2025-13-02'"),
    ("article_date_mismatch", "articles.yaml", 4, "date 2025-01-03 disagrees with"),
    ("article_without_date", "001_news.txt", 1, "no date"),
    ("id_not_slug", "facts.yaml", 2, "id 'Second_Season' is not a lowercase slug"),
    ("person_id_not_name_slug", "people.yaml", 2, "a person's id is the slug of the name: expected 'kim-min-ji'"),
    ("unknown_field", "facts.yaml", 4, "unknown field 'source' in fact"),
    ("unknown_section", "facts.yaml", 9, "unknown section 'episodes'"),
    ("history_out_of_order", "rumors.yaml", 11, "history steps must be in date order"),
    ("not_a_mapping", "facts.yaml", 1, "expected a mapping with any of"),
    ("entry_not_a_mapping", "facts.yaml", 9, "each item of 'facts' must be a mapping, not text"),
    ("citation_not_a_mapping", "facts.yaml", 7, "each citation must be a mapping, not text"),
    ("empty_cites", "facts.yaml", 6, "'cites' must be a list of at least one"),
    ("control_character", "facts.yaml", 3, "unacceptable character #x0007"),
    ("duplicate_key", "facts.yaml", 5, "duplicate key 'status' (first at line 4)"),
    ("two_shows", "show2.yaml", 2, "a second 'show'"),
]

# many_problems/: every one of these, and nothing else.
MANY: list[tuple[str, int, str]] = [
    ("002_latin1.txt", 1, "not UTF-8: byte 0xe9"),
    ("facts.yaml", 4, "unknown status 'rumoured'"),
    ("facts.yaml", 9, "id 'Bad_Id' is not a lowercase slug"),
    ("facts.yaml", 22, "passage not found in article '001_news': 'not in the article'"),
    # One entry with several defects: a missing field does not hide the others.
    ("facts.yaml", 23, "fact is missing 'text'"),
    ("facts.yaml", 24, "unknown status 'gossip'"),
    ("facts.yaml", 28, "passage not found in article '001_news': 'not there either'"),
    ("facts.yaml", 29, "each citation must be a mapping, not text"),
    ("people.yaml", 2, "a person's id is the slug of the name"),
    ("quotes.yaml", 3, "unknown person 'nobody'"),
    ("quotes.yaml", 5, "unknown field 'colour' in quote"),
    ("rumors.yaml", 3, "YAML syntax: mapping values are not allowed"),
]


def problems_of(seeds: Path) -> list[Problem]:
    with pytest.raises(SeedsError) as raised:
        load_knowledge(seeds)
    problems = raised.value.problems
    assert problems, "SeedsError without problems"
    return problems


def assert_well_formed(problem: Problem) -> None:
    """`path:line: message` on one line."""
    text = str(problem)
    assert "\n" not in text and "\r" not in text, text
    assert PROBLEM_LINE.match(text), text


def is_at(problem: Problem, seeds: Path, file_name: str, line: int) -> bool:
    return Path(problem.origin.path).resolve() == (seeds / file_name).resolve() and problem.origin.line == line


def test_every_rule_has_its_directory() -> None:
    names = [name for name, *_ in BAD]
    assert len(set(names)) == len(names) >= 14
    missing = [name for name in [*names, "many_problems", "no_articles", "minimal_valid"] if not (DATA / name).is_dir()]
    assert not missing


@pytest.mark.parametrize(("name", "file_name", "line", "phrase"), BAD, ids=[case[0] for case in BAD])
def test_bad_directory_reports_its_one_defect(name: str, file_name: str, line: int, phrase: str) -> None:
    seeds = DATA / name
    problems = problems_of(seeds)
    for problem in problems:
        assert_well_formed(problem)
    assert len(problems) == 1, "\n".join(map(str, problems))
    (problem,) = problems
    assert is_at(problem, seeds, file_name, line), f"expected {file_name}:{line}, got {problem}"
    assert str(problem).startswith(f"{problem.origin.path}:{line}: ")
    assert phrase in problem.message


def test_many_problems_are_all_reported_at_once() -> None:
    seeds = DATA / "many_problems"
    problems = problems_of(seeds)
    for problem in problems:
        assert_well_formed(problem)
    found = [
        (Path(p.origin.path).name, p.origin.line, p.message)
        for p in problems
        if Path(p.origin.path).resolve().parent == seeds.resolve()
    ]
    assert len(found) == len(problems)
    for file_name, line, phrase in MANY:
        assert any(f == file_name and n == line and phrase in m for f, n, m in found), (
            f"{file_name}:{line}: {phrase} not in\n" + "\n".join(map(str, problems))
        )
    assert len(problems) == len(MANY), "\n".join(map(str, problems))


def test_no_articles_at_all() -> None:
    seeds = DATA / "no_articles"
    problems = problems_of(seeds)
    first = problems[0]
    assert Path(first.origin.path).resolve() == seeds.resolve()
    assert first.origin.line == 0
    assert "no source articles" in first.message


def test_not_a_directory(tmp_path: Path) -> None:
    for seeds in (tmp_path / "nowhere", DATA / "minimal_valid" / "seeds.yaml"):
        (problem,) = problems_of(seeds)
        assert "not a directory of seeds" in problem.message
        assert_well_formed(problem)


@pytest.mark.parametrize(("name", "limit"), [("seeds.yaml", "MAX_YAML_BYTES"), ("001_news.txt", "MAX_ARTICLE_BYTES")])
def test_a_seeds_file_over_the_limit_is_one_problem_not_minutes_of_parsing(
    tmp_path: Path, name: str, limit: str
) -> None:
    """A 51 MB YAML file took 130 s and 5.4 GB to be refused; one byte over the limit is now said
    without being parsed, and a file of exactly the limit is read."""
    from aoad_tui.model import loader

    most = getattr(loader, limit)

    seeds = tmp_path / "seeds"
    shutil.copytree(DATA / "minimal_valid", seeds)
    path = seeds / name
    original = path.read_bytes()
    padding = most - len(original) - 1
    path.write_bytes(original + b"#" * padding + b"\n")  # a comment (YAML) or a last line (article)
    load_knowledge(seeds)  # exactly the limit: read
    path.write_bytes(original + b"#" * (padding + 1) + b"\n")
    (problem,) = problems_of(seeds)
    assert Path(problem.origin.path).name == name
    assert f"larger than {most // (1024 * 1024)} MiB" in problem.message
    assert_well_formed(problem)


def test_minimal_valid_loads() -> None:
    knowledge = load_knowledge(DATA / "minimal_valid")
    assert knowledge.show is not None
    assert knowledge.show.aliases[0].name == "The Zombie Drama"
    assert [len(knowledge.facts), len(knowledge.people), len(knowledge.quotes), len(knowledge.rumors)] == [1, 1, 1, 1]
    article = knowledge.articles["001_news"]
    assert article.title == "Season 2 confirmed"
    assert article.outlet == "Example News"
    assert article.date.isoformat() == "2025-01-02"
    assert article.body.startswith("Netflix confirmed")  # the `date ...` prefix is not part of the body
    person = knowledge.people[0]
    assert person.id == slugify(person.name) == "kim-min-ji"
    assert knowledge.quotes[0].speaker == person.id
    rumor = knowledge.rumors[0]
    assert [step.status for step in rumor.history] == ["reported", "confirmed"]
    assert rumor.status == "confirmed"
    assert set(knowledge.by_id) == {"the-show", "second-season", "kim-min-ji", "we-are-back", "spring-filming"}


def test_passage_matches_across_white_space_differences(tmp_path: Path) -> None:
    """The article breaks a sentence over lines; the passage may use other spaces, tabs, line breaks."""
    seeds = tmp_path / "seeds"
    shutil.copytree(DATA / "minimal_valid", seeds)
    body = load_knowledge(seeds).articles["001_news"].body
    assert "the\nschool" in body  # the sentence is broken across a line in the article
    yaml_file = seeds / "seeds.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    cited = "passage: Netflix confirmed a second season\n"
    assert cited in text
    spaced = 'passage: "  Netflix\\tconfirmed   a\\n\\nsecond \\u00a0season "\n'
    yaml_file.write_text(text.replace(cited, spaced), encoding="utf-8")
    knowledge = load_knowledge(seeds)
    passage = knowledge.facts[0].cites[0].passage
    assert passage != "Netflix confirmed a second season"
    assert locate(passage, body) is not None
    # ...but words themselves must match: a different word is not found.
    yaml_file.write_text(text.replace(cited, "passage: Netflix  confirmed a third season\n"), encoding="utf-8")
    (problem,) = problems_of(seeds)
    assert "passage not found" in problem.message


def test_loading_does_not_leave_the_garbage_collector_off() -> None:
    import gc

    assert gc.isenabled()
    load_knowledge(DATA / "minimal_valid")
    assert gc.isenabled()
    problems_of(DATA / "many_problems")
    assert gc.isenabled()


# --- the bundled seeds ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> KnowledgeBase:
    return load_knowledge(bundled_seeds())


def test_bundled_seeds_load(bundled: KnowledgeBase) -> None:
    assert bundled.show is not None
    assert len(bundled.articles) >= 1
    assert len(bundled.people) >= 4
    assert len(bundled.facts) >= 5
    assert len(bundled.quotes) >= 1
    assert len(bundled.rumors) >= 1
    assert len(bundled.by_id) == len(bundled.entries())  # ids are unique


def test_bundled_entries_cite_passages_found_in_their_articles(bundled: KnowledgeBase) -> None:
    for entry in bundled.entries():
        assert entry.cites, entry.id
        for citation in entry.cites:
            article = bundled.articles[citation.article]
            assert locate(citation.passage, article.body) is not None, (entry.id, citation.passage)


def test_bundled_references_are_consistent(bundled: KnowledgeBase) -> None:
    people = {person.id for person in bundled.people}
    for person in bundled.people:
        assert person.id == slugify(person.name)
    for quote in bundled.quotes:
        assert quote.speaker in people
    for entry in [*bundled.facts, *bundled.rumors]:
        assert set(entry.about) <= people, entry.id
    for rumor in bundled.rumors:
        dates = [step.as_of for step in rumor.history]
        assert dates == sorted(dates)
        assert rumor.status == rumor.history[-1].status


# --- YAML edge cases: each a problem at its line, never an exception ------------------------------

ARTICLE = "date 2025-01-02 Netflix confirmed a second season of the zombie drama.\n"
FACT = (
    "facts:\n"
    "  - id: second-season\n"
    "    text: Netflix confirmed season 2.\n"
    "    status: confirmed\n"
    "    as_of: 2025-01-02\n"
    "    cites:\n"
    "      - article: 001_news\n"
    "        passage: Netflix confirmed a second season\n"
)


def seeds_with(tmp_path: Path, yaml_text: str | bytes) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "001_news.txt").write_text(ARTICLE, encoding="utf-8")
    path = seeds / "facts.yaml"
    if isinstance(yaml_text, bytes):
        path.write_bytes(yaml_text)
    else:
        path.write_text(yaml_text, encoding="utf-8", newline="")
    return seeds


YAML_EDGES: list[tuple[str, str | bytes, int, str]] = [
    (
        "int-tag",
        FACT.replace("text: Netflix confirmed season 2.", "text: !!int abc"),
        3,
        "cannot read 'abc' as a whole",
    ),
    ("empty-int", FACT.replace("text: Netflix confirmed season 2.", "text: !!int ''"), 3, "cannot read '' as a whole"),
    ("bool-tag", FACT.replace("status: confirmed", "status: !!bool maybe"), 4, "cannot read 'maybe' as true/false"),
    ("float-tag", FACT.replace("status: confirmed", "status: !!float x"), 4, "cannot read 'x' as a number"),
    ("huge-int", FACT.replace("status: confirmed", "status: " + "9" * 5000), 4, "as a whole number"),
    ("timestamp-tag", FACT.replace("as_of: 2025-01-02", "as_of: !!timestamp soon"), 5, "not a date: 'soon'"),
    ("bad-hour", FACT.replace("as_of: 2025-01-02", "as_of: 2025-01-02 25:00:00"), 5, "not a date"),
    ("datetime", FACT.replace("as_of: 2025-01-02", "as_of: 2025-01-02 10:00:00"), 5, "not datetime"),
    ("python-tag", FACT.replace("status: confirmed", "status: !!python/object:os.system x"), 4, "YAML syntax:"),
    ("map-tag-on-list", FACT.replace("status: confirmed", "status: !!map [a]"), 4, "YAML syntax:"),
    ("unhashable-key", FACT + "? [a, b]\n: c\n", 9, "YAML syntax: found unhashable key"),
    (
        "number-key",
        FACT.replace("    status: confirmed\n", "    status: confirmed\n    42: x\n"),
        5,
        "unknown field 42",
    ),
    (
        "bool-key",
        FACT.replace("    status: confirmed\n", "    status: confirmed\n    yes: x\n"),
        5,
        "unknown field True",
    ),
    ("recursive-list", FACT + "rumors: &r [*r]\n", 9, "each item of 'rumors' must be a mapping, not a list"),
    ("recursive-map", FACT + "show: &s {a: *s}\n", 9, "YAML syntax:"),
    ("two-documents", FACT + "---\nfacts: []\n", 9, "YAML syntax:"),
    ("unclosed-at-end", FACT + "rumors: [a, b", 9, "YAML syntax:"),  # no final line break: still line 9
    ("bom-only", "\ufeff", 1, "empty file"),
    ("bom", "\ufeff" + FACT.replace("status: confirmed", "status: nope"), 4, "unknown status 'nope'"),
    ("crlf", FACT.replace("\n", "\r\n").replace("status: confirmed", "status: nope"), 4, "unknown status 'nope'"),
    ("nul", FACT.replace("status: confirmed", "status: a\x00b"), 4, "unacceptable character #x0000"),
    ("escape", FACT.replace("status: confirmed", "status: \x1b[31m"), 4, "unacceptable character #x001b"),
    ("latin1", FACT.replace("confirmed season", "confirmé season").encode("latin-1"), 3, "not UTF-8: byte 0xe9"),
    ("top-level-text", "just some words\n", 1, "expected a mapping"),
    ("top-level-list-after-comments", "# a comment\n\n- a\n- b\n", 3, "expected a mapping"),
    ("deep-flow", "facts: " + "[" * 2000 + "]" * 2000 + "\n", 1, "nested too deeply"),
    # The line where the nesting goes too deep, whichever parser (libyaml or PyYAML's) refuses it.
    ("deep-block", "facts:\n  " + "- " * 2000 + "x\n", 2, "nested too deeply"),
]


@pytest.mark.parametrize(("text", "line", "phrase"), [c[1:] for c in YAML_EDGES], ids=[c[0] for c in YAML_EDGES])
def test_yaml_edge_case(tmp_path: Path, text: str | bytes, line: int, phrase: str) -> None:
    seeds = seeds_with(tmp_path, text)
    problems = problems_of(seeds)
    for problem in problems:
        assert_well_formed(problem)
    assert any(is_at(p, seeds, "facts.yaml", line) and phrase in p.message for p in problems), "\n".join(
        map(str, problems)
    )


def test_yaml_merge_keys_may_be_overridden(tmp_path: Path) -> None:
    """`<<` merges a mapping in; keys written beside it override it: not duplicates."""
    text = (
        "facts:\n"
        "  - &base\n"
        "    id: first\n"
        "    text: Netflix confirmed season 2.\n"
        "    status: confirmed\n"
        "    as_of: 2025-01-02\n"
        "    cites:\n"
        "      - article: 001_news\n"
        "        passage: Netflix confirmed a second season\n"
        "  - <<: *base\n"
        "    id: second\n"
        "    status: reported\n"
    )
    knowledge = load_knowledge(seeds_with(tmp_path, text))
    assert [(f.id, f.status, f.origin.line) for f in knowledge.facts] == [
        ("first", "confirmed", 2),
        ("second", "reported", 10),
    ]
    # ...but a key written twice is a duplicate, merge or not.
    (tmp_path / "seeds" / "facts.yaml").write_text(text + "    status: denied\n", encoding="utf-8")
    (problem,) = problems_of(tmp_path / "seeds")
    assert problem.origin.line == 13
    assert "duplicate key 'status' (first at line 12)" in problem.message


# --- the thesaurus ---------------------------------------------------------------------------------

THESAURUS_EDGES: list[tuple[str, str, int, str]] = [
    ("not-a-list", "thesaurus: delay\n", 1, "'thesaurus' must be a list of groups of words"),
    ("group-not-a-list", "thesaurus:\n  - delay\n", 2, "each thesaurus group must be a list of at least two"),
    ("group-of-one", "thesaurus:\n  - [delay, postpone]\n  - [release]\n", 3, "at least two words or phrases"),
    ("too-long", "thesaurus:\n  - [delay, one two three four five six]\n", 2, "must be 1 to 5 words"),
    ("not-text", "thesaurus:\n  - [delay, 42]\n", 2, "must be 1 to 5 words: a number"),
    ("punctuation", "thesaurus:\n  - [delay, '?!']\n", 2, "must be 1 to 5 words"),
    ("twice", "thesaurus:\n  - [delay, postpone]\n  -\n    - release\n    - Delay\n", 5, "'delay' is already in"),
]


@pytest.mark.parametrize(
    ("text", "line", "phrase"), [c[1:] for c in THESAURUS_EDGES], ids=[c[0] for c in THESAURUS_EDGES]
)
def test_a_bad_thesaurus_is_reported_where_it_is(tmp_path: Path, text: str, line: int, phrase: str) -> None:
    seeds = seeds_with(tmp_path, FACT)
    (seeds / "thesaurus.yaml").write_text(text, encoding="utf-8")
    problems = problems_of(seeds)
    assert [p for p in problems if is_at(p, seeds, "thesaurus.yaml", line) and phrase in p.message], "\n".join(
        map(str, problems)
    )


def test_the_thesaurus_is_loaded_as_normalized_phrases(tmp_path: Path) -> None:
    seeds = seeds_with(tmp_path, FACT)
    (seeds / "thesaurus.yaml").write_text("thesaurus:\n  - [Delay, 'push  back', Postpone]\n", encoding="utf-8")
    assert load_knowledge(seeds).thesaurus == (("delay", "push back", "postpone"),)


def test_the_bundled_thesaurus_is_valid_and_covers_the_issue_words(bundled: KnowledgeBase) -> None:
    words = {phrase for group in bundled.thesaurus for phrase in group}
    assert {"delay", "postpone", "release", "premiere", "come out", "cast", "actor", "director"} <= words
    assert {"dead", "died", "alive", "survive", "season 2", "s2", "second season", "plot", "story"} <= words
