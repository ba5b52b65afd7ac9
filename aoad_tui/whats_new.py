"""What is new since the last visit, as the UI sees it: the news worked out at start, the markers
every list shows (a Signal, as marks.py does for bookmarks), and the one action that marks
everything as seen. What was new at the start of a visit stays marked for the whole visit."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.dom import DOMNode
from textual.signal import Signal

from aoad_tui.model.visits import News


class WhatsNew:
    def __init__(self, app: App[None], news: News) -> None:
        self.app = app
        self.news = news
        self.changed: Signal[News] = Signal(app, "news-changed")

    def follow(self, node: DOMNode, show: Callable[[News], object]) -> None:
        """Show the news now, and again when it changes (for as long as `node` is mounted)."""
        self.changed.subscribe(node, show)
        show(self.news)

    def mark_all_seen(self) -> int:
        """Drop every marker (what this visit remembers is already what it shows), and say how
        many went (What's new's `a` and the command palette both come here)."""
        count = len(self.news.changes) + len(self.news.removed)
        if count:
            self.news = News(self.news.since)
            self.changed.publish(self.news)
        self.app.notify(f"Marked {count} as seen." if count else "Nothing new to mark.", timeout=3, markup=False)
        return count
