"""The server's log: one line per event on stderr, key=value; a failure's whole traceback in a file
of its own, which its line names; and the line that says a session is over. Nothing here knows SSH:
any way of serving the app writes the same lines."""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from aoad_tui.serve.session import append_traceback

MAX_LOG_VALUE = 200  # characters of a value in the log (a client's name, a refused command)
PLAIN = re.compile(r"[A-Za-z0-9_.:/@+-]+")


def log(event: str, **fields: object) -> None:
    """One line on stderr, key=value, in a stable order: time and event first. Values are cut to
    MAX_LOG_VALUE characters, and quoted (JSON) unless plain: a value never starts a new line."""
    parts = [f"time={datetime.now(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}", f"event={event}"]
    for name, value in fields.items():
        if value is None:
            continue
        text = f"{value:.1f}" if isinstance(value, float) else str(value)
        if len(text) > MAX_LOG_VALUE:
            text = f"{text[:MAX_LOG_VALUE]}... ({len(text)} characters)"
        parts.append(f"{name}={text if PLAIN.fullmatch(text) else json.dumps(text)}")
    print(" ".join(parts), file=sys.stderr, flush=True)


def log_failure(tracebacks: Path, event: str, error: BaseException, **fields: object) -> None:
    """A failure: its whole traceback appended to `tracebacks`, one line in the log naming it."""
    where: object = tracebacks
    try:
        append_traceback(tracebacks, error)
    except OSError as problem:
        where = f"not written: {problem.strerror or problem}"
    log(event, **fields, error=repr(error), traceback=where)


def log_session(
    *,
    client: str,
    user: str | None,
    name: str,
    kind: str,
    term: str | None,
    size: tuple[int, int],
    duration: float,
    end: str,
    code: int,
) -> None:
    """A session's one line once it is over: who (user None: a guest; name: what the client
    called itself), what ran (the app, or which command), on what terminal (None: none), for how
    many seconds, how it ended and its exit code."""
    log(
        "session",
        client=client,
        user=user or "guest",
        name=name,
        kind=kind,
        term=term or "-",
        size=f"{size[0]}x{size[1]}",
        duration=duration,
        end=end,
        code=code,
    )
