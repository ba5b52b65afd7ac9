"""Every test under tests/e2e/ is marked `e2e`: `pytest -m "not e2e"` runs the rest in under a
minute, `pytest -m e2e` only these. They launch the installed command (in subprocesses, in a real
pseudo-terminal, over a throwaway sshd), so they are slow and need the console script.

They are also one xdist group: under pytest-xdist (pyproject's addopts) they run on one worker,
one after another as without xdist, while the other workers take the unit and app tests. A pty or
ssh test waits for the output to go quiet; two of them at once on two CPUs would race for them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker, and before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group("e2e"))
