"""What runs in a session's process, forked from the zygote or started fresh (spawn.py): it becomes
the leader of a new session whose controlling terminal is its pty (so a resize arrives as SIGWINCH
and a dropped connection as SIGHUP), takes the environment the server built (never the client's
own), and runs the app or an allowed command for one user."""

from __future__ import annotations

import codecs
import contextlib
import fcntl
import json
import os
import resource
import signal
import sys
import termios
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aoad_tui.model.entries import KnowledgeBase


REQUEST_ENV = "AOAD_TUI_SESSION"
SESSION_FAILED = 70  # the exit code of a session that raised (EX_SOFTWARE): its traceback is in a file


@dataclass(frozen=True)
class SessionRequest:
    """Everything a session's process is told; JSON between the server and the zygote."""

    data_dir: str  # the user's data (bookmarks, seen.json, settings.toml)
    env: dict[str, str] = field(default_factory=dict)
    command: list[str] = field(default_factory=list)  # an allowed CLI command; empty for the app
    guest: bool = False
    name: str = ""  # the SSH user name (shown, never trusted)
    key: str = ""  # the fingerprint of the user's key
    memory: int = 0  # MiB of data the process may hold (0: no limit)
    warning: str = ""  # what the app says before the idle limit (served.Served)
    length_warning: str = ""  # and before the length limit
    tracebacks: str = ""  # the file a failure's traceback is appended to (the server logs its name)
    via: str = "ssh"  # or "web": a browser
    links: str = ""  # where link codes go (the server's root), when it also serves browsers

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> SessionRequest:
        return cls(**json.loads(text))


def become_session(stdio: tuple[int, int, int]) -> None:
    """In the new process: a session of its own, the pty (if stdin is one) as its controlling
    terminal, and stdio on the given descriptors."""
    if os.getsid(0) != os.getpid():  # a fresh interpreter was started in a new session already
        os.setsid()
    for target, fd in enumerate(stdio):
        if fd != target:
            os.dup2(fd, target)
    if os.isatty(0):
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    for fd in set(stdio):
        if fd > 2:
            os.close(fd)
    for number in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
        signal.signal(number, signal.SIG_DFL)
    # The server's warnings may come before the app listens for them (a length limit shorter than
    # the warning): until then they are ignored, never the end of the session.
    for number in (signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(number, signal.SIG_IGN)


def take_environment(env: dict[str, str]) -> None:
    """The server's environment for this session, and stdio that match it: a forked child's
    streams are the zygote's, made for other descriptors and another locale."""
    os.environ.clear()
    os.environ.update(env)
    encoding = locale_encoding(env)
    streams = {
        "stdin": open(0, encoding=encoding, errors="surrogateescape", closefd=False),  # noqa: SIM115
        "stdout": open(1, "w", encoding=encoding, closefd=False),  # noqa: SIM115
        "stderr": open(2, "w", encoding=encoding, errors="backslashreplace", closefd=False),  # noqa: SIM115
    }
    for name, stream in streams.items():  # Textual draws to sys.__stderr__
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def locale_encoding(env: dict[str, str]) -> str:
    """The character set the client's locale names (en_US.ISO-8859-1); UTF-8 when it names none,
    as Python itself does in the C locale."""
    chosen = env.get("LC_ALL") or env.get("LC_CTYPE") or env.get("LANG") or ""
    charset = chosen.partition(".")[2].partition("@")[0]
    if not charset:
        return "utf-8"
    try:
        "aé".encode(charset, errors="replace").decode(charset)  # a text encoding, not base64 or zlib
        return codecs.lookup(charset).name
    except (LookupError, ValueError, TypeError):
        return "utf-8"


def append_traceback(path: Path, error: BaseException) -> None:
    """The whole traceback of `error`, appended to `path` (made for its owner alone; never
    through a symlink)."""
    text = f"--- pid {os.getpid()}\n{''.join(traceback.format_exception(error))}"
    data = memoryview(text.encode("utf-8", errors="backslashreplace"))
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:  # unbuffered, one write: through a buffered file it was sometimes all written twice
        while data:
            data = data[os.write(fd, data) :]
    finally:
        os.close(fd)


def run_guarded(request: SessionRequest, stdio: tuple[int, int, int], knowledge: KnowledgeBase | None) -> None:
    """The session in this new process, then out. A failure never shows its traceback on the
    user's screen or the server's log: the traceback goes to request.tracebacks, the user is told
    in one line, and the exit code (SESSION_FAILED) has the server log one line."""
    code = 1
    try:
        become_session(stdio)
        code = run(request, knowledge)
    except BaseException as error:
        code = SESSION_FAILED
        with contextlib.suppress(Exception):
            _, hard = resource.getrlimit(resource.RLIMIT_DATA)
            resource.setrlimit(resource.RLIMIT_DATA, (hard, hard))  # a MemoryError's traceback needs memory too
        with contextlib.suppress(Exception):
            append_traceback(Path(request.tracebacks or os.devnull), error)
        with contextlib.suppress(OSError):
            os.write(2, b"\r\naoad-tui: this session failed; the server's log says why.\r\n")
    finally:
        finish(code)


def run(request: SessionRequest, knowledge: KnowledgeBase | None) -> int:
    """The app for this user (with the knowledge the zygote loaded, if any), or the command."""
    take_environment(request.env)
    os.umask(0o077)  # a user's files are theirs alone on the server
    Path(request.data_dir).mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chdir(request.data_dir)  # not the operator's directory, which the server started in
    if request.memory:  # a client flooding the app with keys meets this, not the machine's memory
        # The soft limit only: run_guarded lifts it again to write down why the session failed.
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        limit = request.memory << 20 if hard == resource.RLIM_INFINITY else min(request.memory << 20, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    from aoad_tui.cli import run
    from aoad_tui.hosted import EarlySigterm, Served
    from aoad_tui.launch import Loaded, load_for_app, run_app

    if request.command:
        try:
            return run(request.command)
        except SystemExit as done:  # argparse: --help, or a usage error (already said)
            return done.code if isinstance(done.code, int) else 0 if done.code is None else 1
    EarlySigterm.listen()
    # A fresh interpreter: the cache the server made, else the seeds.
    loaded = Loaded(knowledge, Path()) if knowledge is not None else load_for_app()
    if loaded is None:
        return 2
    served = Served(
        guest=request.guest,
        name=request.name,
        key=request.key,
        warning=request.warning or Served.warning,
        length_warning=request.length_warning or Served.length_warning,
        via=request.via,
        links=request.links,
    )
    return run_app(loaded, Path(request.data_dir), served=served)


def finish(code: int) -> None:
    """Leave at once (the knowledge base is not freed object by object), output flushed."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def main() -> None:
    """A fresh interpreter's session (`--spawn exec`): the request comes in the environment (a
    command line is anyone's to read in ps; the session's own environment replaces it at once)."""
    request = SessionRequest.from_json(os.environ[REQUEST_ENV])
    run_guarded(request, (0, 1, 2), None)


if __name__ == "__main__":
    main()
