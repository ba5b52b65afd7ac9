"""What a client may ask of `aoad-tui serve` (serve/rules.py), and where each user's data lives
(serve/people.py): plain functions, no SSH."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from aoad_tui.serve import people
from aoad_tui.serve.cli import too_open
from aoad_tui.serve.rules import allowed_command, private_env, session_env

PRIVATE = {"HOME": "/srv/aoad/users/u1", "AOAD_TUI_DATA_DIR": "/srv/aoad/users/u1", "AOAD_TUI_SEEDS": "/srv/seeds"}


def env_of(client: dict[str, str], term: str | None = "xterm-256color", *, truecolor: bool = True) -> dict[str, str]:
    return session_env(client, term, truecolor=truecolor, private=PRIVATE)


# --- the environment ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LANG", "de_DE.UTF-8"),
        ("LC_ALL", "fr_FR.UTF-8"),
        ("LC_CTYPE", "en_US.ISO-8859-1"),
        ("LC_MESSAGES", "C"),
        ("COLORTERM", "24bit"),
        ("NO_COLOR", "1"),
    ],
)
def test_the_client_s_locale_and_colour_variables_reach_the_session(name: str, value: str) -> None:
    assert env_of({name: value})[name] == value


@pytest.mark.parametrize(
    "name",
    ["PYTHONPATH", "LD_PRELOAD", "TEXTUAL_DRIVER", "TEXTUAL_LOG", "PYTHONSTARTUP", "SHELL", "XDG_CACHE_HOME", "EDITOR"],
)
def test_anything_else_the_client_sends_is_dropped(name: str) -> None:
    value = "/tmp/evil"
    env = env_of({name: value, "LANG": "de_DE.UTF-8"})
    assert env.get(name) != value
    assert value not in env.values()
    assert env["LANG"] == "de_DE.UTF-8"  # the same request's passed variable did get through


@pytest.mark.parametrize("name", ["PATH", "HOME", "TERM"])
def test_the_client_cannot_set_the_server_s_own_variables(name: str) -> None:
    env = env_of({name: "/tmp/evil"})
    assert env.get(name) != "/tmp/evil"


@pytest.mark.parametrize(
    "value",
    [
        "en_US.UTF-8 extra",  # a space
        "\x1b]0;owned\x07",  # an escape sequence
        "en_US.UTF-8\n",  # a new line
        "a\tb",
        "de_DE.UTF-8;id",
        "$(id)",
        "`id`",
        "C/../../etc",
        "é",  # not plain ASCII
        "x" * 65,  # too long
    ],
)
def test_a_passed_variable_with_an_odd_value_is_dropped(value: str) -> None:
    env = env_of({"LANG": value, "LC_ALL": value, "COLORTERM": value, "NO_COLOR": value})
    assert value not in env.values()
    assert env.get("LANG") != value and "LC_ALL" not in env and "NO_COLOR" not in env


def test_a_value_of_64_plain_characters_is_still_passed() -> None:
    value = "x" * 64
    assert env_of({"LC_PAPER": value})["LC_PAPER"] == value


def test_colorterm_says_truecolor_when_the_client_did_not_say_and_the_server_allows_it() -> None:
    assert env_of({})["COLORTERM"] == "truecolor"
    assert "COLORTERM" not in env_of({}, truecolor=False)


def test_the_client_s_own_colorterm_wins_over_the_default() -> None:
    assert env_of({"COLORTERM": "24bit"})["COLORTERM"] == "24bit"
    assert env_of({"COLORTERM": "24bit"}, truecolor=False)["COLORTERM"] == "24bit"


def test_term_comes_from_the_pty_request_only() -> None:
    assert env_of({}, "screen-256color")["TERM"] == "screen-256color"
    assert env_of({"TERM": "xterm-kitty"}, "vt100")["TERM"] == "vt100"
    assert "TERM" not in env_of({"TERM": "xterm-kitty"}, None)


def test_an_odd_term_is_dropped() -> None:
    env = env_of({}, "xterm\x1b[31m")
    assert "TERM" not in env


def test_the_server_s_private_values_win_over_the_client_s() -> None:
    private = {"LANG": "C.UTF-8", "AOAD_TUI_DATA_DIR": "/srv/data"}
    env = session_env({"LANG": "de_DE.UTF-8", "AOAD_TUI_DATA_DIR": "/tmp"}, "xterm", truecolor=True, private=private)
    assert env["LANG"] == "C.UTF-8"
    assert env["AOAD_TUI_DATA_DIR"] == "/srv/data"


def test_the_environment_is_built_from_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AOAD_TEST_LEAK", "from-the-server-process")
    env = session_env({}, "xterm", truecolor=False, private={})
    assert "AOAD_TEST_LEAK" not in env
    assert set(env) <= {"PATH", "LANG", "TERM"}


def test_private_env_points_every_path_at_the_user_s_data(tmp_path: Path) -> None:
    data, seeds, cache = tmp_path / "users" / "u1", tmp_path / "seeds", tmp_path / "cache"
    env = session_env({"HOME": "/root"}, "xterm", truecolor=True, private=private_env(data, seeds, cache))
    assert env["HOME"] == env["AOAD_TUI_DATA_DIR"] == env["AOAD_TUI_CONFIG_DIR"] == str(data)
    assert env["AOAD_TUI_SEEDS"] == str(seeds)
    assert env["XDG_CACHE_HOME"] == str(cache)


# --- the commands -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "argv"),
    [
        ("search vampire", ["search", "vampire"]),
        ("search 'cheong san' --json --limit 5", ["search", "cheong san", "--json", "--limit", "5"]),
        ("bookmarks", ["bookmarks"]),
        ("bookmarks export --format json", ["bookmarks", "export", "--format", "json"]),
        ("news --json --mark-seen", ["news", "--json", "--mark-seen"]),
    ],
)
def test_an_allowed_command_comes_back_as_the_cli_s_arguments(line: str, argv: list[str]) -> None:
    assert allowed_command(line) == argv


@pytest.mark.parametrize(
    "line",
    [
        "",
        "   ",
        "sh",
        "bash -c id",
        "/bin/sh -c 'search x'",
        "serve --port 1",
        "check /etc",
        "search 'unbalanced",
        'news "unbalanced',
        "search x --seeds /etc",
        "search x --seeds=/x",
        "search x '--seeds' /etc",
        "news --data-dir /tmp",
        "bookmarks export --data-dir=/tmp",
        "search x --se /etc",
        "search x --see=/etc",
        "search x --data /tmp",
        "search x --d=/tmp",
        "search x -- --seeds /etc",
    ],
)
def test_anything_else_is_refused(line: str) -> None:
    assert allowed_command(line) is None


# --- people -------------------------------------------------------------------------------------

FINGERPRINT = "SHA256:jJM2G9NaBwr+JqJ/YJMmeJT3wrzPWDlGRITeWIzlKts"
OTHER = "SHA256:rXI8wQQzW+REO9d9gjZhM8nRw3Ex5c/B0GKENoRIXmw"


def test_a_user_id_is_stable_and_differs_per_fingerprint() -> None:
    assert people.user_id(FINGERPRINT) == people.user_id(FINGERPRINT)
    assert people.user_id(FINGERPRINT) != people.user_id(OTHER)


def test_a_user_id_is_a_plain_name_without_the_fingerprint_in_it(tmp_path: Path) -> None:
    user = people.user_id(FINGERPRINT)
    digest = FINGERPRINT.removeprefix("SHA256:")
    assert user.isalnum() and user.isascii()
    assert digest not in user and digest[:8] not in user and digest.lower()[:8] not in user
    directory = people.user_dir(tmp_path, user)
    assert directory.is_relative_to(tmp_path) and directory.name == user
    assert digest not in str(directory)


def test_each_guest_gets_a_fresh_directory_under_the_guests_folder(tmp_path: Path) -> None:
    first, second = people.guest_dir(tmp_path), people.guest_dir(tmp_path)
    assert first != second
    for directory in (first, second):
        assert directory.is_dir() and directory.parent == tmp_path / people.GUESTS
        assert not any(directory.iterdir())


def test_forget_guest_removes_only_that_guest_s_directory(tmp_path: Path) -> None:
    first, second = people.guest_dir(tmp_path), people.guest_dir(tmp_path)
    (first / "bookmarks.json").write_text("[]")
    people.forget_guest(first)
    assert not first.exists()
    assert second.is_dir()
    people.forget_guest(first)  # forgetting twice is harmless


def test_clear_guests_removes_every_guest_and_leaves_users_alone(tmp_path: Path) -> None:
    guests = [people.guest_dir(tmp_path) for _ in range(3)]
    (guests[0] / "bookmarks.json").write_text("[]")
    user = people.user_dir(tmp_path, people.user_id(FINGERPRINT))  # made, mode 0700
    (user / "bookmarks.json").write_text("[]")
    people.clear_guests(tmp_path)
    assert not any(guest.exists() for guest in guests)
    assert (user / "bookmarks.json").read_text() == "[]"
    people.clear_guests(tmp_path)  # nothing left: harmless
    assert people.guest_dir(tmp_path).is_dir()  # and guests still get directories afterwards


def test_a_users_directory_is_made_for_them_alone_and_never_through_a_symlink(tmp_path: Path) -> None:
    user = people.user_id(FINGERPRINT)
    directory = people.user_dir(tmp_path, user)
    assert directory.is_dir() and stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert people.user_dir(tmp_path, user) == directory  # found again as it is
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    other = people.user_id("SHA256:another")
    (tmp_path / people.USERS / other).symlink_to(elsewhere)
    with pytest.raises(people.UnsafeDirectory, match="symlink"):
        people.user_dir(tmp_path, other)
    moved = tmp_path / "moved"
    (tmp_path / people.USERS).rename(moved)
    (tmp_path / people.USERS).symlink_to(moved)  # users/ itself
    with pytest.raises(people.UnsafeDirectory, match="symlink"):
        people.user_dir(tmp_path, user)
    assert not any(elsewhere.iterdir())


@pytest.mark.parametrize(("mode", "refused"), [(0o700, False), (0o750, True), (0o705, True), (0o777, True)])
def test_a_data_directory_or_host_key_others_may_read_or_write_is_refused(
    tmp_path: Path, mode: int, refused: bool
) -> None:
    key = tmp_path / "key"
    key.write_text("a key")
    for path in (tmp_path, key):
        path.chmod(mode)
        problem = too_open(path)
        assert (problem is not None) is refused, problem
        assert problem is None or f"{mode:04o}" in problem
    tmp_path.chmod(0o700)
    assert too_open(tmp_path / "not made yet") is None
