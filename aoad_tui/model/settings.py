"""settings.toml in the user's config directory: the theme, the starting tab, and keys remapped by
binding id. Read with the standard library (tomllib); a problem is reported as path:line and its
setting ignored, never a crash. The app writes one setting back, the theme, by editing its one line,
so that a user's comments and layout stay as they wrote them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from aoad_tui.model.files import describe, file_lock, make_directory, read_regular_file, write_atomically
from aoad_tui.model.paths import APP_NAME, display_path
from aoad_tui.model.vocabulary import TAB_IDS

FILE_NAME = "settings.toml"
CONFIG_DIR_ENV = "AOAD_TUI_CONFIG_DIR"
# A settings file is a few lines (three settings and the keys: about 2 KB); 64 KiB is 30 times
# that. Read before the first frame: at 1 MiB, parsing alone took about 0.25 s.
MAX_FILE_BYTES = 64 * 1024
# Keys no keymap can move or take: ctrl+c always quits, the last way out of any terminal program.
FIXED_KEYS = {"quit.interrupt": "ctrl+c"}

# A key as Textual names it: a character, or a name such as ctrl+b, f5, question_mark.
_KEY = re.compile(r"\A(?:[a-z]+\+)*(?:[^\s,+]|[a-z0-9_]+)\Z")
_TABLE = re.compile(r"^\s*\[")
# A line `key = ...`: the key bare, or in double or single quotes.
_KEY_LINE = re.compile(r"""^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")
# Problems said one by one; past these, how many more.
MAX_PROBLEMS_SAID = 20
NOTICES_AT_START = 1  # the app's notices of them at start: one, saying where they are all listed


