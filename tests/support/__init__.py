"""What the tests and the benchmarks share. Not tests: pytest collects nothing here.

- isolation.py   the app's own data, cache, config and state directories for a run
- ptyharness.py  a command in a real pseudo-terminal, mirrored into a pyte screen
- sshd.py        a throwaway OpenSSH server on loopback, and the `ssh -tt` line that reaches it
- screens.py     what the installed aoad-tui shows in a terminal (pyte cells, the first frame)
- helpers.py     the app under Textual's Pilot: a factory with today pinned, screen text
- knowledge.py   a knowledge base changed for a test (other articles, other people)

Only helpers.py imports Textual or the app; the others are the standard library plus pyte and
ptyprocess, so that the benchmarks can import them without paying for (or depending on) either.

One way in for everybody: `tests/` is on sys.path and this package is imported as `support`
(`from support.ptyharness import PtyApp`). pytest puts it there from pyproject.toml
(`pythonpath = ["tests"]`); a benchmark, run as `python tests/bench/NAME.py`, does it once at its
top with `sys.path.insert(0, str(Path(__file__).resolve().parents[1]))`.
"""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
"""The tests/ directory."""
REPO = TESTS.parent
"""The repository's root."""
DATA = TESTS / "data"
"""The test data: seeds directories and bookmarks files named for what is wrong with them."""
