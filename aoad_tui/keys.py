"""Keys shared by several widgets, and the sections of the help screen.

Every binding has an id, so that the help screen, the key bar and a user's keymap all speak of the
same binding. The help screen lists help_sections(); tests/app check that every binding in the
package is in one of them and has a test.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding, BindingType
from textual.dom import DOMNode

# Moving in a list, the vim way (arrows work as Textual's own).
MOVE: list[BindingType] = [
    Binding("j", "cursor_down", "Down", show=False, id="list.down"),
    Binding("k", "cursor_up", "Up", show=False, id="list.up"),
]
# From a list or an article to the tab beside it.
WALK_TABS: list[BindingType] = [
    Binding("h", "app.previous_tab", "Previous tab", show=False, id="list.previous_tab"),
    Binding("l", "app.next_tab", "Next tab", show=False, id="list.next_tab"),
]
# Scrolling text.
SCROLL: list[BindingType] = [
    Binding("j", "scroll_down", "Down", show=False, id="scroll.down"),
    Binding("k", "scroll_up", "Up", show=False, id="scroll.up"),
]


def key_of(node: DOMNode, binding_id: str, default: str) -> str:
    """A binding's key as the key bar spells it, as the settings may have remapped it (for a line
    of text that names it); `default` outside the app."""
    display = getattr(node.app, "key_display", None)
    return str(display(binding_id, default)) if callable(display) else default


def help_sections() -> list[tuple[str, Iterable[BindingType]]]:
    """Every binding of the app, by where it works, in the order the help shows them."""
    from textual.widgets import Tabs

    from aoad_tui.app import AoadApp
    from aoad_tui.screens.detail import DetailScreen
    from aoad_tui.screens.filter import FilterScreen
    from aoad_tui.screens.help import HelpScreen
    from aoad_tui.screens.news import NewsScreen
    from aoad_tui.screens.note import NoteScreen
    from aoad_tui.screens.unsaved import UnsavedScreen
    from aoad_tui.widgets.bookmark_list import BookmarkList
    from aoad_tui.widgets.entry_list import EntryList
    from aoad_tui.widgets.scroll import KeyScroll
    from aoad_tui.widgets.search_results import SearchInput, SearchResults
    from aoad_tui.widgets.source_view import SourceView

    return [
        ("Everywhere", list(AoadApp.BINDINGS)),
        ("Tab bar", list(Tabs.BINDINGS)),
        ("Lists", list(EntryList.BINDINGS)),
        ("Bookmarks tab", list(BookmarkList.BINDINGS)),
        ("Search", [*SearchInput.BINDINGS, *SearchResults.BINDINGS]),
        ("Source", list(SourceView.BINDINGS)),
        ("Entry detail", list(DetailScreen.BINDINGS)),
        ("What's new", list(NewsScreen.BINDINGS)),
        ("Filter", list(FilterScreen.BINDINGS)),
        ("Scrolling text", list(KeyScroll.BINDINGS)),
        ("Note", list(NoteScreen.BINDINGS)),
        ("Unsaved bookmarks", list(UnsavedScreen.BINDINGS)),
        ("Help", list(HelpScreen.BINDINGS)),
    ]
