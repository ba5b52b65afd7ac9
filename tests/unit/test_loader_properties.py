"""Whatever a seeds directory holds, load_knowledge either succeeds or raises SeedsError whose
problems are one `path:line: message` line each, with a line inside the file: never another
exception, never a traceback.

Each test writes its example into a fresh temporary directory (hypothesis and function-scoped
fixtures such as tmp_path do not mix). For a deeper search: AOAD_TUI_FUZZ=20 pytest this file."""

from __future__ import annotations

import gc
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import DATA

from aoad_tui.model.entries import STATUSES
from aoad_tui.model.loader import SECTIONS, SeedsError, load_knowledge

# Kept small so that the suite stays fast; AOAD_TUI_FUZZ=N runs N times as many examples.
SCALE = max(1, int(os.environ.get("AOAD_TUI_FUZZ", "1") or 1))
FAST = settings(max_examples=70 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEWER = settings(max_examples=40 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ARTICLE_ID = "001_news"
ARTICLE = "date 2025-01-02 Netflix confirmed a second season of the zombie drama.\nKim Min-ji stars in it again.\n"
VALID_YAML = (DATA / "minimal_valid" / "seeds.yaml").read_text(encoding="utf-8")
PROBLEM_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<message>\S.*)$")
# What YAML counts as a line break; a problem's line must be one of the file's lines.
LINE_BREAK = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")


def load_files(files: dict[str, str | bytes]) -> None:
    """Write `files` into a fresh seeds directory and load it: success or a well-formed SeedsError."""
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp)
        for name, content in files.items():
            path = seeds / name
            if isinstance(content, str):
                path.write_text(content, encoding="utf-8", newline="")
            else:
                path.write_bytes(content)
        try:
            load_knowledge(seeds)
        except SeedsError as error:
            assert error.problems
            for problem in error.problems:
                check_problem(problem, seeds, files)
        finally:
            assert gc.isenabled()


def check_problem(problem: Any, seeds: Path, files: dict[str, str | bytes]) -> None:
    text = str(problem)
    assert "\n" not in text and "\r" not in text, repr(text)
    assert PROBLEM_LINE.match(text), repr(text)
    path = Path(problem.origin.path)
    if path.resolve() == seeds.resolve():
        return  # about the directory as a whole: line 0
    assert path.resolve().parent == seeds.resolve(), text
    content = files[path.name]
    raw = content if isinstance(content, str) else content.decode("utf-8", errors="replace")
    lines = len(LINE_BREAK.findall(raw)) + (0 if raw.endswith(("\n", "\r", "\x85", "\u2028", "\u2029")) else 1)
    assert 1 <= problem.origin.line <= lines, f"line {problem.origin.line} of {lines}: {text}"


def with_article(**yaml_files: str | bytes) -> dict[str, str | bytes]:
    return {f"{ARTICLE_ID}.txt": ARTICLE, **yaml_files}


# --- arbitrary text and bytes -----------------------------------------------------------------------

# Pieces of YAML, so that random strings often are (almost) YAML and reach the constructors.
YAML_PIECES = [
    "\n", "\n  ", "\n    ", "  ", "- ", ": ", "? ", "#", "'", '"', "[", "]", "{", "}", ",", "&a ", "*a", "<<: ",
    "|\n", ">-\n", "---\n", "...\n", "%YAML 1.1\n", "!!str ", "!!int ", "!!float ", "!!bool ", "!!null ",
    "!!timestamp ", "!!binary ", "!!set ", "!!omap ", "!!pairs ", "!!map ", "!!seq ", "!!python/tuple ", "!x ",
    "~", "null", "yes", "no", "true", "0x", "0o7", "1_000", "1e400", "-.inf", ".nan", "12:30:45", "=",
    "2025-01-02", "2025-02-30", "2025-13-01", "2025-01-02 25:00:00", "2025-01-02T10:00:00+99:00", "1" * 5000,
    "\t", "\x00", "\x07", "\x1b", "\ufeff", "\u2028", "\x85", "é", "𝔘",
    *SECTIONS, "id", "status", "as_of", "cites", "article", "passage", "text", "name", "role", "speaker",
    "about", "history", "claim", "file", "date", "title", "summary", "aliases", "note",
    ARTICLE_ID, "kim-min-ji", "Kim Min-ji", "Netflix confirmed", *STATUSES,
]  # fmt: skip
yamlish = st.lists(st.sampled_from(YAML_PIECES), max_size=40).map("".join)


@FAST
@given(st.text())
def test_any_text_as_yaml(text: str) -> None:
    load_files(with_article(**{"facts.yaml": text}))


@FAST
@given(yamlish)
def test_yaml_like_text_as_yaml(text: str) -> None:
    load_files(with_article(**{"facts.yaml": text}))


@FAST
@given(st.binary())
def test_any_bytes_as_yaml(data: bytes) -> None:
    load_files(with_article(**{"facts.yaml": data}))


@FAST
@given(st.text())
def test_any_text_as_article(text: str) -> None:
    load_files({f"{ARTICLE_ID}.txt": text, "seeds.yaml": VALID_YAML})


@FAST
@given(st.binary())
def test_any_bytes_as_article(data: bytes) -> None:
    load_files({f"{ARTICLE_ID}.txt": data, "seeds.yaml": VALID_YAML})


