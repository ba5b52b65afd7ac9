"""`aoad-tui check` and the other answers the command line gives without starting the app, run
through the installed console script as a user would."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import DATA, REPO

from aoad_tui import __version__
from aoad_tui.model.paths import bundled_seeds

# Subprocesses start here: `python -c` imports from its working directory, and this one holds
# no aoad_tui, so they import the installed package, as the tests do.
HERE = Path(__file__).resolve().parent

SCRIPT = Path(sys.executable).parent / "aoad-tui"
PROBLEM_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<message>\S.*)$")
SUMMARY = re.compile(r"^(?P<path>.+): OK, (?P<articles>\d+) articles?; (?P<rest>.+)$")
# A line of `python -X importtime` output for textual or one of its submodules.
TEXTUAL_IMPORT = re.compile(r"^import time:.*\|\s+textual(\.\S+)?\s*$", re.MULTILINE)

BAD = ["broken_yaml", "unknown_speaker", "not_utf8", "bad_date", "control_character", "many_problems"]


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    assert SCRIPT.exists(), f"the console script is not installed at {SCRIPT}"
    return subprocess.run(
        [str(SCRIPT), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env=env if env is not None else os.environ.copy(),
        cwd=cwd,
        check=False,
    )


def python(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, encoding="utf-8", timeout=60, check=False, cwd=HERE
    )


def assert_problem_report(result: subprocess.CompletedProcess[str], seeds: Path) -> list[str]:
    """stderr: one `path:line: message` line per problem, then `DIR: N problem(s)`; no traceback."""
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) >= 2, result.stderr
    *problems, last = lines
    assert re.fullmatch(rf".+: {len(problems)} problems?", last), last
    assert Path(last.rsplit(": ", 1)[0]).resolve() == seeds.resolve()
    for line in problems:
        match = PROBLEM_LINE.match(line)
        assert match, line
        assert Path(match["path"]).resolve().is_relative_to(seeds.resolve()), line
    return problems


def test_check_bundled_seeds() -> None:
    result = run("check")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    match = SUMMARY.match(lines[0])
    assert match, lines[0]
    assert Path(match["path"]).resolve() == bundled_seeds().resolve()
    assert int(match["articles"]) >= 1
    assert re.search(r"\b1 show\b", match["rest"])
    people = re.search(r"\b(\d+) people\b", match["rest"])
    assert people and int(people[1]) >= 4


def test_check_minimal_valid_dir(tmp_path: Path) -> None:
    seeds = (DATA / "minimal_valid").resolve()
    result = run("check", str(seeds), cwd=tmp_path)  # outside the working directory: shown as given
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{seeds}: OK, 1 article; 1 show, 1 fact, 1 person, 1 quote, 1 rumor\n"


@pytest.mark.parametrize("name", BAD)
def test_check_bad_dir_exits_1_with_problem_lines(name: str) -> None:
    seeds = DATA / name
    result = run("check", str(seeds))
    assert result.returncode == 1
    assert result.stdout == ""
    assert_problem_report(result, seeds)


def test_check_paths_are_relative_to_the_working_directory() -> None:
    result = run("check", "tests/data/unknown_speaker", cwd=REPO)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "tests/data/unknown_speaker/quotes.yaml:12: unknown person 'park-ji-hu'"


def test_check_reports_every_problem_of_many() -> None:
    seeds = DATA / "many_problems"
    problems = assert_problem_report(run("check", str(seeds)), seeds)
    assert len(problems) == 12
    files = {Path(match["path"]).name for match in map(PROBLEM_LINE.match, problems) if match}
    assert files == {"002_latin1.txt", "facts.yaml", "people.yaml", "quotes.yaml", "rumors.yaml"}


def test_check_missing_dir(tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "not a directory of seeds" in result.stderr
    assert "Traceback" not in result.stderr


def test_seeds_option_before_check() -> None:
    result = run("--seeds", str(DATA / "unknown_status"), "check")
    assert result.returncode == 1
    assert "unknown status 'rumoured'" in result.stderr
    result = run("--seeds", str(DATA / "minimal_valid"), "check")
    assert result.returncode == 0
    assert ": OK, 1 article;" in result.stdout


def test_seeds_option_after_check() -> None:
    result = run("check", "--seeds", str(DATA / "unknown_status"))
    assert result.returncode == 1
    assert "unknown status 'rumoured'" in result.stderr


def test_seeds_environment_variable() -> None:
    env = {**os.environ, "AOAD_TUI_SEEDS": str(DATA / "duplicate_id")}
    result = run("check", env=env)
    assert result.returncode == 1
    assert "duplicate id 'second-season'" in result.stderr
    # --seeds wins over the variable, and an explicit DIR over both.
    assert run("--seeds", str(DATA / "minimal_valid"), "check", env=env).returncode == 0
    assert run("check", str(DATA / "minimal_valid"), env=env).returncode == 0


def test_app_with_bad_seeds_exits_2_before_any_ui() -> None:
    seeds = DATA / "many_problems"
    result = run("--seeds", str(seeds))
    assert result.returncode == 2
    assert result.stdout == ""  # nothing drawn: no escape sequences, no alternate screen
    assert len(assert_problem_report(result, seeds)) == 12


def test_app_with_bad_seeds_from_environment_exits_2() -> None:
    env = {**os.environ, "AOAD_TUI_SEEDS": str(DATA / "bad_date")}
    result = run(env=env)
    assert result.returncode == 2
    assert "not a date: '2025-02-30'" in result.stderr


def test_version_and_help_answer_quickly() -> None:
    for args, expected in ((["--version"], f"aoad-tui {__version__}"), (["--help"], "usage: aoad-tui")):
        start = time.monotonic()
        result = run(*args)
        elapsed = time.monotonic() - start
        assert result.returncode == 0, result.stderr
        assert expected in result.stdout
        assert elapsed < 5, f"{args} took {elapsed:.1f}s"
    help_text = run("--help").stdout
    for word in ("check", "search", "--seeds", "--tab"):
        assert word in help_text


def test_version_names_what_a_bug_report_needs() -> None:
    # --version alone imports Textual: it says whether the wire can work with the installed one.
    lines = run("--version").stdout.splitlines()
    names = [line.split()[0] for line in lines]
    assert names == ["aoad-tui", "Python", "textual", "rich", "PyYAML", "platformdirs"], lines
    assert re.search(r"^textual \S+ \(wire: (changes-only|off \(.+\))\)$", lines[2]), lines[2]
    assert re.search(r"^PyYAML \S+ \(C loader: (yes|no)\)$", lines[4]), lines[4]


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["check"],
        ["check", "--help"],
        ["check", str(DATA / "many_problems")],
        ["--seeds", str(DATA / "many_problems")],  # the app, refusing bad seeds
    ],
    ids=["help", "check", "check-help", "check-bad", "app-bad-seeds"],
)
def test_textual_is_never_imported(args: list[str]) -> None:
    result = python("-X", "importtime", "-m", "aoad_tui", *args)
    assert result.returncode in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr
    assert "import time:" in result.stderr  # the import log is there...
    assert not TEXTUAL_IMPORT.search(result.stderr)  # ...and textual is not in it


def test_main_check_in_process_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        "from aoad_tui.__main__ import main\n"
        "assert main(['check']) == 0\n"
        f"assert main(['check', {str(DATA / 'many_problems')!r}]) == 1\n"
        "assert 'textual' not in sys.modules, sorted(m for m in sys.modules if m.startswith('textual'))\n"
        "print('ok')\n"
    )
    result = python("-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "ok"


@pytest.mark.parametrize(
    "text",
    ["facts: " + "[" * 100_000 + "]" * 100_000 + "\n", "facts:\n  " + "- " * 100_000 + "x\n", "a: " + "{a: " * 50_000],
    ids=["flow", "block", "flow-mappings"],
)
def test_check_survives_absurdly_deep_nesting(tmp_path: Path, text: str) -> None:
    """PyYAML's C parser builds nodes recursively in C and crashes (SIGSEGV) on some 20,000 levels:
    such text must be refused with a problem line, not kill the process."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "001_news.txt").write_text("date 2025-01-02 Some text.\n", encoding="utf-8")
    (seeds / "facts.yaml").write_text(text, encoding="utf-8")
    result = run("check", str(seeds))
    assert result.returncode == 1, (result.returncode, result.stderr[-500:])
    problems = assert_problem_report(result, seeds)
    deep_line = 2 if text.startswith("facts:\n") else 1  # where the nesting goes too deep
    assert any(f"facts.yaml:{deep_line}: YAML nested too deeply" in line for line in problems), problems


