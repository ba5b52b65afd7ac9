"""A footer that rebuilds only when the keys it shows change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class QuietFooter(Footer):
    """Textual's Footer rebuilds all its keys on every focus change, a full row of output each
    time; most focus changes (a tab switch, a list move) leave the shown keys as they were."""

    shown: tuple[tuple[str, str, bool], ...] | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        shown = tuple(
            (binding.key, binding.description, enabled)
            for _, binding, enabled, _ in screen.active_bindings.values()
            if binding.show
        )
        if shown == self.shown:
            return
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.shown = shown  # remembered only when the footer really rebuilds
        super().bindings_changed(screen)
