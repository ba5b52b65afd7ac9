"""End to end: the installed `aoad-tui` with a 10 MB source article (generated here, never
committed) opens the Source tab, shows the passage an entry cites near the article's end, and quits,
each well within bounds that only a regression crosses (this took about 80 s and 4.5 GB before the
Source view was built a window at a time; now well under a second: tests/bench/bench_scale.py)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from support.packs import LAST_WORDS_START, with_long_article
from support.ptyharness import PtyApp, terminal_env

from aoad_tui.model.paths import bundled_seeds

SCRIPT = Path(sys.executable).parent / "aoad-tui"
BOUND = 15.0  # seconds for each step: generous, for a busy machine
RSS_BOUND_MIB = 600

pytestmark = pytest.mark.skipif(
    not SCRIPT.exists(), reason=f"the aoad-tui console script is not installed next to {sys.executable}"
)


def test_a_ten_megabyte_article_opens_shows_a_late_passage_and_quits(tmp_path: Path) -> None:
    seeds = with_long_article(bundled_seeds(), tmp_path / "seeds", 10.0)
    assert (seeds / "900_transcript.txt").stat().st_size > 10_000_000
    with PtyApp([str(SCRIPT), "--seeds", str(seeds)], terminal_env(isolated=tmp_path)) as app:
        assert app.wait_for("Overview", "Quit", timeout=BOUND) is not None, app.text()
        app.settle()
        start = app.now()
        app.press("6")
        assert app.wait_for("A long transcript", timeout=BOUND) is not None, app.text()
        opened = app.now() - start
        app.settle()
        app.press("1")
        assert app.wait_for("Season 2:", timeout=BOUND) is not None, app.text()
        app.settle()
        app.press("end")  # the last fact of the Overview: the one citing the transcript's end
        assert app.wait_for("zebra lanterns", timeout=BOUND) is not None, app.text()
        app.settle()
        start = app.now()
        app.press("s")
        assert app.wait_for(LAST_WORDS_START, timeout=BOUND) is not None, app.text()
        shown = app.now() - start
        app.settle()
        rss = (app.peak_rss_kib() or 0) / 1024
        start_quit = time.monotonic()
        app.press("ctrl+q")
        assert app.wait_exit(timeout=BOUND) == 0
        quit_s = time.monotonic() - start_quit
    assert opened < BOUND and shown < BOUND and quit_s < BOUND  # (wait_for's bounds, said once more)
    assert rss < RSS_BOUND_MIB, f"peak RSS {rss:.0f} MiB"
