"""Unit tests of settings.toml (aoad_tui/model/settings.py): what a user's file asks for, each
problem reported as path:line with the rest still read, and the theme written back without
touching the user's other lines."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from aoad_tui.model.paths import display_path
from aoad_tui.model.settings import CONFIG_DIR_ENV, MAX_FILE_BYTES, Settings, load_settings, save_theme, settings_path

TAB_CHOICES = "overview, cast, quotes, rumors, bookmarks, source"
# The binding ids these files name (the app's come from its BINDINGS: tests/app/test_settings_app.py).
IDS = frozenset({"tab.cast", "quit", "quit.ctrl", "quit.interrupt", "palette", "help", "search", "bookmark"})


def binding_ids() -> frozenset[str]:
    return IDS


def written(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "settings.toml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_a_missing_file_is_no_settings(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "settings.toml", themes=["nord"]) == Settings("", "", {}, ())


def test_a_full_valid_file_is_read(tmp_path: Path) -> None:
    path = written(
        tmp_path,
        '# mine\ntheme = "nord"\nstart_tab = "Cast"\n\n[keys]\n"tab.cast" = "c"\nsearch = "ctrl+f, /"\n'
        "'list.down' = \"j\"\n",
    )
    assert load_settings(path, themes=["nord", "dracula"]) == Settings(
        "nord", "cast", {"tab.cast": "c", "search": "ctrl+f,/", "list.down": "j"}, ()
    )


PROBLEMS = """\
# settings with problems
colour = "red"
theme = 5
start_tab = "nowhere"

