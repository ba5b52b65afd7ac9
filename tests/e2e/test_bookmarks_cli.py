"""The bookmarks on the command line: `aoad-tui bookmarks` and its exports, run as a subprocess
(the bookmarks in the app: tests/app/test_bookmarks_app.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import DATA

from aoad_tui.model.bookmarks import FILE_NAME, Bookmark, BookmarkStore

CORRUPT_DIR = DATA / "bookmarks"
ARTICLE = "000_87d513006f32d67f"
SCRIPT = Path(sys.executable).parent / "aoad-tui"
MISSING = "missing from the current sources"


def seed(directory: Path, *bookmarks: Bookmark) -> None:
    """Write bookmarks the way an earlier session would have."""
    store = BookmarkStore(directory)
    store.load()
    for bookmark in bookmarks:
        store.add(bookmark)


cli = pytest.mark.skipif(not SCRIPT.exists(), reason=f"the aoad-tui console script is not next to {sys.executable}")


def run_cli(*args: str, env: dict[str, str | None]) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in env}
    environment.update({k: v for k, v in env.items() if v is not None})
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, env=environment, timeout=60, check=False
    )


def cli_bookmarks(directory: Path) -> None:
    seed(
        directory,
        Bookmark("person", "yoon-chan-young", "2026-11-20T10:00:00Z", "Cheong-san lives? \x1b[31mred\x1b[0m"),
        Bookmark("quote", "yoon-chan-young-hopes-alive", "2026-11-21T11:30:00Z"),
        Bookmark("source", f"{ARTICLE}#1", "2026-11-22T12:00:00Z", "the opening"),
        Bookmark("person", "kim-nobody", "2026-11-23T13:00:00Z"),
    )


@cli
def test_cli_lists_bookmarks(isolated_dirs: Path) -> None:
    cli_bookmarks(isolated_dirs)
    run = run_cli("bookmarks", env={"AOAD_TUI_DATA_DIR": str(isolated_dirs)})
    assert run.returncode == 0 and run.stderr == "", run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 4
    assert re.match(r"2026-11-20T10:00:00Z +person +\[confirmed\] +Yoon Chan-young +note: Cheong-san lives\?", lines[0])
    assert "quote" in lines[1] and "Nothing is confirmed yet" in lines[1]
    assert "source" in lines[2] and "paragraph 1" in lines[2] and "note: the opening" in lines[2]
    assert "person" in lines[3] and f"[{MISSING}]" in lines[3] and "kim-nobody" in lines[3]
    assert "\x1b" not in run.stdout and "␛[31mred" in run.stdout  # escapes shown as the app shows them, never sent


@cli
def test_cli_export_markdown(isolated_dirs: Path) -> None:
    cli_bookmarks(isolated_dirs)
    run = run_cli("bookmarks", "export", "--format", "md", env={"AOAD_TUI_DATA_DIR": str(isolated_dirs)})
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert out.startswith("# aoad-tui bookmarks")
    sections = {part.split("\n", 1)[0]: part for part in out.split("\n## ")[1:]}
    person = sections["Yoon Chan-young"]
    assert "- person, **confirmed**; bookmarked 2026-11-20T10:00:00Z" in person
    assert "- Cast of the 2022 series, as Cheong-san" in person  # its text
    assert "> “The cast of All Of Us Are Dead includes Park Ji-hu, Yoon Chan-young" in person  # its citation
    assert "— All we know so far about All Of Us Are Dead's upcoming season" in person
    assert "- Note: Cheong-san lives?" in person
    quote = next(part for title, part in sections.items() if title.startswith("Nothing is confirmed yet"))
    assert "- Said by Yoon Chan-young, to TV Guide" in quote
    source = next(part for title, part in sections.items() if title.endswith("paragraph 1"))
    assert "- Note: the opening" in source and "> “" in source
    assert f"**{MISSING}**" in sections["kim-nobody"]
    assert "\x1b" not in out


@cli
def test_cli_export_json(isolated_dirs: Path) -> None:
    cli_bookmarks(isolated_dirs)
    run = run_cli("bookmarks", "export", "--format", "json", env={"AOAD_TUI_DATA_DIR": str(isolated_dirs)})
    assert run.returncode == 0, run.stderr
    items = json.loads(run.stdout)
    assert [(i["kind"], i["id"]) for i in items] == [
        ("person", "yoon-chan-young"),
        ("quote", "yoon-chan-young-hopes-alive"),
        ("source", f"{ARTICLE}#1"),
        ("person", "kim-nobody"),
    ]
    person = items[0]
    assert person["note"] == "Cheong-san lives? \x1b[31mred\x1b[0m"  # JSON escapes it: data kept exactly
    assert person["added"] == "2026-11-20T10:00:00Z" and person["status"] == "confirmed"
    assert person["title"] == "Yoon Chan-young" and person["text"] == "Cast of the 2022 series, as Cheong-san"
    assert person["cites"] and person["cites"][0]["article"] == ARTICLE
    assert items[3]["status"] == MISSING and items[3]["cites"] == []


@cli
@pytest.mark.parametrize(
    "where",
    ["before-command", "after-command", "after-action"],
)
def test_cli_data_dir_option_wins(tmp_path: Path, where: str) -> None:
    chosen = tmp_path / "chosen"
    cli_bookmarks(chosen)
    empty = tmp_path / "env-empty"
    option = ["--data-dir", str(chosen)]
    args = {
        "before-command": [*option, "bookmarks", "export", "--format", "json"],
        "after-command": ["bookmarks", *option, "export", "--format", "json"],
        "after-action": ["bookmarks", "export", *option, "--format", "json"],
    }[where]
    run = run_cli(*args, env={"AOAD_TUI_DATA_DIR": str(empty)})
    assert run.returncode == 0, run.stderr
    assert len(json.loads(run.stdout)) == 4
    listing = run_cli("bookmarks", *option, env={"AOAD_TUI_DATA_DIR": str(empty)})
    assert "Yoon Chan-young" in listing.stdout
    assert not empty.exists()


@cli
def test_cli_xdg_data_home(tmp_path: Path) -> None:
    xdg = tmp_path / "xdg-home"
    cli_bookmarks(xdg / "aoad-tui")
    run = run_cli("bookmarks", env={"AOAD_TUI_DATA_DIR": None, "XDG_DATA_HOME": str(xdg)})
    assert run.returncode == 0, run.stderr
    assert "Yoon Chan-young" in run.stdout and len(run.stdout.splitlines()) == 4


@cli
def test_cli_without_bookmarks(isolated_dirs: Path) -> None:
    run = run_cli("bookmarks", env={"AOAD_TUI_DATA_DIR": str(isolated_dirs)})
    assert (run.returncode, run.stdout.strip()) == (0, "No bookmarks yet.")
    run = run_cli("bookmarks", "export", "--format", "json", env={"AOAD_TUI_DATA_DIR": str(isolated_dirs)})
    assert json.loads(run.stdout) == []


@cli
@pytest.mark.parametrize(
    "name",
    [
        "truncated.json",
        "version_99.json",
        "unhashable_kind.json",
    ],
)
def test_cli_reports_a_bad_file_on_stderr(isolated_dirs: Path, name: str) -> None:
    isolated_dirs.mkdir(parents=True)
    original = (CORRUPT_DIR / name).read_bytes()
    (isolated_dirs / FILE_NAME).write_bytes(original)
    run = run_cli("bookmarks", "export", "--format", "json", env={"AOAD_TUI_DATA_DIR": str(isolated_dirs)})
    assert run.returncode == 0 and "Traceback" not in run.stderr
    exported = json.loads(run.stdout)
    if name == "version_99.json":
        assert [(b["kind"], b["id"]) for b in exported] == [("person", "yoon-chan-young")]
    else:
        assert exported == []
    if name == "version_99.json":
        assert "read-only" in run.stderr
        assert (isolated_dirs / FILE_NAME).read_bytes() == original
    else:
        assert "moved aside" in run.stderr
        assert [p.read_bytes() for p in isolated_dirs.glob(f"{FILE_NAME}.corrupt-*")] == [original]
