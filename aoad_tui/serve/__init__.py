"""`aoad-tui serve`: the app for anyone with an SSH client (the `serve` extra: asyncssh).

- server.py: the SSH server (asyncssh): who is who, what is allowed, the limits, the log, draining.
- spawn.py: starting a session's process in its pseudo-terminal: forked from a zygote (zygote.py)
  that has the app imported and the knowledge loaded, or a fresh interpreter (`--spawn exec`).
- session.py: what runs in a session's process: the app, or an allowed command, for one user.
- people.py, rules.py, hostkey.py: where a user's data lives, what a client may ask for, the host key.

Only server.py and hostkey.py import asyncssh; a session's process never does.
"""

import warnings

# cryptography warns, once per DSA name asyncssh's import touches, that DSA is deprecated: ten lines
# on the server's log at every start, about keys this server neither has nor accepts.
warnings.filterwarnings("ignore", message=r"(?s).*\bDSA\b", module=r"asyncssh(\.|$)")
