"""The help screen, generated from the bindings themselves so it can never drift from them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, Tabs

from aoad_tui.widgets.render import literal
from aoad_tui.widgets.scroll import KeyScroll


def key_labels(binding: Binding, display: Callable[[Binding], str], keymap: Mapping[str, str] | None = None) -> str:
    """A binding's keys as the key bar spells them (`^q`, `↓`, `?`), comma-separated; as the
    settings remap them."""
    keys = (keymap or {}).get(binding.id or "", binding.key)
    return ", ".join(display(replace(binding, key=key.strip())) for key in keys.split(","))


def help_text(
    sections: Iterable[tuple[str, Iterable[BindingType]]],
    display: Callable[[Binding], str],
    keymap: Mapping[str, str] | None = None,
) -> Content:
    """One heading per section, one line per binding: its keys, its description, and its id (what
    [keys] in settings.toml names it by)."""
    lines: list[Content] = []
    for title, bindings in sections:
        lines.append(Content.styled(title, "bold underline"))
        merged: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for binding in bindings:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            explained = f"{binding.description} ({binding.tooltip})" if binding.tooltip else binding.description
            labels = key_labels(binding, display, keymap)
            merged.setdefault((binding.action, explained), []).append((labels, binding.id or ""))
        for (_, explained), keys in merged.items():
            spelled = ", ".join(label for label, _ in keys)
            ids = " ".join(binding_id for _, binding_id in keys if binding_id)
            lines.append(
                Content.assemble(
                    (f"  {spelled:<14}", "bold $accent"),
                    " " * (len(spelled) >= 14),
                    explained,
                    (f"  {ids}" if ids else "", "$text-muted"),
                )
            )
        lines.append(Content(""))
    return Content("\n").join(lines)


def help_sections(app: type[App[Any]]) -> list[tuple[str, Iterable[BindingType]]]:
    """Every binding of the app (`app`'s own, then each screen's and widget's), by where it works,
    in the order the help shows them."""
    from aoad_tui.screens.detail import DetailScreen
    from aoad_tui.screens.filter import FilterScreen
    from aoad_tui.screens.note import NoteScreen
    from aoad_tui.screens.unsaved import UnsavedScreen
    from aoad_tui.screens.whats_new import WhatsNewScreen
    from aoad_tui.widgets.bookmark_list import BookmarkList
    from aoad_tui.widgets.entry_list import EntryList
    from aoad_tui.widgets.search_results import SearchInput, SearchResults
    from aoad_tui.widgets.source_view import SourceView

    return [
        ("Everywhere", list(app.BINDINGS)),
        ("Tab bar", list(Tabs.BINDINGS)),
        ("Lists", list(EntryList.BINDINGS)),
        ("Bookmarks tab", list(BookmarkList.BINDINGS)),
        ("Search", [*SearchInput.BINDINGS, *SearchResults.BINDINGS]),
        ("Source", list(SourceView.BINDINGS)),
        ("Entry detail", list(DetailScreen.BINDINGS)),
        ("What's new", list(WhatsNewScreen.BINDINGS)),
        ("Filter", list(FilterScreen.BINDINGS)),
        ("Scrolling text", list(KeyScroll.BINDINGS)),
        ("Note", list(NoteScreen.BINDINGS)),
        ("Unsaved bookmarks", list(UnsavedScreen.BINDINGS)),
        ("Help", list(HelpScreen.BINDINGS)),
    ]


def binding_ids(app: type[App[Any]]) -> frozenset[str]:
    """The id of every binding the help lists: what [keys] in settings.toml may remap."""
    return frozenset(b.id for _, bindings in help_sections(app) for b in bindings if isinstance(b, Binding) and b.id)


class HelpScreen(ModalScreen[None]):
    """Every key of the app, by where it works. Any of escape, ? or q closes it."""

    BINDINGS = [
        Binding("escape,question_mark,f1,q", "app.pop_screen", "Close help", id="help.close"),
    ]

    def __init__(
        self,
        sections: list[tuple[str, Iterable[BindingType]]],
        keymap: Mapping[str, str],
        problems: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.sections = sections
        self.keymap = keymap
        self.problems = problems  # the settings' problems: at start, only the first was said

    def compose(self) -> ComposeResult:
        with KeyScroll(id="help-box"):
            if self.problems:
                said = [Content.styled("Problems in settings.toml (ignored)", "bold underline $warning")]
                said += [literal(f"  {problem}") for problem in self.problems]
                yield Static(Content("\n").join([*said, Content("")]), id="help-problems")
            yield Static(Content.styled("aoad-tui keys", "bold"), id="help-title")
            yield Static(help_text(self.sections, self.app.get_key_display, self.keymap))
