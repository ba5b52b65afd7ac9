"""A screen made with the breakpoint classes it is about to get.

Textual gives a screen its breakpoint classes (`-narrow`, `-tall`, ...) on its first resize, after
its widgets are styled, and styles all of them again for the change: a tenth of a start's CPU for
the main screen. Given up front, that resize changes no class and restyles nothing.
"""

from __future__ import annotations

from typing import Any, TypeVar

from textual.geometry import Size
from textual.screen import Screen

ResultType = TypeVar("ResultType")


def breakpoint_classes(screen: Screen[Any], size: Size) -> list[str]:
    """For each dimension, the class of the widest breakpoint that fits (the screen's breakpoints,
    or else the app's), as Textual picks it."""
    app = screen.app
    horizontal = app.HORIZONTAL_BREAKPOINTS if screen.HORIZONTAL_BREAKPOINTS is None else screen.HORIZONTAL_BREAKPOINTS
    vertical = app.VERTICAL_BREAKPOINTS if screen.VERTICAL_BREAKPOINTS is None else screen.VERTICAL_BREAKPOINTS
    picked = []
    for dimension, breakpoints in ((size.width, horizontal), (size.height, vertical)):
        fitting = [(edge, name) for edge, name in breakpoints or [] if dimension >= edge]
        if fitting:
            picked.append(max(fitting)[1])
    return picked


class FittedScreen(Screen[ResultType]):
    """Made in the app (a message handler, compose), so it knows the app and the terminal's size."""

    def __init__(self) -> None:
        super().__init__()
        self.add_class(*breakpoint_classes(self, self.app.size))
