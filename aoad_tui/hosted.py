"""The app's ways out to the machine it runs on, in one place: on the user's own machine it
suspends to the shell, opens links and saves files (a screenshot into the data directory).

Served by `aoad-tui serve` (serve/) for someone over SSH, the session runs on the server's machine,
not the user's: nothing the user does may reach that machine beyond their own data. The app then
neither suspends (ctrl+z would stop a process no shell will continue), nor opens URLs or programs
(Python's webbrowser runs a text browser in the terminal: a shell escape), nor writes files
(Textual's screenshot command writes to the working directory), and says so. The server talks to
the app by signals: SIGUSR1 a minute before the idle limit ends the session, SIGUSR2 a minute
before its length limit does (the app warns), SIGTERM to end it now (the app quits cleanly).
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import SystemCommand
from textual.screen import Screen

from aoad_tui.model.inert import inert_line
from aoad_tui.model.paths import display_path
from aoad_tui.wire import ChangesOnlyApp


@dataclass(frozen=True)
class Served:
    """How this session is served."""

    guest: bool = False  # no SSH key: bookmarks last for this session only
    name: str = ""  # the SSH user name the client gave: shown, never trusted
    key: str = ""  # the fingerprint of the key the user logged in with: who they are here
    warning: str = "This session ends in a minute unless you press a key."  # idle
    length_warning: str = "This session reaches its time limit in a minute: connect again to go on."
    via: str = "ssh"  # or "web": a browser, named by a cookie
    links: str = ""  # where a code that links a browser to this SSH key goes ("": no browsers served)


GUEST_NOTICE = (
    "You are a guest (no SSH key): bookmarks last for this session only. To keep them, make a key "
    "(ssh-keygen -t ed25519) and connect with it."
)


class EarlySigterm:
    """The server's SIGTERM before the app listens for it (it may come while the app starts)."""

    received = False

    @classmethod
    def listen(cls) -> None:
        """Until the app's own handler takes over: noted, for the app to quit once it is up (quit
        halfway through its start, Textual reports an error on the user's screen)."""
        signal.signal(signal.SIGTERM, lambda *_: setattr(cls, "received", True))


BROWSER_GUEST_NOTICE = (
    "You are a guest (this browser keeps no cookie): bookmarks last for this session only. Allow "
    "cookies for this site to keep them."
)
BROWSER_NOTICE = (
    "Your bookmarks here stay with this browser. To have your SSH key's here instead: over SSH, "
    "ctrl+p then 'Link a browser' gives a code to type under 'Link to SSH key' on this page."
)


def welcome(served: Served) -> str:
    """What a user is told as the app starts: who the server takes them for."""
    if served.via == "web":
        return BROWSER_GUEST_NOTICE if served.guest else BROWSER_NOTICE
    if served.guest:
        return GUEST_NOTICE
    return f"Your bookmarks here go with your SSH key {served.key} (the user name {served.name!r} is not used)."


NOT_HERE = "Not on a shared server: this session runs on someone else's machine."


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
        """Served over SSH: the server's signals (see above), and a guest told what they have."""
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
        served = self.served
        if served is not None and served.links and served.via == "ssh" and not served.guest:
            yield SystemCommand("Link a browser", "A code that gives a browser your bookmarks here", self.link_browser)

    def link_browser(self) -> None:
        """A one-time code that makes a browser this SSH key's user (serve/browsers.py)."""
        from aoad_tui.serve.browsers import CODE_LIFETIME, make_code
        from aoad_tui.serve.people import user_id

        served = self.served
        if served is None or not served.links:
            return
        try:
            code = make_code(Path(served.links), user_id(served.key))
        except OSError as error:
            self.notify(f"No code: {error.strerror or error}", title="Link a browser", severity="error")
            return
        minutes = int(CODE_LIFETIME // 60)
        self.notify(
            f"Type {code} under 'Link to SSH key' on this server's web page, within {minutes} minutes.",
            title="Link a browser",
            timeout=CODE_LIFETIME,
            markup=False,
        )
