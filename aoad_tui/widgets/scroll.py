"""A focusable scrolling container that also moves with j and k."""

from __future__ import annotations

from textual.containers import VerticalScroll

from aoad_tui.keys import SCROLL


class KeyScroll(VerticalScroll, can_focus=True):
    BINDINGS = [*SCROLL]
