"""End to end: the installed `aoad-tui`, started twice on one data directory with two states of the
same seeds (tests/data/news), shows exactly what is new and changed; `aoad-tui news` prints the same
for scripts; settings stay between starts; `aoad-tui check` checks settings.toml."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from support import DATA
from support.isolation import isolated_env
from support.ptyharness import PtyApp, terminal_env

SCRIPT = Path(sys.executable).parent / "aoad-tui"
BEFORE, AFTER = DATA / "news" / "before", DATA / "news" / "after"
WAIT = 10.0

pytestmark = pytest.mark.skipif(
    not SCRIPT.exists(), reason=f"the aoad-tui console script is not installed next to {sys.executable}"
)


def start(root: Path, seeds: Path) -> PtyApp:
    return PtyApp([str(SCRIPT), "--seeds", str(seeds)], terminal_env(isolated=root), cwd=root)


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = terminal_env(isolated=root)
    return subprocess.run(
        [str(SCRIPT), *args], check=False, capture_output=True, text=True, env=env, cwd=root, timeout=60
    )


def remembered(root: Path) -> int:
    """How many entries seen.json remembers (its second line), 0 while there is none."""
    seen = Path(isolated_env(root)["AOAD_TUI_DATA_DIR"]) / "seen.json"
    lines = seen.read_text().splitlines() if seen.exists() else []
    return len(json.loads(lines[1])) if len(lines) == 2 else 0


def visit(root: Path, seeds: Path) -> PtyApp:
    """Start the app and wait until its first frame is out and the visit is remembered."""
    app = start(root, seeds)
    app.wait_settled("Overview", "Quit", timeout=WAIT)
    for _ in range(100):
        if remembered(root) == (6 if seeds == AFTER else 5):
            break
        app.drain(0.05)
    return app


def test_two_starts_show_exactly_what_changed_between_them(tmp_path: Path) -> None:
    today = date.today().isoformat()
    with visit(tmp_path, BEFORE) as app:
        assert "last visit" not in app.text()
        assert not re.search(r"\b(new|changed)\b", app.text().split("\n", 2)[2].replace("a new student", ""))
        app.quit_cleanly(timeout=WAIT)

    with visit(tmp_path, AFTER) as app:
        screen = app.text()
        assert f"Since your last visit on {today}: 1 new, 1 changed · w shows what" in screen, screen
        app.press("2")
        app.wait_settled("Park Ji-hoon", timeout=WAIT)
        lines = app.lines()
        assert [line.split()[:2] for line in lines if "Park Ji-hoon" in line] == [["new", "Park"]]
        assert [line.split()[:2] for line in lines if "Kim Min-ji" in line] == [["Kim", "Min-ji"]]
        app.press("4")
        app.wait_settled("Filming starts soon.", timeout=WAIT)
        assert [line.split()[:2] for line in app.lines() if "Filming starts soon." in line] == [["changed", "Filming"]]
        app.press("w")
        app.wait_settled("What's new", "Park Ji-hoon", timeout=WAIT)
        screen = " ".join(app.text().split())
        assert "new person Park Ji-hoon [confirmed]" in screen
        assert "changed rumor Filming starts soon. [confirmed]" in screen
        assert "status: speculated → confirmed (Filming begins, Example News," in screen
        app.press("escape")
        app.settle()
        app.quit_cleanly(timeout=WAIT)

    # The next start compares with what the last one showed: nothing is new any more.
    with visit(tmp_path, AFTER) as app:
        assert "last visit" not in app.text()
        app.press("2")
        app.wait_settled("Park Ji-hoon", timeout=WAIT)
        assert [line.split()[:2] for line in app.lines() if "Park Ji-hoon" in line] == [["Park", "Ji-hoon"]]
        app.quit_cleanly(timeout=WAIT)


def test_news_prints_the_same_list_for_scripts(tmp_path: Path) -> None:
    first = run(tmp_path, "news", "--seeds", str(BEFORE), "--mark-seen")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("No earlier visit")
    today = date.today().isoformat()
    result = run(tmp_path, "news", "--seeds", str(AFTER))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Since your last visit on {today}: 1 new, 1 changed",
        "new      person  [confirmed] Park Ji-hoon",
        "changed  rumor   [confirmed] Filming starts soon.",
        "                 status: speculated → confirmed (Filming begins, Example News, 2026-11-20)",
    ]
    as_json = json.loads(run(tmp_path, "news", "--seeds", str(AFTER), "--json").stdout)
    assert (as_json["since"], as_json["new"], as_json["changed"]) == (today, 1, 1)
    assert [(c["what"], c["id"]) for c in as_json["changes"]] == [("new", "park-ji-hoon"), ("changed", "filming-soon")]
    # Without --mark-seen nothing is remembered: the app still has the news to show.
    assert run(tmp_path, "news", "--seeds", str(AFTER)).stdout == result.stdout


def test_the_theme_picked_stays_and_check_checks_the_settings(tmp_path: Path) -> None:
    config = Path(isolated_env(tmp_path)["XDG_CONFIG_HOME"]) / "aoad-tui" / "settings.toml"
    config.parent.mkdir(parents=True)
    config.write_text('start_tab = "rumors"\n\n[keys]\nnews = "N"\n')
    check = run(tmp_path, "check", str(BEFORE))
    assert check.returncode == 0, check.stderr
    assert check.stdout.splitlines()[-1].endswith("settings.toml: OK")

    with visit(tmp_path, BEFORE) as app:
        assert "Filming starts soon." in app.text()  # the Rumors tab first
        app.press("ctrl+p")
        app.wait_settled("Search for commands", timeout=WAIT)
        app.send(b"theme")
        app.settle()
        app.press("enter")
        app.wait_settled("nord", timeout=WAIT)
        app.send(b"nord")
        app.settle()
        app.press("enter")
        app.settle(quiet=0.5)
        app.quit_cleanly(timeout=WAIT)
    assert config.read_text() == 'start_tab = "rumors"\n\ntheme = "nord"\n[keys]\nnews = "N"\n'

    config.write_text(config.read_text() + 'bookmark = "N"\nnope = "x"\n')
    check = run(tmp_path, "check", str(BEFORE))
    assert check.returncode == 1
    lines = check.stderr.splitlines()
    assert re.search(r"settings\.toml:6: bookmark takes a key that news was given already$", lines[0]), lines
    assert re.search(r"settings\.toml:7: unknown binding id 'nope'", lines[1]), lines