@dataclass(frozen=True, slots=True)
class Settings:
    """What settings.toml asks for (each empty when unset or unusable), and what was wrong in it."""

    theme: str = ""
    start_tab: str = ""
    keys: dict[str, str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()


def settings_path() -> Path:
    """settings.toml: in $AOAD_TUI_CONFIG_DIR, else the user's config directory."""
    chosen = os.environ.get(CONFIG_DIR_ENV)
    directory = Path(chosen).expanduser() if chosen else platformdirs.user_config_path(APP_NAME)
    return directory / FILE_NAME


def load_settings(
    path: Path, themes: Collection[str] | None = None, binding_ids: Callable[[], Collection[str]] | None = None
) -> Settings:
    """The settings in `path` (none when it is missing). A theme is checked against `themes`, and
    [keys] against the ids `binding_ids` gives (asked only when there is a [keys] table), when they
    are given: the interface knows them (its BINDINGS: screens/help.binding_ids); the model does not."""
    try:
        data = read_regular_file(path, MAX_FILE_BYTES)
    except OSError as error:
        return Settings(problems=(f"{display_path(path)}: cannot be read ({describe(error)}): settings ignored",))
    if data is None:
        return Settings()
    if len(data) > MAX_FILE_BYTES:
        return Settings(problems=(f"{display_path(path)}: larger than 64 KiB: settings ignored",))
    try:
        text = data.decode("utf-8-sig")  # a byte order mark, as some editors write, is no problem
    except UnicodeDecodeError:
        return Settings(problems=(f"{display_path(path)}: not UTF-8 text: settings ignored",))
    document = parse_toml(text)
    if isinstance(document, str):
        return Settings(problems=(f"{display_path(path)}{document}: settings ignored",))
    return _read(document, text, path, themes, binding_ids)


def parse_toml(text: str) -> dict[str, object] | str:
    """The TOML document in `text`, or what is wrong with it (":LINE: not valid TOML (why)"). Every
    failure of the reader is one: a syntax error, a value nested too deeply for it (RecursionError),
    a number too long to convert (ValueError)."""
    import tomllib  # only when there is a file: most starts have none

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = _error_line(error) or text.count("\n") or 1  # (an error "at end of document")
        return f":{line}: not valid TOML ({str(error).split(' (at ')[0]})"
    except RecursionError:
        return ": not usable TOML (a value nested too deeply)"
    except ValueError as error:  # int("1" * 5000): Python's limit on digits
        return f": not usable TOML ({str(error).split(';')[0]})"


def _error_line(error: ValueError) -> int | None:
    """The line of a TOML error: an attribute from Python 3.14, in the message before."""
    line = getattr(error, "lineno", None)
    if isinstance(line, int):
        return line
    found = re.search(r"line (\d+)", str(error))
    return int(found.group(1)) if found else None


def _read(
    document: dict[str, object],
    text: str,
    path: Path,
    themes: Collection[str] | None,
    binding_ids: Callable[[], Collection[str]] | None,
) -> Settings:
    lines = text.splitlines()
    written_at = key_lines(lines)
    where = display_path(path)
    problems: list[str] = []

    def problem(key: str, table: str, message: str) -> None:
        line = written_at.get((table, key)) or line_of(lines, key, table)
        problems.append(f"{where}:{line}: {message}")

    theme = start_tab = ""
    keys: dict[str, str] = {}
    for name, value in document.items():
        if name == "theme":
            if not isinstance(value, str) or not value:
                problem(name, "", 'theme must be a theme\'s name in quotes, such as "nord"')
            elif themes is not None and value not in themes:
                problem(name, "", f'unknown theme {value!r} (ctrl+p, then "theme", lists them)')
            else:
                theme = value
        elif name == "start_tab":
            if isinstance(value, str) and value.lower() in TAB_IDS:
                start_tab = value.lower()
            else:
                problem(name, "", f"start_tab must be one of {', '.join(TAB_IDS)}")
        elif name == "keys":
            if isinstance(value, dict):
                known = binding_ids() if binding_ids is not None else None
                keys = _read_keys(value, known, lambda key, message: problem(key, "keys", message))
            else:
                problem(name, "", 'keys must be a table: [keys], then a line `binding_id = "key"` for each')
        else:
            problem(name, "", f"unknown setting {name!r} (settings are theme, start_tab and [keys])")
    if len(problems) > MAX_PROBLEMS_SAID:
        more = len(problems) - MAX_PROBLEMS_SAID
        problems[MAX_PROBLEMS_SAID:] = [f"{where}: and {more:,} more problem{'s' * (more != 1)}"]
    return Settings(theme, start_tab, keys, tuple(problems))


def settings_notices(problems: Sequence[str], help_key: str = "?") -> list[str]:
    """What the app says of the settings' problems at start: one notice (three covered half an
    80x24 screen), the problem itself when there is one, else the first and where all are listed
    (the help, under the key the settings give it, and `aoad-tui check`)."""
    if len(problems) <= NOTICES_AT_START:
        return list(problems)
    return [f"{problems[0]}; and more: {help_key} (help) or `aoad-tui check` lists them all."]


def key_lines(lines: list[str]) -> dict[tuple[str, str], int]:
    """Where each key is written, by (table, key), in one pass: the first line of each (a table's
    own name is a key of the top level)."""
    found: dict[tuple[str, str], int] = {}
    current = ""
    for number, line in enumerate(lines, 1):
        if _TABLE.match(line):
            current = line.split("#", 1)[0].strip().strip("[]").strip().strip("\"'")
            found.setdefault(("", current), number)
        elif written := _KEY_LINE.match(line):
            found.setdefault((current, written.group(1).strip("\"'")), number)
    return found


def _read_keys(
    table: dict[str, object], known: Collection[str] | None, problem: Callable[[str, str], None]
) -> dict[str, str]:
    keys: dict[str, str] = {}
    taken: dict[str, str] = {}
    for binding_id, value in table.items():
        if isinstance(value, dict):  # tab.cast = "c" unquoted: TOML reads a table "tab" of "cast"
            for name in value:
                dotted = f"{binding_id}.{name}"
                problem(dotted, f'a binding id with a dot goes in quotes: "{dotted}" = ...')
            continue
        if known is not None and binding_id not in known:
            problem(binding_id, f"unknown binding id {binding_id!r} (the help screen, ?, shows each key's id)")
            continue
        if binding_id in FIXED_KEYS:
            problem(binding_id, f"{binding_id} stays {FIXED_KEYS[binding_id]}: it always quits, whatever the keymap")
            continue
        names = [part.strip() for part in value.split(",")] if isinstance(value, str) else []
        if not names or not all(_KEY.match(name) for name in names):
            problem(binding_id, f'{binding_id} must be a key in quotes, such as "m", "ctrl+b" or "f5,m"')
            continue
        fixed = next((name for name in names if name in FIXED_KEYS.values()), None)
        if fixed is not None:
            problem(binding_id, f"{binding_id} cannot take {fixed}: it always quits, whatever the keymap")
            continue
        clash = next((taken[name] for name in names if name in taken), None)
        if clash is not None:
            problem(binding_id, f"{binding_id} takes a key that {clash} was given already")
            continue
        taken.update(dict.fromkeys(names, binding_id))
        keys[binding_id] = ",".join(names)
    return keys


def line_of(lines: list[str], key: str, table: str) -> int:
    """The line a key is written on, in a table ("" for the top level); 1 if it cannot be found."""
    current = ""
    name = rf"""(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*="""
    pattern = re.compile(rf"^\s*{name}")
    for number, line in enumerate(lines, 1):
        if _TABLE.match(line):
            current = line.split("#", 1)[0].strip().strip("[]").strip().strip("\"'")
            if current == key and not table:
                return number
        elif current == table and pattern.match(line):
            return number
    # Not where a table's keys are written one a line: inside an inline table, say.
    anywhere = re.compile(rf"(?:^|[\s{{,]){name}")
    return next((number for number, line in enumerate(lines, 1) if anywhere.search(line)), 1)


def save_theme(path: Path, theme: str) -> str:
    """Write `theme = "..."` into settings.toml, keeping every other line as it is; "" when it is
    saved, else why not, in words. A file with a problem is left as it is. Under the file's lock,
    as the other stores write: two apps saving at once each rewrite what the other wrote."""
    try:
        make_directory(path.parent)
        with file_lock(path.with_name(f"{path.name}.lock")):
            return _rewrite_theme(path, theme)
    except OSError as error:
        return f"The theme is not saved ({display_path(path)}: {describe(error)})"


def _rewrite_theme(path: Path, theme: str) -> str:
    try:
        data = read_regular_file(path, MAX_FILE_BYTES) or b""
        text = data.decode("utf-8-sig")  # (its own line endings)
        usable = len(data) <= MAX_FILE_BYTES and not isinstance(parse_toml(text), str)
    except (OSError, UnicodeDecodeError):
        usable = False
    if not usable:
        return f"{display_path(path)} cannot be read as settings: the theme is not saved (`aoad-tui check` says why)"
    # Split at \n only, each line keeping its \r: TOML allows U+2028 and the like in comments and
    # strings, which str.splitlines would take for line breaks.
    lines = text.removesuffix("\n").split("\n") if text else []
    ending = "\r" if lines and lines[0].endswith("\r") else ""
    line = f"theme = {_toml_string(theme)}{ending}"
    top = next((number for number, text_line in enumerate(lines) if _TABLE.match(text_line)), len(lines))
    for number in range(top):
        if re.match(r"""^\s*(?:theme|"theme"|'theme')\s*=""", lines[number]):
            comment = re.search(r"""\s+#[^"']*$""", lines[number].rstrip("\r"))  # kept, as written
            lines[number] = f"theme = {_toml_string(theme)}{comment.group(0) if comment else ''}{ending}"
            break
    else:
        lines.insert(top, line)
    new_text = "\n".join(lines) + "\n"
    document = parse_toml(new_text)
    # Not written: a layout the line edit cannot handle (a theme = """...""" over lines, say).
    if isinstance(document, str) or document.get("theme") != theme:
        return f"{display_path(path)}: the theme line could not be rewritten; set theme = {_toml_string(theme)} there"
    write_atomically(path, new_text.encode())
    return ""


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
