"""A focusable scrolling container that also moves with j and k."""

from __future__ import annotations

from textual.actions import SkipAction
from textual.containers import VerticalScroll

from aoad_tui.keys import SCROLL


class KeyScroll(VerticalScroll, can_focus=True):
    BINDINGS = [*SCROLL]

    # At once, not after the next refresh: a deferred scroll starts from where the one before has
    # not gone yet, so a burst of ten j (a held key repeating) moved one line, not ten.
    def action_scroll_down(self) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_down(animate=False, immediate=True)

    def action_scroll_up(self) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_up(animate=False, immediate=True)
