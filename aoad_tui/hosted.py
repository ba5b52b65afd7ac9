"""The app's ways out to the machine it runs on, in one place: on the user's own machine it
suspends to the shell, opens links and saves files (a screenshot into the data directory); served
by `aoad-tui serve` (served.py says why) it does none of these and says so, and it listens to the
server's signals instead."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import SystemCommand
from textual.screen import Screen

from aoad_tui.model.inert import inert_line
from aoad_tui.model.paths import display_path
from aoad_tui.served import NOT_HERE, EarlySigterm, Served, welcome
from aoad_tui.wire import ChangesOnlyApp

# Seconds after the first frame (after a crowd connecting at once has its first frames) before a
# served session is told who the server takes its user for.
WELCOME_DELAY = 3.0


def over_ssh() -> bool:
    return bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))


class HostedApp(ChangesOnlyApp):
    """What AoadApp does on the machine it runs on; `served` is None on the user's own."""

    served: Served | None = None
    data_dir: Path

    quiet_terminal = False  # no blinking cursor: over SSH, an idle screen writes nothing

    def calm_terminal(self) -> None:
        """No animation frames (a tab switch's underline alone writes ~7 KB), and over SSH no
        blinking cursor either. TEXTUAL_ANIMATIONS still wins."""
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            self.animation_level = "none"
            self.quiet_terminal = self.served is not None or over_ssh()

    def refused(self, title: str) -> bool:
        """Served: what `title` asks would happen on the server's machine; said, and not done."""
        if self.served is None:
            return False
        self.notify(NOT_HERE, title=title, severity="warning", markup=False)
        return True

    # --- the server's signals ---------------------------------------------------------------------

    up_for_server = False  # served: the first frame is out, quitting is safe
    quit_asked = False  # the server's SIGTERM came: quit once up

    def listen_to_server(self, served: Served) -> None:
        """Served over SSH: the server's signals (served.py), and a guest told what they have."""
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, self.quit_for_server)
        self.quit_asked = EarlySigterm.received  # (before this handler; none can come there now)
        self.after_first_frame(self.started_for_server)
        for number, warning in ((signal.SIGUSR1, served.warning), (signal.SIGUSR2, served.length_warning)):
            loop.add_signal_handler(
                number, partial(self.notify, warning, title="Still there?", timeout=55, markup=False)
            )
        # A moment after the first frame (counted from it, however long a loaded server took), not
        # in it: that frame stays as small and quick as the local app's.
        title, timeout = ("Guest", 20) if served.guest else ("Welcome", 8)
        say = partial(self.notify, inert_line(welcome(served)), title=title, timeout=timeout, markup=False)
        self.after_first_frame(partial(self.set_timer, WELCOME_DELAY, say))

    def quit_for_server(self) -> None:
        """The server ends the session: quit, once the app is up (see served.EarlySigterm)."""
        self.quit_asked = True
        if self.up_for_server:
            self.exit()

    def started_for_server(self) -> None:
        self.up_for_server = True
        if self.quit_asked:
            self.exit()

    # --- ways out ---------------------------------------------------------------------------------

    def action_suspend_process(self) -> None:
        if self.refused("ctrl+z"):
            return
        # Started without a shell that does job control (`ssh -t host aoad-tui`, say), the app
        # leads its own session: stopped, nothing would ever continue it. (Windows has no
        # sessions, and there Textual's suspend does nothing.)
        if hasattr(os, "getsid") and os.getsid(0) == os.getpgrp():
            self.notify("No shell to go back to: aoad-tui was started without one.", title="ctrl+z")
            return
        super().action_suspend_process()

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        if not self.refused("Open"):
            super().open_url(url, new_tab=new_tab)

    # Every file Textual writes (the palette's Screenshot, say) goes through these two: served, that
    # file would land on the server's machine.
    def deliver_text(self, *args: Any, **kwargs: Any) -> str | None:
        return None if self.refused("Save") else super().deliver_text(*args, **kwargs)

    def deliver_binary(self, *args: Any, **kwargs: Any) -> str | None:
        return None if self.refused("Save") else super().deliver_binary(*args, **kwargs)

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """The palette's Screenshot: into DATA_DIR/screenshots, made if missing (Textual's default,
        ~/Downloads, is missing on many accounts: "Failed to save screenshot")."""
        if path is None and self.served is None:
            folder = self.data_dir / "screenshots"
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                self.notify(
                    f"Cannot make {display_path(folder)}: {error.strerror}", title="Screenshot", severity="error"
                )
                return None
            path = str(folder)
        return super().deliver_screenshot(filename, path, time_format)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            # Served, a screenshot would be saved on the server's machine: not offered (and refused).
            if self.served is None or command.title != "Screenshot":
                yield command
