"""`aoad-tui serve`'s options: the command line's parser adds them (cli.py), serve/cli.py reads
them into ServeOptions, what the server runs with. Nothing here imports the server, so the parser
never reaches it."""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path

from aoad_tui.serve.limits import Limits

SPAWN_MODES = ("fork", "exec")

DURATION = re.compile(r"(\d+(?:\.\d+)?)([smh]?)")
HOST_KEY = "ssh_host_ed25519_key"


def duration(text: str) -> float:
    """Seconds from 90, 90s, 30m or 12h."""
    match = DURATION.fullmatch(text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (say 90s, 30m or 12h)")
    return float(match[1]) * {"": 1, "s": 1, "m": 60, "h": 3600}[match[2]]


def host_and_port(text: str) -> tuple[str, int]:
    """("127.0.0.1", 8080) from 127.0.0.1:8080 ([::1]:8080 for IPv6; :8080 for every address)."""
    host, _, port = text.rpartition(":")
    if not port.isdigit() or not 0 <= int(port) < 65536:
        raise argparse.ArgumentTypeError(f"not HOST:PORT: {text!r} (say 127.0.0.1:8080)")
    return host.strip("[]"), int(port)


def ip_address(text: str) -> str:
    import ipaddress

    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an IP address: {text!r}") from None


def count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a positive number: {text!r}")
    return value


LIMIT_OPTIONS: list[tuple[str, str, object, str]] = [
    ("--max-sessions", "sessions", count, "sessions at once, everyone together"),
    ("--max-per-user", "per_user", count, "sessions at once of one user"),
    ("--max-per-address", "per_address", count, "connections at once from one address"),
    ("--max-per-minute", "per_address_per_minute", count, "new connections from one address in a minute"),
    ("--max-logging-in", "unauthenticated", count, "connections still logging in, at once"),
    ("--max-logging-in-per-address", "logging_in_per_address", count, "of those, from one address"),
    ("--max-starting", "starting", count, "sessions starting at once (the rest wait in line)"),
    ("--login-timeout", "login_timeout", duration, "time to log in"),
    ("--idle-timeout", "idle", duration, "end a session after this long without a key (0: never)"),
    ("--max-length", "length", duration, "the longest a session may last (0: no limit)"),
    ("--warning", "warning", duration, "how long before those two the app warns"),
    ("--max-memory", "memory", count, "MiB of data a session's process may hold"),
    ("--max-total-memory", "total_memory", count, "MiB all sessions together may use (default: 3/4 of the machine)"),
]


def add_serve_parser(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    serve = commands.add_parser(
        "serve",
        parents=[common],
        help="serve the app over SSH to anyone with an SSH client (needs aoad-tui[serve])",
        description="Serve the app over SSH: `ssh -p PORT host` gets the whole app, with the user's own "
        "bookmarks (by SSH key). --data-dir holds the host key and every user's data "
        "(default: a 'serve' folder in the user data dir).",
    )
    serve.add_argument("--port", type=int, default=2222, help="port to listen on (default 2222)")
    serve.add_argument(
        "--web", metavar="HOST:PORT", type=host_and_port,
        help="also serve the app to browsers there (needs aoad-tui[web]), e.g. 127.0.0.1:8080",
    )  # fmt: skip
    serve.add_argument("--web-only", action="store_true", help="serve browsers only (with --web): no SSH listener")
    serve.add_argument(
        "--trusted-proxy", metavar="ADDRESS", action="append", default=[], type=ip_address,
        help="a reverse proxy whose X-Forwarded-For and X-Forwarded-Proto are believed (repeatable)",
    )  # fmt: skip
    serve.add_argument("--host", default="", help="address to listen on (default: every address)")
    serve.add_argument("--host-key", metavar="PATH", help=f"the host key (default: DATA_DIR/{HOST_KEY}; made once)")
    serve.add_argument("--fingerprint", action="store_true", help="print the host key's fingerprint and exit")
    serve.add_argument(
        "--debug-log", metavar="PATH",
        help="where a failure's whole traceback goes; the log names it in one line (default: DATA_DIR/debug.log)",
    )  # fmt: skip
    serve.add_argument(
        "--spawn", choices=SPAWN_MODES, default="fork",
        help="fork each session from a preloaded process (default), or start a fresh interpreter",
    )  # fmt: skip
    serve.add_argument(
        "--no-truecolor", action="store_true",
        help="do not tell the app the client has 24-bit colour when the client does not say (OpenSSH never does)",
    )  # fmt: skip
    defaults = Limits()
    for option, name, kind, text in LIMIT_OPTIONS:
        default = "" if "default:" in text else f" (default {getattr(defaults, name):g})"
        serve.add_argument(option, dest=f"limit_{name}", type=kind, metavar="N", help=f"{text}{default}")


def limits_of(args: argparse.Namespace) -> Limits:
    given = {name: getattr(args, f"limit_{name}") for _, name, _, _ in LIMIT_OPTIONS}
    return Limits(**{name: value for name, value in given.items() if value is not None})


@dataclass(frozen=True)
class ServeOptions:
    """What the server runs with."""

    root: Path  # the server's data: host key, users' data, guests, the knowledge cache
    host_key: Path
    seeds: Path
    host: str = ""
    port: int = 2222
    spawn: str = "fork"
    truecolor: bool = True
    limits: Limits = field(default_factory=Limits)
    debug_log: Path | None = None  # where whole tracebacks go (the log names it); None: root/debug.log
    web: tuple[str, int] | None = None  # where browsers are served (--web HOST:PORT); None: not
    ssh: bool = True  # the SSH listener (--web-only: none)
    trusted_proxies: tuple[str, ...] = ()  # whose X-Forwarded-For and -Proto are believed

    @property
    def cache(self) -> Path:
        """The knowledge cache every session reads (as XDG_CACHE_HOME)."""
        return self.root / "cache"

    @property
    def tracebacks(self) -> Path:
        return self.debug_log or self.root / "debug.log"
