"""`aoad-tui serve`: its options, and starting the server. Imports asyncssh only to run it, so that
`aoad-tui --help` works without the `serve` extra."""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shlex
import stat
import sys
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


def too_open(path: Path) -> str | None:
    """What is wrong with the data directory or the host key, as OpenSSH's StrictModes would see
    it: another account owns it, or others may read or write it (users' bookmarks, the key)."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return None  # a host key not made yet: made mode 0600
    if found.st_uid not in (os.geteuid(), 0):
        return f"{path} belongs to another account (uid {found.st_uid})"
    if found.st_mode & 0o077:
        return f"{path} can be read or written by others (mode {stat.S_IMODE(found.st_mode):04o})"
    return None


def limits_of(args: argparse.Namespace) -> Limits:
    given = {name: getattr(args, f"limit_{name}") for _, name, _, _ in LIMIT_OPTIONS}
    return Limits(**{name: value for name, value in given.items() if value is not None})


def run_serve(args: argparse.Namespace) -> int:
    try:
        import asyncssh  # noqa: F401
    except ImportError:
        print("aoad-tui serve needs the serve extra: pip install 'aoad-tui[serve]'", file=sys.stderr)
        return 2
    from aoad_tui.__main__ import inert_output
    from aoad_tui.model.paths import data_dir, display_path, seeds_dir
    from aoad_tui.serve.hostkey import HostKeyError, fingerprint, load_or_create
    from aoad_tui.serve.server import ServeOptions, Service

    option = getattr(args, "data_dir", None)
    root = (Path(option).expanduser() if option else data_dir() / "serve").resolve()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)  # users' data: the server's account's alone
    host_key = Path(args.host_key).expanduser().resolve() if args.host_key else root / HOST_KEY
    try:
        for path, fix in ((root, "chmod 700"), (host_key, "chmod 600")):
            if problem := too_open(path):
                print(f"aoad-tui serve: {problem}; not starting. Run: {fix} {shlex.quote(str(path))}", file=sys.stderr)
                return 1
        key = load_or_create(host_key)
    except (HostKeyError, OSError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        print(f"aoad-tui serve: {reason}", file=sys.stderr)
        return 1
    if args.fingerprint:
        print(fingerprint(key))
        return 0
    debug_log = Path(args.debug_log).expanduser().resolve() if args.debug_log else root / "debug.log"
    options = ServeOptions(
        root=root, host_key=host_key, seeds=seeds_dir(getattr(args, "seeds", None)).resolve(),
        host=args.host, port=args.port, spawn=args.spawn, truecolor=not args.no_truecolor, limits=limits_of(args),
        debug_log=debug_log,
    )  # fmt: skip
    with inert_output():  # a seeds file's problems quote its text
        if not prepare_knowledge(options.seeds, options.cache):
            return 2
    print(f"aoad-tui serve: {display_path(root)}, host key {fingerprint(key)}", file=sys.stderr)
    from aoad_tui.serve.spawn import SpawnError

    try:
        return asyncio.run(Service(options, key).run())
    except SpawnError as error:
        print(f"aoad-tui serve: {error}; the lines above say why", file=sys.stderr)
        return 1


def prepare_knowledge(seeds: Path, cache: Path) -> bool:
    """Check the seeds once (their problems printed, and then no server) and write the knowledge
    cache every session reads (the zygote once; fresh interpreters each time)."""
    from aoad_tui.__main__ import load_for_app
    from aoad_tui.startup import resume_collector

    os.environ["XDG_CACHE_HOME"] = str(cache)  # where the sessions look (serve/rules.private_env)
    loaded = load_for_app(str(seeds))
    resume_collector()  # paused for the app's first frame: the server has none
    if loaded is None or loaded.knowledge is None:
        return False
    if loaded.keep is not None:
        loaded.keep(loaded.knowledge)  # written now, if it was stale
    return True