@pytest.mark.parametrize("odd", ["directory", "fifo", "symlink-loop", "dangling-symlink"])
def test_a_seeds_file_that_is_not_a_file_is_a_problem_not_skipped(tmp_path: Path, odd: str) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(DATA / "minimal_valid", seeds)
    path = seeds / "extra.yaml"
    if odd == "directory":
        path.mkdir()
    elif odd == "fifo":
        os.mkfifo(path)
    elif odd == "symlink-loop":
        path.symlink_to(path)
    else:
        path.symlink_to(tmp_path / "nowhere.yaml")
    result = run("check", str(seeds))  # a FIFO must not block it
    assert result.returncode == 1, result.stdout
    assert any(
        line.endswith(("not a file", "symbolic links", "No such file or directory")) and "extra.yaml:0:" in line
        for line in result.stderr.splitlines()
    ), result.stderr


def test_check_reads_the_thesaurus(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(DATA / "minimal_valid", seeds)
    (seeds / "thesaurus.yaml").write_text("thesaurus:\n  - [delay, postpone]\n  - [release, come out]\n")
    result = run("check", str(seeds))
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("1 rumor; a thesaurus of 2 groups")
    (seeds / "thesaurus.yaml").write_text("thesaurus:\n  - [delay, postpone]\n  - [release, Delay]\n")
    result = run("check", str(seeds))
    assert result.returncode == 1
    where = f"{seeds}/thesaurus.yaml"
    assert result.stderr.splitlines()[0] == f"{where}:3: 'delay' is already in the thesaurus (at {where}:2)"
