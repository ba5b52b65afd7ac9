"""Keys shared by several widgets, and a binding's key as the settings remap it.

Every binding has an id, so that the help screen, the key bar and a user's keymap all speak of the
same binding. The help screen lists screens/help.help_sections(); tests/app check that every
binding in the package is in one of them and has a test.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

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


@runtime_checkable
class NamesKeys(Protocol):
    """An app that spells its bindings' keys as its settings remap them (AoadApp)."""

    def key_display(self, binding_id: str, default: str = "") -> str: ...


def key_of(node: DOMNode, binding_id: str, default: str) -> str:
    """A binding's key as the key bar spells it, as the settings may have remapped it (for a line
    of text that names it); `default` in an app that does not remap keys."""
    app = node.app
    return app.key_display(binding_id, default) if isinstance(app, NamesKeys) else default
