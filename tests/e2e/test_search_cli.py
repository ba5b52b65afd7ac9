"""The `aoad-tui search` command, run as a subprocess: the same engine as the app (the engine
itself: tests/unit/test_search.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from aoad_tui.model.loader import load_knowledge
from aoad_tui.model.paths import bundled_seeds
from aoad_tui.model.search import SearchIndex, build_index
from aoad_tui.model.vocabulary import TARGETS, tab_of

SCRIPT = Path(sys.executable).parent / "aoad-tui"
ARTICLE = "000_87d513006f32d67f"
SHOW = ("show", "all-of-us-are-dead")


@cache
def index() -> SearchIndex:
    """The index of the bundled seeds, built once (searching never changes it)."""
    return build_index(load_knowledge(bundled_seeds()))


needs_script = pytest.mark.skipif(not SCRIPT.exists(), reason=f"no aoad-tui script next to {sys.executable}")


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, timeout=60, env=env, check=False, encoding="utf-8"
    )


def test_results_do_not_depend_on_the_hash_seed() -> None:
    def run(seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        return cli("search", "zombei", "season", "--json", "--limit", "50", env=env).stdout

    assert run("1") == run("2") == run("12345")


def results_of(stdout: str) -> list[dict[str, object]]:
    """The result rows of `search --json`."""
    return json.loads(stdout)["results"]  # type: ignore[no-any-return]


@pytest.fixture
def tiny_seeds(tmp_path: Path) -> Path:
    """A seeds directory of one article and one person."""
    seeds = tmp_path / "tiny-seeds"
    seeds.mkdir()
    (seeds / "000_harbour.txt").write_text(
        "date 2025-01-01\nThe quick zebra Zorblax met Quentin Marsh at the harbour.\n\n"
        "A second paragraph about harbours and lighthouses.\n",
        encoding="utf-8",
    )
    (seeds / "people.yaml").write_text(
        "people:\n"
        "  - id: quentin-marsh\n"
        "    name: Quentin Marsh\n"
        "    role: Harbour master\n"
        "    status: confirmed\n"
        "    as_of: 2025-01-01\n"
        "    cites:\n"
        "      - article: 000_harbour\n"
        "        passage: met Quentin Marsh at the harbour\n",
        encoding="utf-8",
    )
    return seeds


JSON_KEYS = {"kind", "id", "title", "tab", "score", "snippet", "status", "when"}


@needs_script
def test_cli_json_is_the_results_of_the_same_engine() -> None:
    done = cli("search", "cheong", "san", "--json")
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout)
    assert set(said) == {"query", "answer", "unmatched", "results"}
    assert (said["query"], said["answer"], said["unmatched"]) == ("cheong san", None, [])  # a name is no question
    results = said["results"]
    assert isinstance(results, list) and results
    for item in results:
        assert set(item) - {"role", "speaker", "outlet"} == JSON_KEYS
        assert ("role" in item) == (item["kind"] == "person")
        assert ("speaker" in item) == ("outlet" in item) == (item["kind"] == "quote")
        assert item["kind"] in TARGETS and item["tab"] == tab_of(item["kind"])
        assert all(isinstance(item[key], str) for key in set(item) - {"score"})
        assert isinstance(item["score"], int)
    assert (results[0]["kind"], results[0]["id"], results[0]["tab"]) == ("person", "yoon-chan-young", "cast")
    assert results == [r.as_json() for r in index().search("cheong san", limit=20)]
    assert [item["score"] for item in results] == sorted((item["score"] for item in results), reverse=True)


@needs_script
def test_cli_source_results_are_passages() -> None:
    results = results_of(cli("search", "consoled", "--json").stdout)
    assert results[0]["kind"] == "source"
    assert results[0]["id"] == f"{ARTICLE}#2"
    assert "consoled" in results[0]["snippet"]


@needs_script
def test_cli_prints_a_table_by_default() -> None:
    done = cli("search", "Cheong-san")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "person" in lines[0] and "Yoon Chan-young" in lines[0] and "[confirmed]" in lines[0]
    assert not done.stdout.lstrip().startswith("[{")
    assert "source" in done.stdout


@needs_script
@pytest.mark.parametrize("args", [["xyzzyplugh"], ["xyzzyplugh", "--json"], ["!!!", "--json"]])
def test_cli_exits_1_when_nothing_matches(args: list[str]) -> None:
    done = cli("search", *args)
    assert done.returncode == 1, done.stderr
    if "--json" in args:
        assert results_of(done.stdout) == []
    else:
        assert done.stdout.strip() == ""


@needs_script
@pytest.mark.parametrize("limit", [1, 3])
def test_cli_limit(limit: int) -> None:
    done = cli("search", "season", "--json", "--limit", str(limit))
    assert done.returncode == 0
    results = results_of(done.stdout)
    assert len(results) == limit
    assert results == [r.as_json() for r in index().search("season", limit=limit)]
    table = cli("search", "season", "--limit", str(limit)).stdout
    assert sum(1 for line in table.splitlines() if not line.startswith(" " * 20)) == limit


@needs_script
def test_cli_joins_the_words_of_the_query() -> None:
    results = results_of(cli("search", "All", "Of", "U", "Are", "Dead", "--json").stdout)
    assert (results[0]["kind"], results[0]["id"]) == SHOW


@needs_script
@pytest.mark.parametrize("where", ["after", "before"])
def test_cli_honours_seeds(tiny_seeds: Path, where: str) -> None:
    args = ["search", "harbour", "--json"]
    args = [*args, "--seeds", str(tiny_seeds)] if where == "after" else ["--seeds", str(tiny_seeds), *args]
    done = cli(*args)
    assert done.returncode == 0, done.stderr
    results = results_of(done.stdout)
    assert [(r["kind"], r["id"]) for r in results] == [
        ("person", "quentin-marsh"),
        ("source", "000_harbour#2"),  # "harbours", a form of the word, in a text two-thirds as long
        ("source", "000_harbour#1"),
    ]
    # the bundled seeds are not searched
    nothing = cli("search", "cheong", "san", "--json", "--seeds", str(tiny_seeds))
    assert nothing.returncode == 1
    assert results_of(nothing.stdout) == []


@needs_script
def test_cli_honours_the_seeds_variable(tiny_seeds: Path) -> None:
    env = {**os.environ, "AOAD_TUI_SEEDS": str(tiny_seeds)}
    results = results_of(cli("search", "zorblx", "--json", env=env).stdout)  # a typo of "Zorblax"
    assert [r["id"] for r in results] == ["000_harbour#1"]


@needs_script
def test_cli_reports_bad_seeds(tmp_path: Path) -> None:
    done = cli("search", "anything", "--seeds", str(tmp_path / "missing"))
    assert done.returncode == 2
    assert "not a directory" in done.stderr


@needs_script
def test_cli_answers_a_question_above_the_table() -> None:
    done = cli("search", "when", "does", "s2", "come", "out")
    assert done.returncode == 0, done.stderr
    answer, table = done.stdout.split("\n\n", 1)
    # a release question: the whole timeline, each step with its status and passage, in lines
    # that fit 80 columns (not a terminal) and break between words
    assert all(len(line) <= 80 for line in done.stdout.splitlines())
    said = " ".join(answer.split())
    assert said.startswith(
        "Answer: Season 2: announced · first planned for 2025 · postponed to 2026 · no release date announced"
        " (as of 2025-04-16)"
    )
    assert "postponed to 2026 [confirmed]: “its release was later postponed to 2026.”" in said
    assert "“Regardless, the exact date of season 2 of All Of Us Are Dead has not yet been announced.”" in said
    assert "season-2" not in answer and table.split()[:2] == ["fact", "[confirmed]"]


@needs_script
def test_cli_tables_fit_their_columns_and_hide_scores_unless_asked() -> None:
    lines = cli("search", "roh", "yoon", "seo", "--limit", "6").stdout.splitlines()
    heads = [line for line in lines if not line.startswith(" ")]
    assert len(heads) == 6 and all(len(line) <= 80 for line in lines)
    assert not any(word.isdigit() for line in heads for word in line.split()[:1])  # no score column
    # the titles start in one column, whatever the status word ("[unconfirmed]", none for a passage)
    column = len("person  [unconfirmed] ")
    assert all(line[column - 1] == " " and line[column] != " " for line in heads), heads
    assert any("[unconfirmed]" in line for line in heads) and any("[confirmed] " in line for line in heads)
    scored = cli("search", "roh", "yoon", "seo", "--limit", "2", "--scores").stdout.splitlines()
    assert scored[0].split()[0].isdigit()


@needs_script
def test_bookmarks_json_lists_them_as_json() -> None:
    done = cli("bookmarks", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == json.loads(cli("bookmarks", "export", "--format", "json").stdout)


@needs_script
def test_help_says_the_command_is_optional_and_where_serve_keeps_its_data() -> None:
    usage = cli("--help").stdout
    assert "[COMMAND ...]" in usage and "With no COMMAND, the app starts." in " ".join(usage.split())
    serve = " ".join(cli("serve", "--help").stdout.split())
    assert "a 'serve' folder in $AOAD_TUI_DATA_DIR" in serve
    assert "where bookmarks are kept" not in serve
    assert "(default: 3/4 of the machine)" in serve and "machine) (default" not in serve


@needs_script
def test_cli_json_carries_the_answer_and_the_timeline_label() -> None:
    said = json.loads(cli("search", "why was it delayed", "--json").stdout)
    answer, results = said["answer"], said["results"]
    assert answer["id"] == results[0]["id"] == "postponement-reason"
    assert answer["verdict"] == "reported by Star News, not confirmed as of 2025-04-16"
    assert answer["reported_by"] == "Star News" and answer["as_of"] == "2025-04-16"
    assert "the reason behind the season's postponement" in answer["passage"]
    assert answer["steps"] == []
    planned = json.loads(cli("search", "2025", "--json").stdout)
    assert planned["answer"] is None  # a year is no question
    assert (planned["results"][0]["id"], planned["results"][0]["when"]) == ("season-2-planned-2025", "Initially")
    assert "initially" in planned["results"][0]["title"]


@needs_script
def test_cli_says_what_the_sources_do_not_know() -> None:
    done = cli("search", "who", "plays", "nam-ra", "--json")
    assert done.returncode == 0, done.stderr  # results still show: the cast
    said = json.loads(done.stdout)
    assert said["unmatched"] == ["nam-ra"] and said["answer"] is None
    assert done.stderr.strip() == "aoad-tui: Nothing in the sources about nam-ra."
    table = cli("search", "who", "plays", "nam-ra")
    assert "Nothing in the sources about nam-ra." in table.stderr and "Answer" not in table.stdout
    # every person row says who they are; a quote row who said it, and to whom
    assert all("role" in row for row in said["results"] if row["kind"] == "person")
    quote = json.loads(cli("search", "nothing is confirmed yet", "--json").stdout)["results"][0]
    assert (quote["kind"], quote["speaker"], quote["outlet"]) == ("quote", "Yoon Chan-young", "TV Guide")


@needs_script
def test_cli_finds_nothing_and_says_what_to_try() -> None:
    done = cli("search", "lomonzzq")
    assert done.returncode == 1 and done.stdout == ""
    assert "No matches for “lomonzzq”" in done.stderr and "Did you mean “lomon”?" in done.stderr