[keys]
"tab.cast" = "c"
nope = "x"
help = "bad key"
search = "c"
quit = "q"
"""
TOP_LEVEL = 'start_tab = "rumors"\ntheme = "gruvbox"\nkeys = "x"\n'
KEYS_NOT_A_TABLE = (3, 'keys must be a table: [keys], then a line `binding_id = "key"` for each')


@pytest.mark.parametrize(
    ("text", "themes", "expected", "problems"),
    [
        pytest.param(
            PROBLEMS,
            ["nord"],
            Settings("", "", {"tab.cast": "c", "quit": "q"}),
            [
                (2, "unknown setting 'colour' (settings are theme, start_tab and [keys])"),
                (3, 'theme must be a theme\'s name in quotes, such as "nord"'),
                (4, f"start_tab must be one of {TAB_CHOICES}"),
                (8, "unknown binding id 'nope' (the help screen, ?, shows each key's id)"),
                (9, 'help must be a key in quotes, such as "m", "ctrl+b" or "f5,m"'),
                (10, "search takes a key that tab.cast was given already"),
            ],
            id="each-problem-in-keys-and-top-level",
        ),
        pytest.param(
            TOP_LEVEL,
            ["nord"],
            Settings("", "rumors"),
            [(2, "unknown theme 'gruvbox' (ctrl+p, then \"theme\", lists them)"), KEYS_NOT_A_TABLE],
            id="unknown-theme-and-keys-not-a-table",
        ),
        pytest.param(TOP_LEVEL, None, Settings("gruvbox", "rumors"), [KEYS_NOT_A_TABLE], id="any-theme-without-list"),
        pytest.param(
            '[keys]\nquit = "f20"\n"quit.ctrl" = "f21"\n"quit.interrupt" = "f22"\npalette = "f23"\n'
            'bookmark = "b, ctrl+c"\n',
            None,
            Settings(keys={"quit": "f20", "quit.ctrl": "f21", "palette": "f23"}),
            [
                (4, "quit.interrupt stays ctrl+c: it always quits, whatever the keymap"),
                (6, "bookmark cannot take ctrl+c: it always quits, whatever the keymap"),
            ],
            id="ctrl-c-always-quits",
        ),
        pytest.param(
            'start_tab = "cast"\n\nkeys = { nope = "x" }\n',
            None,
            Settings("", "cast"),
            [(3, "unknown binding id 'nope' (the help screen, ?, shows each key's id)")],
            id="inline-keys-table",
        ),
    ],
)
def test_each_problem_names_its_line_and_the_rest_is_read(
    tmp_path: Path, text: str, themes: list[str] | None, expected: Settings, problems: list[tuple[int, str]]
) -> None:
    path = written(tmp_path, text)
    where = display_path(path)
    assert load_settings(path, themes, binding_ids) == Settings(
        expected.theme, expected.start_tab, expected.keys, tuple(f"{where}:{line}: {text}" for line, text in problems)
    )


def test_binding_ids_are_asked_only_for_a_keys_table_and_without_them_any_id_is_read(tmp_path: Path) -> None:
    asked: list[str] = []

    def ids() -> frozenset[str]:
        asked.append("ids")
        return IDS

    assert load_settings(written(tmp_path, 'theme = "nord"\n'), binding_ids=ids) == Settings("nord")
    assert asked == []  # (the app's ids import every screen: not at a start without a keymap)
    path = written(tmp_path, '[keys]\nnope = "x"\n')
    assert load_settings(path).keys == {"nope": "x"}
    assert load_settings(path, binding_ids=ids).keys == {} and asked == ["ids"]


def test_invalid_toml_names_the_line_of_the_error(tmp_path: Path) -> None:
    path = written(tmp_path, 'start_tab = "cast"\n\ntheme = \n')
    settings = load_settings(path)
    assert (settings.theme, settings.start_tab, settings.keys, len(settings.problems)) == ("", "", {}, 1)
    assert settings.problems[0].startswith(f"{display_path(path)}:3: not valid TOML (")
    assert settings.problems[0].endswith("): settings ignored")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'theme = "\xffnord"\n', "not UTF-8 text: settings ignored"),
        (b"#" * (MAX_FILE_BYTES + 1), "larger than 64 KiB: settings ignored"),
        (None, "cannot be read (a directory, not a regular file): settings ignored"),
    ],
    ids=["not-utf8", "too-large", "a-directory"],
)
def test_an_unusable_file_is_one_problem(tmp_path: Path, content: bytes | None, problem: str) -> None:
    path = tmp_path / "settings.toml"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    assert load_settings(path) == Settings(problems=(f"{display_path(path)}: {problem}",))


def test_a_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    path = written(tmp_path, 'theme = "nord"\n' + "#" * (MAX_FILE_BYTES - 16) + "\n")
    assert path.stat().st_size == MAX_FILE_BYTES
    assert load_settings(path) == Settings("nord")


COMMENTED = (
    "# aoad-tui settings\n"
    'start_tab = "cast"  # where I start\n'
    "\n"
    "# my keys\n"
    "[keys]\n"
    '"tab.cast" = "c"\n'
    "\n"
    "[elsewhere]\n"
    'theme = "not this one"\n'
)


def test_saving_a_theme_inserts_one_line_above_the_first_table(tmp_path: Path) -> None:
    path = written(tmp_path, COMMENTED)
    assert save_theme(path, "nord") == ""
    lines = COMMENTED.splitlines(keepends=True)
    assert path.read_text() == "".join([*lines[:4], 'theme = "nord"\n', *lines[4:]])
    settings = load_settings(path)
    assert (settings.theme, settings.start_tab, settings.keys) == ("nord", "cast", {"tab.cast": "c"})


def test_saving_a_theme_replaces_the_top_level_theme_only(tmp_path: Path) -> None:
    path = written(tmp_path, '# hi\ntheme = "dracula"\nstart_tab = "cast"\n[keys]\ntheme = "x"\n')
    assert save_theme(path, "nord") == ""
    assert path.read_text() == '# hi\ntheme = "nord"\nstart_tab = "cast"\n[keys]\ntheme = "x"\n'


def test_saving_a_theme_creates_the_file_and_its_directory(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config" / "settings.toml"
    assert save_theme(path, "nord") == ""
    assert path.read_bytes() == b'theme = "nord"\n'


def test_saving_a_theme_leaves_an_invalid_file_alone(tmp_path: Path) -> None:
    path = written(tmp_path, '# mine\ntheme = \n[keys]\nsearch = "/"\n')
    before = path.read_bytes()
    message = save_theme(path, "nord")
    assert message.startswith(f"{display_path(path)} cannot be read as settings: the theme is not saved")
    assert path.read_bytes() == before


@pytest.mark.parametrize("theme", ['my "quoted" theme', "back\\slash", 'ünï "\\" code\\'])
def test_a_theme_name_with_quotes_or_backslashes_round_trips(tmp_path: Path, theme: str) -> None:
    path = written(tmp_path, 'start_tab = "cast"\n')
    assert save_theme(path, "first") == save_theme(path, theme) == ""
    assert load_settings(path) == Settings(theme, "cast")
    assert path.read_text().count("theme = ") == 1


@pytest.mark.parametrize(
    "text", ['start_tab = "cast"\r\n[keys]\r\nsearch = "/"\r\n', "# a\u2028b\n[keys]\n"], ids=["crlf", "u2028"]
)
def test_saving_a_theme_keeps_unusual_line_breaks(tmp_path: Path, text: str) -> None:
    path = written(tmp_path, text)
    assert save_theme(path, "nord") == ""
    data = path.read_bytes()
    assert data.replace(b'theme = "nord"\r\n', b"").replace(b'theme = "nord"\n', b"") == text.encode()
    assert load_settings(path).problems == ()


def test_settings_path_honours_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path / "cfg"))
    assert settings_path() == tmp_path / "cfg" / "settings.toml"
    monkeypatch.delenv(CONFIG_DIR_ENV)
    assert settings_path().as_posix().endswith("aoad-tui/settings.toml")
    if sys.platform.startswith("linux"):
        assert settings_path() == Path(os.environ["XDG_CONFIG_HOME"]) / "aoad-tui" / "settings.toml"


def test_a_commented_table_header_an_unquoted_dotted_id_and_a_theme_comment(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        'theme = "nord"  # my favourite\n\n[keys]   # remapped\nbookmark = "m"\ntab.cast = "c"\nnope = "x"\n'
    )
    settings = load_settings(path, binding_ids=binding_ids)
    assert settings.keys == {"bookmark": "m"}
    assert settings.problems == (
        f'{display_path(path)}:5: a binding id with a dot goes in quotes: "tab.cast" = ...',
        f"{display_path(path)}:6: unknown binding id 'nope' (the help screen, ?, shows each key's id)",
    )
    assert save_theme(path, "gruvbox") == ""
    assert path.read_text().splitlines()[0] == 'theme = "gruvbox"  # my favourite'


# --- files that others or the user left behind ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("a = " + "[" * 600 + "]" * 600 + "\n", "not usable TOML (a value nested too deeply)"),
        ("theme = 1" + "0" * 5000 + "\n", "not usable TOML ("),
        ("theme = [\n", "not valid TOML ("),
    ],
    ids=["nested-600-deep", "a-5000-digit-number", "a-syntax-error"],
)
def test_whatever_the_toml_reader_raises_is_one_problem(tmp_path: Path, text: str, said: str) -> None:
    path = written(tmp_path, text)
    [problem] = load_settings(path).problems
    assert problem.startswith(display_path(path)) and said in problem and problem.endswith("settings ignored")
    assert save_theme(path, "nord").startswith(f"{display_path(path)} cannot be read as settings")
    assert path.read_text() == text  # left as it is


def test_a_byte_order_mark_is_no_problem(tmp_path: Path) -> None:
    path = written(tmp_path, b'\xef\xbb\xbftheme = "nord"\n[keys]\nbookmark = "m"\n')
    assert load_settings(path, themes=["nord"]) == Settings("nord", "", {"bookmark": "m"}, ())
    assert save_theme(path, "dracula") == ""
    assert load_settings(path).theme == "dracula"


def test_thousands_of_problems_are_found_in_one_pass_and_said_up_to_a_cap(tmp_path: Path) -> None:
    path = written(tmp_path, "".join(f"unknown_{n} = 1\n" for n in range(3500)))  # 59 KB, under the limit
    problems = load_settings(path).problems
    where = display_path(path)
    assert problems[:2] == (
        f"{where}:1: unknown setting 'unknown_0' (settings are theme, start_tab and [keys])",
        f"{where}:2: unknown setting 'unknown_1' (settings are theme, start_tab and [keys])",
    )
    assert problems[19].startswith(f"{where}:20: unknown setting 'unknown_19'")
    assert problems[20:] == (f"{where}: and 3,480 more problems",)


def in_a_thread(call: Callable[[], object], seconds: float = 5.0) -> object:
    """What `call` returns, or AssertionError if it has not returned in `seconds` (a daemon
    thread: a call that hangs for ever does not hang the test run)."""
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(call()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert result, f"still waiting after {seconds} s"
    return result[0]


def test_a_fifo_at_settings_toml_is_a_problem_at_once_never_a_hang(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    os.mkfifo(path)
    settings = in_a_thread(lambda: load_settings(path))
    assert isinstance(settings, Settings)
    reason = "a FIFO, not a regular file"
    assert settings.problems == (f"{display_path(path)}: cannot be read ({reason}): settings ignored",)
    said = in_a_thread(lambda: save_theme(path, "nord"))
    assert isinstance(said, str) and said.startswith(f"{display_path(path)} cannot be read as settings")


def test_a_theme_is_saved_under_the_settings_lock(tmp_path: Path) -> None:
    """Two apps saving at once each rewrite what the other wrote: the read, edit and write of the
    theme's line wait for whoever holds settings.toml's lock (as bookmarks and seen.json do)."""
    from aoad_tui.model.files import file_lock

    path = tmp_path / "settings.toml"
    path.write_text('start_tab = "cast"\n')
    saved: list[str] = []
    with file_lock(tmp_path / "settings.toml.lock"):
        thread = threading.Thread(target=lambda: saved.append(save_theme(path, "nord")))
        thread.start()
        thread.join(0.5)
        assert thread.is_alive() and path.read_text() == 'start_tab = "cast"\n'  # waiting
        path.write_text('start_tab = "cast"\nleft_panel = 1\n')  # what the holder wrote
    thread.join(5)
    assert saved == [""]
    assert path.read_text() == 'start_tab = "cast"\nleft_panel = 1\ntheme = "nord"\n'
