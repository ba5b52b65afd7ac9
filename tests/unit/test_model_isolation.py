"""aoad_tui.model is plain Python: none of its modules may import textual (nor pull it in by way
of another module), so that the command line's check and search answer at once."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import aoad_tui.model

# Subprocesses start here: `python -c` imports from its working directory, and this one holds
# no aoad_tui, so they import the installed package, as the tests do.
HERE = Path(__file__).resolve().parent

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(aoad_tui.model.__path__, prefix=f"{aoad_tui.model.__name__}.")
)


def test_the_model_has_modules() -> None:
    assert {"aoad_tui.model.entries", "aoad_tui.model.loader", "aoad_tui.model.yamlfile"} <= set(MODULES)


def test_no_model_module_imports_textual() -> None:
    """Every module, each in a fresh interpreter so that one cannot hide what another imports."""
    code = (
        "import importlib, sys\n"
        "name = sys.argv[1]\n"
        "importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(' '.join(leaked) or 'clean')\n"
    )
    failures = []
    for name in MODULES:
        result = subprocess.run(
            [sys.executable, "-c", code, name], capture_output=True, text=True, timeout=60, check=False, cwd=HERE
        )
        if result.returncode != 0:
            failures.append(f"{name}: import failed:\n{result.stderr}")
        elif result.stdout.strip() != "clean":
            failures.append(f"{name} imports {result.stdout.strip()}")
    assert not failures, "\n".join(failures)


def test_all_model_modules_together_do_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "assert 'textual' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False, cwd=HERE
    )
    assert result.returncode == 0, result.stderr
