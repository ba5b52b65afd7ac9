"""No test and no benchmark writes under the user's home: every run gets data, cache and config
directories of its own from one helper, isolated_env (tests/support/isolation.py).

The runs below start with HOME at an empty folder and no XDG_ or AOAD_TUI_ variable but the ones
the helper sets, and that folder must still be empty afterwards. HOME stays writable: the tests run
as root, which ignores permissions, and for anyone else a read-only HOME would only make the app's
cache write fail quietly, hiding the very leak this looks for.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest
from support import REPO
from support.isolation import files_under, isolated_env
from support.ptyharness import PtyApp, terminal_env
from support.screens import FIRST_FRAME, SCRIPT

from aoad_tui.model.paths import APP_NAME, data_dir, knowledge_cache

BENCH_STARTUP = REPO / "tests" / "bench" / "bench_startup.py"

needs_script = pytest.mark.skipif(
    not SCRIPT.exists(), reason=f"the aoad-tui console script is not installed next to {sys.executable}"
)


def bare_home(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """HOME at `home` (made, empty), and no XDG_ or AOAD_TUI_ variable left in this process."""
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in list(os.environ):
        if name.startswith(("XDG_", "AOAD_TUI_")):
            monkeypatch.delenv(name)


def test_every_test_gets_its_own_directories(tmp_path: Path) -> None:
    # Set by the autouse fixture in conftest.py, with the same helper as the benchmarks.
    for name in isolated_env(tmp_path):
        assert Path(os.environ[name]).is_relative_to(tmp_path), name
    for path in (
        knowledge_cache(),
        data_dir(),
        platformdirs.user_cache_path(APP_NAME),
        platformdirs.user_config_path(APP_NAME),
        platformdirs.user_data_path(APP_NAME),
        platformdirs.user_state_path(APP_NAME),
    ):
        assert path.is_relative_to(tmp_path), path


def test_the_harness_refuses_to_start_a_child_in_the_users_directories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare_home(tmp_path / "home", monkeypatch)
    with pytest.raises(ValueError, match="XDG_CACHE_HOME"):
        terminal_env()
    assert terminal_env(isolated=tmp_path / "run")["XDG_CACHE_HOME"].startswith(str(tmp_path / "run"))


@needs_script
def test_an_app_session_writes_nothing_under_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    bare_home(home, monkeypatch)
    root = tmp_path / "run"
    with PtyApp([str(SCRIPT)], terminal_env(isolated=root), cwd=tmp_path) as app:
        app.wait_settled(*FIRST_FRAME, timeout=15)
        app.quit_cleanly(timeout=15)  # a cold start writes the knowledge cache as it quits
    assert files_under(home) == {}
    assert files_under(isolated_env(root)["XDG_CACHE_HOME"]), "the knowledge cache went nowhere"


@needs_script
def test_the_startup_benchmark_writes_nothing_under_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    bare_home(home, monkeypatch)
    run = subprocess.run(
        [sys.executable, str(BENCH_STARTUP), "--runs", "1", "--warmup", "0", "--idle", "0.2"],
        cwd=REPO,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert run.returncode == 0, f"{run.stdout}\n{run.stderr}"
    assert "cold start's first frame" in run.stdout
    assert files_under(home) == {}
