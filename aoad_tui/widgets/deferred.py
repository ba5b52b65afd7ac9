"""Build and mount a widget after the first frame: like textual.lazy.Lazy, but the widget is not even
made before then, and it is safe when the app quits first."""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import MountError, Widget

from aoad_tui.wire import after_first_frame


class Deferred(Widget):
    """A placeholder that swaps itself for what `build` makes once the screen has been painted, or
    sooner when its pane is shown before that (MainScreen.show_tab awaits `reveal`)."""

    DEFAULT_CSS = """
    Deferred {
        display: none;
    }
    """

    def __init__(self, build: Callable[[], Widget]) -> None:
        super().__init__()
        self.build = build
        self.revealed = False

    def on_mount(self) -> None:
        after_first_frame(self.app, self.reveal)

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
