"""What the app does differently when `aoad-tui serve` runs it for someone over SSH (serve/).

The session runs on the server's machine, not the user's: nothing the user does may reach that
machine beyond their own data. The app therefore neither suspends (ctrl+z would stop a process no
shell will continue), nor opens URLs or programs (Python's webbrowser runs a text browser in the
terminal: a shell escape), nor writes files (Textual's screenshot command writes to the working
directory). The server talks to the app by signals: SIGUSR1 a minute before the idle limit ends
the session, SIGUSR2 a minute before its length limit does (the app warns), SIGTERM to end it now
(the app quits cleanly).
"""

from __future__ import annotations

import signal
from dataclasses import dataclass


@dataclass(frozen=True)
class Served:
    """How this session is served."""

    guest: bool = False  # no SSH key: bookmarks last for this session only
    name: str = ""  # the SSH user name the client gave: shown, never trusted
    key: str = ""  # the fingerprint of the key the user logged in with: who they are here
    warning: str = "This session ends in a minute unless you press a key."  # idle
    length_warning: str = "This session reaches its time limit in a minute: connect again to go on."


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


def welcome(served: Served) -> str:
    """What a user is told as the app starts: who the server takes them for."""
    if served.guest:
        return GUEST_NOTICE
    return f"Your bookmarks here go with your SSH key {served.key} (the user name {served.name!r} is not used)."


NOT_HERE = "Not on a shared server: this session runs on someone else's machine."
