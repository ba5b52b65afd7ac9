"""What a client may ask of the server: the environment a session gets (built from nothing, a few
of the client's variables let through), and the commands it may run instead of the app."""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from pathlib import Path

# The client's variables a session sees. Everything else a client sends (PYTHONPATH, LD_PRELOAD,
# TEXTUAL_DRIVER, ...) is dropped: none of it may reach the server's processes.
PASSED = ("LANG", "COLORTERM", "NO_COLOR")
LOCALE_NAMES = frozenset(
    f"LC_{name}"
    for name in (
        "ALL", "CTYPE", "COLLATE", "MESSAGES", "MONETARY", "NUMERIC", "TIME",
        "ADDRESS", "IDENTIFICATION", "MEASUREMENT", "NAME", "PAPER", "TELEPHONE",
    )
)  # fmt: skip
SAFE_VALUE = re.compile(r"[A-Za-z0-9_.@+=:-]{0,64}")
LONGEST_COMMAND = 1000  # characters: a search needs far fewer
# Commands a script may run (`ssh -p 2222 host search vampire --json`), each as the CLI runs it.
COMMANDS = ("search", "bookmarks", "news")
# Options that would reach past the user's own data (their own seeds, another data directory).
FORBIDDEN_OPTIONS = ("--seeds", "--data-dir")
BASE_ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}  # what every process of the server starts from
USAGE = "search QUERY [--json] [--limit N], bookmarks [export [--format md|json]], news [--json] [--mark-seen]"


def session_env(
    client: Mapping[str, str], term: str | None, *, truecolor: bool, private: Mapping[str, str]
) -> dict[str, str]:
    """A session's whole environment: TERM from the pty request, the few passed variables the
    client sent (with plain values), COLORTERM=truecolor unless the client said otherwise or the
    server turned that off (OpenSSH does not forward COLORTERM), and the server's own settings."""
    env = dict(BASE_ENV)
    for name, value in client.items():
        if (name in PASSED or name in LOCALE_NAMES) and SAFE_VALUE.fullmatch(value):
            env[name] = value
    if term and SAFE_VALUE.fullmatch(term):
        env["TERM"] = term
    if truecolor:
        env.setdefault("COLORTERM", "truecolor")
    env.update(private)
    return env


def allowed_command(line: str) -> list[str] | None:
    """The command line as arguments for the CLI, or None when it is not allowed."""
    if len(line) > LONGEST_COMMAND:
        return None
    try:
        words = shlex.split(line)
    except ValueError:
        return None
    if not words or words[0] not in COMMANDS:
        return None
    if any(reaches_past(word) for word in words):
        return None
    return words


def reaches_past(word: str) -> bool:
    """A forbidden option, or an abbreviation of one (argparse takes `--se` for `--seeds`)."""
    name = word.split("=", maxsplit=1)[0]
    return name.startswith("--") and any(option.startswith(name) for option in FORBIDDEN_OPTIONS)


def private_env(data_dir: Path, seeds: Path, cache: Path) -> dict[str, str]:
    """What the server tells every session's process: where its user's data, the seeds and the
    shared knowledge cache are."""
    return {
        "HOME": str(data_dir),
        "AOAD_TUI_DATA_DIR": str(data_dir),
        "AOAD_TUI_CONFIG_DIR": str(data_dir),
        "AOAD_TUI_SEEDS": str(seeds),
        "XDG_CACHE_HOME": str(cache),
    }
