"""What aoad-tui does to show its first frame sooner, in one place (ARCHITECTURE.md measures each).

- The cyclic garbage collector is paused from the command line until the first frame is on the
  screen: importing Textual and building the first screen allocate a few hundred thousand
  objects, and its passes over them cost about a quarter of startup. Then what exists is frozen
  (it lives as long as the app: later passes leave it out) and the collector runs again. The
  loader and the index build pause it again while they run (model/collector.py).
- The validated knowledge base is read from the cache when the seeds have not changed
  (model/cache.py): only what the first frame shows, the rest when first needed. It is written
  in a thread after the first frame. Big seeds with no cache are read in a thread behind a
  screen saying so (screens/reading.py), never on the way to the first frame.
- Hidden tabs are built when first shown (widgets/deferred.py); each screen is made with the
  breakpoint classes its first resize would give it (screens/fitted.py), so that resize restyles
  nothing; the search index is built
  half a second after it, in a thread (widgets/search_pane.py), and frozen too once it is there.
"""

from __future__ import annotations

import gc


def pause_collector() -> None:
    """Until the first frame (the command line calls this before importing the app)."""
    gc.disable()


def resume_collector() -> None:
    """After the first frame: start the collector the command line paused, leaving out what exists."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def freeze_long_lived() -> None:
    """What exists now lives as long as the app (the search index, the whole knowledge base): leave
    it out of the collector's passes. A full pass over a 100,000-entry index stalled a keystroke
    for about 0.3 s."""
    gc.freeze()
