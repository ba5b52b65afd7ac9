"""What the command line prints: inert (model/inert.py), in whatever encoding the terminal has."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from aoad_tui.model.inert import InertWriter, takes_unicode


def ascii_json() -> bool:
    """Whether JSON printed here must be ASCII (\\u escapes): the terminal's encoding lacks characters."""
    return not takes_unicode(getattr(sys.__stdout__, "encoding", None))


@contextmanager
def inert_output() -> Iterator[None]:
    """Everything printed meanwhile arrives inert (model/inert.py), and a character the locale's
    encoding lacks (LC_ALL=C, PYTHONIOENCODING=ascii) is written as `?` rather than crash."""
    streams = sys.stdout, sys.stderr
    for stream in streams:
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
    sys.stdout, sys.stderr = InertWriter(streams[0]), InertWriter(streams[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = streams


def output_gone() -> int:
    """The reader went away (`aoad-tui search x | head`): stop quietly, as other tools do."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 141
