"""The key bar at the bottom: the keys that work where the focus is, on one line."""

from __future__ import annotations

from itertools import accumulate
from typing import ClassVar, NamedTuple

from textual.content import Content
from textual.events import Click
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget

PINNED = ("help", "quit")  # binding ids that keep their place when the line is too narrow


class KeyLabel(NamedTuple):
    """A key as the bar shows it."""

    key: str  # as the binding names it: what a click presses
    display: str  # as the user reads it
    description: str
    enabled: bool
    pinned: bool


class KeyBar(Widget):
    """Textual's Footer mounts a widget per key once the first frame is out, and mounts them all again
    on every focus change. This bar is one line of text: it is in the first frame, and is redrawn
    only when the keys it shows change. On a narrow line the last keys make way, except Help and Quit.
    A click on a key presses it."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description"}

    shown: tuple[KeyLabel, ...] = ()
    places: tuple[tuple[int, KeyLabel], ...] = ()  # where each shown label ends, and its key

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen and self.keys() != self.shown:
            self.refresh()

    def keys(self) -> tuple[KeyLabel, ...]:
        """The keys to show, one per action, the focused widget's first."""
        keys: dict[str, KeyLabel] = {}
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if binding.show and binding.action not in keys:
                display = self.app.get_key_display(binding)
                pinned = binding.id in PINNED
                keys[binding.action] = KeyLabel(binding.key, display, binding.description, active.enabled, pinned)
        return tuple(keys.values())

    def render(self) -> Content:
        # Remembers what it drew: `shown` to tell a real change of keys, `places` to map a click.
        self.shown = keys = self.keys()
        styles = (self.get_visual_style("key-bar--key"), self.get_visual_style("key-bar--description"))
        labels = fitting([(key_label(key, *styles), key) for key in keys], self.size.width)
        ends = accumulate(label.cell_length for label, _ in labels)
        self.places = tuple(zip(ends, (key for _, key in labels), strict=True))
        return Content("").join(label for label, _ in labels)

    def on_click(self, event: Click) -> None:
        for end, key in self.places:
            if event.x < end:
                self.app.simulate_key(key.key)
                return


def key_label(key: KeyLabel, key_style: Style, description_style: Style) -> Content:
    label = Content.assemble(
        Content.styled(f" {key.display} ", key_style),
        Content.styled(f"{key.description} ", description_style),
    )
    return label if key.enabled else label.stylize("dim")


def fitting(labels: list[tuple[Content, KeyLabel]], width: int) -> list[tuple[Content, KeyLabel]]:
    """As many labels as fit in width, dropping unpinned keys from the end first."""
    droppable = [label for label in labels if not label[1].pinned]
    while sum(label.cell_length for label, _ in labels) > width and droppable:
        labels.remove(droppable.pop())
    return labels
