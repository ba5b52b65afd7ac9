"""The user's settings as the app uses them (as marks.py does for bookmarks): read from
settings.toml, applied (theme, keymap), their problems said once, a theme picked in the palette
written back, and a keymap's clash said once."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.theme import BUILTIN_THEMES, Theme

from aoad_tui.model.inert import inert_line
from aoad_tui.model.paths import display_path
from aoad_tui.model.settings import Settings, load_settings, save_theme, settings_notices


def read_settings(path: Path, app: type[App[Any]]) -> Settings:
    """settings.toml, its theme checked against the themes Textual has and its keys against the
    bindings of `app` (so that a wrong one is reported at its line)."""
    from aoad_tui.screens.help import binding_ids

    return load_settings(path, themes=BUILTIN_THEMES, binding_ids=partial(binding_ids, app))


class Preferences:
    def __init__(self, app: App[Any], settings: Settings, file: Path | None) -> None:
        """Apply `settings` (read from `file`, if from one) to `app`: its theme and its keys."""
        self.app = app
        self.file = file
        self.problems = list(settings.problems)
        if settings.theme and settings.theme not in app.available_themes:
            where = f"{display_path(file)}: " if file else ""
            self.problems.append(f"{where}unknown theme {settings.theme!r}: the default theme is used")
            settings = replace(settings, theme="")
        if settings.theme:
            app.theme = settings.theme
        app.set_keymap(settings.keys)
        self.settings = settings
        self.clashes_said: set[str] = set()

    def key_display(self, binding_id: str, default: str = "") -> str:
        """A binding's key as the key bar spells it, remapped or not (`default`: a widget's
        binding's own key, which the app's bindings do not hold)."""
        binding = next((b for b in self.app.BINDINGS if isinstance(b, Binding) and b.id == binding_id), None)
        key = self.settings.keys.get(binding_id, binding.key if binding else default).split(",")[0].strip()
        return self.app.get_key_display(Binding(key, "")) if key else binding_id

    def say_problems(self) -> None:
        """Once the app is up: one notice (the whole list is in the help)."""
        for problem in settings_notices(self.problems, self.key_display("help")):
            self.warn(problem)

    def keep_theme(self, theme: Theme) -> None:
        """The theme picked in the command palette stays for the next start."""
        if self.file is None or theme.name == (self.settings.theme or None):
            return
        problem = save_theme(self.file, theme.name)
        if problem:
            self.warn(problem)
        else:
            self.settings = replace(self.settings, theme=theme.name)

    def clash(self, clashed_bindings: set[Binding]) -> None:
        """A remapped key that another binding has too: said once, in words."""
        names = ", ".join(sorted(binding.id or binding.description for binding in clashed_bindings))
        if names not in self.clashes_said:
            self.clashes_said.add(names)
            self.app.notify(
                f"Two bindings share a key ({names}): check [keys] in settings.", severity="warning", markup=False
            )

    def warn(self, problem: str) -> None:
        self.app.notify(inert_line(problem), title="Settings", severity="warning", timeout=10, markup=False)
