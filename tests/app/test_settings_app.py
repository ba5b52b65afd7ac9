"""settings.toml under Pilot: its theme, start tab and keys applied, a theme picked in the palette
written back, a bad file said and ignored (never a crash), its problems in one notice and in the
help, and no keymap that takes ctrl+c away."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from support import DATA
from support.helpers import app_with_settings, flat, plain, press, screen_text, settle, write_settings

from aoad_tui.app import AoadApp
from aoad_tui.model.paths import display_path
from aoad_tui.model.settings import MAX_PROBLEMS_SAID, load_settings
from aoad_tui.preferences import read_settings
from aoad_tui.screens.help import help_sections
from aoad_tui.screens.whats_new import WhatsNewScreen

SIZE = (80, 24)
BEFORE = DATA / "news" / "before"
NEXT_DAY = date(2026, 11, 30)


async def test_settings_give_the_theme_the_start_tab_and_the_keys(isolated_dirs: Path) -> None:
    write_settings('theme = "nord"\nstart_tab = "cast"\n\n[keys]\nbookmark = "m"\n"news" = "N"\n')
    app = app_with_settings(BEFORE, isolated_dirs, NEXT_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        assert app.main.active_tab == "cast"
        await press(pilot, "b")
        await settle(pilot)
        assert app.store.bookmarks == []  # b is no longer bookmark
        await press(pilot, "m")
        await settle(pilot)
        assert [b.id for b in app.store.bookmarks] == ["kim-min-ji"]
        await press(pilot, "N")
        await settle(pilot)
        assert isinstance(app.screen, WhatsNewScreen)
        await press(pilot, "escape", "question_mark")
        await settle(pilot)
        assert re.search(r"│\s+m\s+Bookmark \(", screen_text(app)), screen_text(app)


async def test_the_theme_picked_in_the_palette_is_saved_keeping_the_file(isolated_dirs: Path) -> None:
    path = write_settings('# mine\nstart_tab = "rumors"\n\n[keys]\nbookmark = "m"\n')
    app = app_with_settings(BEFORE, isolated_dirs, NEXT_DAY)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "gruvbox"  # what the palette's theme picker sets
        await settle(pilot)
    assert path.read_text() == '# mine\nstart_tab = "rumors"\n\ntheme = "gruvbox"\n[keys]\nbookmark = "m"\n'
    assert load_settings(path).theme == "gruvbox"
    app = app_with_settings(BEFORE, isolated_dirs, NEXT_DAY)
    async with app.run_test(size=SIZE):
        assert app.theme == "gruvbox"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("theme = [\n", "settings.toml:1: not valid TOML"),
        ('theme = "no-such-theme"\n', "settings.toml:1: unknown theme 'no-such-theme'"),
        ('[keys]\nbookmark = "m"\ncopy = "m"\n', "settings.toml:3: copy takes a key that bookmark was given already"),
    ],
)
async def test_a_bad_settings_file_is_said_and_ignored_never_a_crash(isolated_dirs: Path, text: str, said: str) -> None:
    path = write_settings(text)
    app = app_with_settings(BEFORE, isolated_dirs, NEXT_DAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert [problem for problem in app.problems if said in problem], app.problems
        assert "Settings" in screen_text(app)  # said in a notice
        assert app.theme != "no-such-theme"
        app.theme = "nord"
        await settle(pilot)
    assert path.read_text() == text or "TOML" not in said  # a file with a syntax error is never rewritten


@pytest.mark.parametrize("count", [3, 2800])
async def test_settings_problems_are_one_notice_not_a_covered_screen(isolated_dirs: Path, count: int) -> None:
    """Unknown keys (2,800: under the 64 KiB limit): the first problem and where all of them are
    listed, in one notice (a notice each covered the right of the screen; three covered half)."""
    write_settings("".join(f"unknown_key_{n:05d} = 1\n" for n in range(count)))
    app = app_with_settings(BEFORE, isolated_dirs, NEXT_DAY)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        notices = [flat(plain(toast)) for toast in app.screen.query("Toast")]
        assert len(notices) == 1, notices
        assert "unknown_key_00000" in notices[0] and "unknown_key_00001" not in notices[0]
        assert "aoad-tui check" in notices[0] and "and more: ? (help)" in notices[0]
        await press(pilot, "question_mark")  # the help lists every one of them, above the keys
        listed = plain(app.screen.query_one("#help-problems"))
        assert all(f"unknown_key_{n:05d}" in listed for n in range(min(count, MAX_PROBLEMS_SAID)))


@pytest.mark.parametrize(
    "keys",
    [
        '[keys]\nquit = "f20"\n"quit.ctrl" = "f21"\n"quit.interrupt" = "f22"\npalette = "f23"\n',
        '[keys]\nbookmark = "ctrl+c, ctrl+q, ctrl+p, q"\n',
    ],
    ids=["quits-moved-away", "one-binding-takes-them-all"],
)
async def test_no_keymap_takes_away_ctrl_c(isolated_dirs: Path, keys: str) -> None:
    write_settings(keys)
    app = app_with_settings(BEFORE, isolated_dirs, NEXT_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any("always quits" in problem for problem in app.problems), app.problems
        await press(pilot, "ctrl+c")
        await settle(pilot)
        assert not app.is_running


UNKNOWN_NOPE = "unknown binding id 'nope' (the help screen, ?, shows each key's id)"


def test_every_binding_id_in_the_help_can_be_remapped_and_no_other(isolated_dirs: Path) -> None:
    ids = sorted({b.id for _, bindings in help_sections(AoadApp) for b in bindings if getattr(b, "id", None)})
    assert len(ids) > 30 and "bookmarks.undo" in ids and "help.close" in ids  # the widgets' and screens' too
    keys = "".join(
        f'"{binding_id}" = "f{n + 13}"\n' for n, binding_id in enumerate(ids) if binding_id != "quit.interrupt"
    )
    path = write_settings(f'[keys]\n{keys}nope = "x"\n')
    settings = read_settings(path, AoadApp)
    assert settings.problems == (f"{display_path(path)}:{len(ids) + 1}: {UNKNOWN_NOPE}",)
    assert set(settings.keys) == set(ids) - {"quit.interrupt"}
