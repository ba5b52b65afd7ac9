"""`aoad-tui serve`: the app for anyone with an SSH client (the `serve` extra: asyncssh).

- server.py: the SSH server (asyncssh): the listener, the sessions' memory, draining.
- connection.py: one SSH connection: its limits and who it is (the key that completed auth).
- ssh_session.py: one SSH session: what the client asks for, checked; the app or a command started.
- pump.py, lifetime.py, log.py: a session's bytes (output out, keys in at a pace), its limits in time
  and its end, the log's lines; none of them knows SSH (host.py: what a session asks of the server).
- spawn.py: starting a session's process in its pseudo-terminal: forked from a zygote (zygote.py)
  that has the app imported and the knowledge loaded, or a fresh interpreter (`--spawn exec`).
- session.py: what runs in a session's process: the app, or an allowed command, for one user.
- people.py, rules.py, hostkey.py: where a user's data lives, what a client may ask for, the host key.

Only server.py, connection.py, ssh_session.py and hostkey.py import asyncssh; a session's process
never does.
"""

import warnings

# cryptography warns, once per DSA name asyncssh's import touches, that DSA is deprecated: ten lines
# on the server's log at every start, about keys this server neither has nor accepts.
warnings.filterwarnings("ignore", message=r"(?s).*\bDSA\b", module=r"asyncssh(\.|$)")