@FEWER
@given(st.text(), st.text())
def test_any_text_as_article_first_line(first_line: str, rest: str) -> None:
    load_files({f"{ARTICLE_ID}.txt": f"date {first_line}\n{rest}", "seeds.yaml": VALID_YAML})


# --- arbitrary structures under every section ---------------------------------------------------------

FIELD_NAMES = [
    "id", "status", "as_of", "cites", "article", "passage", "text", "topic", "when", "glance", "about", "name",
    "role", "character", "speaker", "outlet", "setting", "claim", "reported_by", "history", "note", "file",
    "title", "summary", "aliases", "date",
]  # fmt: skip
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=30)
    | st.sampled_from([*STATUSES, ARTICLE_ID, "kim-min-ji", "Netflix confirmed", "2025-01-02", ""])
    | st.dates()
    | st.datetimes()
)
keys = st.sampled_from(FIELD_NAMES) | st.text(max_size=10) | st.integers() | st.booleans() | st.none()
structures = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=6),
    max_leaves=25,
)
# Something shaped like an entry: a mapping of (mostly) known fields to anything.
entries = st.dictionaries(st.sampled_from(FIELD_NAMES), structures, max_size=10)


def dump(document: Any) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


@FAST
@given(st.sampled_from(SECTIONS), structures)
def test_any_structure_under_a_section(section: str, value: Any) -> None:
    load_files(with_article(**{"facts.yaml": dump({section: value})}))


@FAST
@given(st.sampled_from(SECTIONS), st.lists(entries, max_size=4))
def test_entry_like_mappings_under_a_section(section: str, items: list[dict[str, Any]]) -> None:
    document: dict[str, Any] = {section: items[0] if section == "show" and items else items}
    load_files(with_article(**{"facts.yaml": dump(document)}))


@FAST
@given(structures)
def test_any_structure_as_a_whole_file(value: Any) -> None:
    load_files(with_article(**{"facts.yaml": dump(value)}))


# --- one field of a valid directory changed to anything -------------------------------------------------

VALID_DOCUMENT = yaml.safe_load(VALID_YAML)


def paths_of(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a parsed document that can be replaced."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths_of(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths_of(child, (*prefix, index))
    return found


VALID_PATHS = paths_of(VALID_DOCUMENT)


def replaced(document: Any, path: tuple[Any, ...], change: Callable[[Any], Any]) -> Any:
    if not path:
        return change(document)
    head, *rest = path
    if isinstance(document, dict):
        return {k: replaced(v, tuple(rest), change) if k == head else v for k, v in document.items()}
    return [replaced(v, tuple(rest), change) if i == head else v for i, v in enumerate(document)]


def test_the_valid_document_loads_when_dumped_again() -> None:
    load_files(with_article(**{"seeds.yaml": dump(VALID_DOCUMENT)}))
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / f"{ARTICLE_ID}.txt").write_text(
            (DATA / "minimal_valid" / f"{ARTICLE_ID}.txt").read_text(encoding="utf-8"), encoding="utf-8"
        )
        (Path(tmp) / "seeds.yaml").write_text(dump(VALID_DOCUMENT), encoding="utf-8")
        knowledge = load_knowledge(Path(tmp))
        assert len(knowledge.entries()) == 5


@FAST
@given(st.sampled_from(VALID_PATHS), structures)
def test_one_value_of_a_valid_document_replaced(path: tuple[Any, ...], value: Any) -> None:
    document = replaced(VALID_DOCUMENT, path, lambda _: value)
    article = (DATA / "minimal_valid" / f"{ARTICLE_ID}.txt").read_text(encoding="utf-8")
    load_files({f"{ARTICLE_ID}.txt": article, "seeds.yaml": dump(document)})


@FEWER
@given(st.sampled_from([p for p in VALID_PATHS if isinstance(p[-1], str)]), keys)
def test_one_key_of_a_valid_document_renamed(path: tuple[Any, ...], new_key: Any) -> None:
    *parent, old_key = path

    def rename(mapping: dict[Any, Any]) -> dict[Any, Any]:
        return {(new_key if k == old_key else k): v for k, v in mapping.items()}

    document = replaced(VALID_DOCUMENT, tuple(parent), rename)
    article = (DATA / "minimal_valid" / f"{ARTICLE_ID}.txt").read_text(encoding="utf-8")
    load_files({f"{ARTICLE_ID}.txt": article, "seeds.yaml": dump(document)})


VALID_LINES = VALID_YAML.splitlines(keepends=True)


@FEWER
@given(st.integers(min_value=0, max_value=len(VALID_LINES)), st.lists(st.sampled_from(YAML_PIECES), max_size=3))
def test_valid_text_with_pieces_inserted(index: int, pieces: list[str]) -> None:
    """Insert YAML fragments at the start of some line of the valid file."""
    text = "".join([*VALID_LINES[:index], *pieces, *VALID_LINES[index:]])
    article = (DATA / "minimal_valid" / f"{ARTICLE_ID}.txt").read_text(encoding="utf-8")
    load_files({f"{ARTICLE_ID}.txt": article, "seeds.yaml": text})
