"""`aoad-tui serve`: its options, and starting the server. Imports asyncssh only to run it, so that
`aoad-tui --help` works without the `serve` extra."""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import stat
import sys
from pathlib import Path

from aoad_tui.serve.options import HOST_KEY, ServeOptions, limits_of


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


def run_serve(args: argparse.Namespace) -> int:
    try:
        import asyncssh  # noqa: F401
    except ImportError:
        print("aoad-tui serve needs the serve extra: pip install 'aoad-tui[serve]'", file=sys.stderr)
        return 2
    if args.web_only and args.web is None:
        print("aoad-tui serve: --web-only needs --web HOST:PORT", file=sys.stderr)
        return 2
    if args.web is not None:
        try:
            import aiohttp  # noqa: F401
        except ImportError:
            print("aoad-tui serve --web needs the web extra: pip install 'aoad-tui[web]'", file=sys.stderr)
            return 2
    from aoad_tui.console import inert_output
    from aoad_tui.model.paths import data_dir, display_path, seeds_dir
    from aoad_tui.serve.hostkey import HostKeyError, fingerprint, load_or_create
    from aoad_tui.serve.server import Service

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
        debug_log=debug_log, web=args.web, ssh=not args.web_only, trusted_proxies=tuple(args.trusted_proxy),
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
    from aoad_tui.launch import load_for_app
    from aoad_tui.startup import resume_collector

    os.environ["XDG_CACHE_HOME"] = str(cache)  # where the sessions look (serve/rules.private_env)
    loaded = load_for_app(str(seeds))
    resume_collector()  # paused for the app's first frame: the server has none
    if loaded is None or loaded.knowledge is None:
        return False
    if loaded.write_cache is not None:
        loaded.write_cache(loaded.knowledge)  # written now, if it was stale
    return True
