"""No byte of data reaches the terminal as a command, on every path out of the installed command:
`check` (and its problems, naming hostile file names), `search` (table and JSON), `bookmarks`,
both exports, argparse's own errors, the app refusing invalid seeds; under any locale.

The data is the project's hostile seeds (tests/data/hostile_seeds) and a hostile bookmarks file
(tests/data/bookmarks/hostile.json: escapes in a date and a note, a bidi override, a lone surrogate).
Any text through inert, JSON and the exports, in process: tests/unit/test_inert.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import DATA
from support.helpers import HOSTILE_SEEDS

from aoad_tui.model.inert import UNSAFE

SCRIPT = Path(sys.executable).parent / "aoad-tui"
ESCAPING_NAME = "\x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x07\x1b[2J\u202eevil.yaml"


def raw_controls(data: bytes, encoding: str = "utf-8") -> list[str]:
    """What a terminal would take as a command (or that reorders text) in output of `encoding`:
    C0 controls but line feed and tab, DEL, C1 controls, bidi controls; a byte that is not valid
    in the encoding (a raw 8-bit C1 byte in UTF-8 output) is one too."""
    text = data.decode(encoding, errors="surrogateescape")
    return [character for character in text if UNSAFE.match(character)]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, timeout=60, check=False, env={**os.environ, **(env or {})}
    )


@pytest.fixture
def hostile_data(isolated_dirs: Path) -> Path:
    isolated_dirs.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "bookmarks" / "hostile.json", isolated_dirs / "bookmarks.json")
    return isolated_dirs


@pytest.fixture
def invalid_seeds(tmp_path: Path) -> Path:
    """A seeds directory whose one YAML file, named with escapes, is invalid."""
    seeds = tmp_path / "seeds"
    shutil.copytree(DATA / "minimal_valid", seeds)
    (seeds / ESCAPING_NAME).write_text("facts: [\x1b]0;in the text\x07\n", encoding="utf-8")
    return seeds


def output_paths(invalid_seeds: Path) -> dict[str, list[str]]:
    hostile = ["--seeds", str(HOSTILE_SEEDS)]
    return {
        "check": ["check", str(HOSTILE_SEEDS)],
        "check-invalid": ["check", str(invalid_seeds)],
        "app-invalid": ["--seeds", str(invalid_seeds)],
        "search": [*hostile, "search", "evil"],
        "search-json": [*hostile, "search", "evil", "--json"],
        "search-none": [*hostile, "search", "\x1b]0;nothing\x07"],
        "bookmarks": ["bookmarks"],
        "export-md": ["bookmarks", "export", "--format", "md"],
        "export-json": ["bookmarks", "export", "--format", "json"],
        "bad-tab": ["--tab", "\x1b]0;pwned\x07"],
        "bad-limit": ["search", "x", "--limit", "\x1b[2J"],
    }


PATHS = ["check", "check-invalid", "app-invalid", "search", "search-json", "search-none", "bookmarks"]
PATHS += ["export-md", "export-json", "bad-tab", "bad-limit"]
# Each locale, and the encoding its output is read in.
LOCALES: dict[str, tuple[dict[str, str], str]] = {
    "utf-8": ({}, "utf-8"),
    "ascii": ({"PYTHONIOENCODING": "ascii"}, "ascii"),
    "latin-1": ({"LC_ALL": "en_US.ISO-8859-1", "PYTHONIOENCODING": "latin-1"}, "latin-1"),
    "c": ({"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}, "ascii"),
}


@pytest.mark.parametrize("locale", list(LOCALES))
@pytest.mark.parametrize("path", PATHS)
def test_no_raw_control_leaves_the_command_line(
    path: str, locale: str, hostile_data: Path, invalid_seeds: Path
) -> None:
    env, encoding = LOCALES[locale]
    result = run(*output_paths(invalid_seeds)[path], env=env)
    for name, stream in (("stdout", result.stdout), ("stderr", result.stderr)):
        assert b"Traceback" not in stream, stream.decode(errors="replace")[-2000:]
        found = raw_controls(stream, encoding)
        assert found == [], f"{name} of {path}: {found[:5]}"
    assert result.stdout or result.stderr, "the path printed nothing: the test would prove nothing"
    assert result.returncode in (0, 1, 2), result.stderr[-500:]


def test_what_the_hostile_paths_print_is_there_and_visible(hostile_data: Path, invalid_seeds: Path) -> None:
    paths = output_paths(invalid_seeds)
    check = run(*paths["check-invalid"])
    assert check.returncode == 1 and "␛]0;pwned␇".encode() in check.stderr  # the file is named, inert
    search = run(*paths["search-json"])
    assert search.returncode == 0 and json.loads(search.stdout)  # valid JSON, its escapes JSON's own
    assert b"\\u001b" in search.stdout or b"\\u009b" in search.stdout or b"\\u202e" in search.stdout
    exported = json.loads(run(*paths["export-json"]).stdout)
    person = next(item for item in exported if item["id"] == "yoon-chan-young")
    assert "\x1b]0;title\x07" in person["note"]  # the note's data is kept exactly, and escaped
    assert person["added"] == ""  # the escapes in its date were not a date
    listed = run(*paths["bookmarks"])
    assert "␛]0;title␇".encode() in listed.stdout and b"<U+202E>" in listed.stdout
    moved = list(hostile_data.glob("bookmarks.json.corrupt-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == (DATA / "bookmarks" / "hostile.json").read_bytes()


@pytest.mark.parametrize("locale", ["ascii", "latin-1"])
def test_a_narrow_locale_gets_question_marks_not_a_crash(locale: str, hostile_data: Path) -> None:
    env, _ = LOCALES[locale]
    result = run("search", "yoon", env=env)
    assert result.returncode == 0 and b"Yoon Chan-young" in result.stdout, result.stderr
    as_json = run("bookmarks", "export", "--format", "json", env=env)
    assert as_json.returncode == 0 and as_json.stdout.isascii()
    assert json.loads(as_json.stdout)  # JSON stays JSON: \u escapes, not question marks
