"""aoad-tui with its wire turned off, as it runs on a Textual that lacks what the wire reads: the
code a `python -c` runs before the app (App._display given another signature, so that the wire
turns itself off at import and the app writes exactly what Textual writes)."""

from __future__ import annotations

import sys

WIRE_TURNED_OFF = (
    "from textual.app import App\n"
    "real = App._display\n"
    "App._display = lambda self, screen, renderable, more=None: real(self, screen, renderable)\n"
)


def wire_off_argv(breakage: str = WIRE_TURNED_OFF) -> list[str]:
    """The command that runs the installed aoad-tui after `breakage`."""
    code = f"{breakage}import sys\nfrom aoad_tui.__main__ import main\nsys.exit(main())\n"
    return [sys.executable, "-c", code]
