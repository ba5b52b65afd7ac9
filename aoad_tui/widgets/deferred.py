"""Build and mount a widget when its tab is first shown: like textual.lazy.Lazy, but the widget is not
even made before then (most visits never open most tabs), and it is safe when the app quits first."""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import MountError, Widget


class Deferred(Widget):
    """A placeholder that swaps itself for what `build` makes when its pane is first shown
    (MainScreen.show_tab awaits `reveal`, so that a key pressed next finds the widget)."""

    DEFAULT_CSS = """
    Deferred {
        display: none;
    }
    """

    def __init__(self, build: Callable[[], Widget]) -> None:
        super().__init__()
        self.build = build
        self.revealed = False

    async def reveal(self) -> None:
        parent = self.parent
        if self.revealed or not isinstance(parent, Widget) or not self.is_attached:
            return
        self.revealed = True
        try:
            await parent.mount(self.build(), after=self)
        except MountError:
            return  # the pane went away first: the app is quitting, there is nothing to show
        await self.remove()
