"""The search box and its results, and the index they search: built once, off the event loop."""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input
from textual.worker import get_current_worker

from aoad_tui.marks import Bookmarks
from aoad_tui.model.entries import KnowledgeBase
from aoad_tui.widgets.search_results import SearchInput, SearchResults

if TYPE_CHECKING:  # the search engine is imported when the index is built, after the first frame
    from aoad_tui.model.answer import Answer
    from aoad_tui.model.search import Result, SearchIndex

INDEX_DELAY = 0.5  # seconds after start before the search index is built, unless search is used first
SEARCH_HINT = "/ search: type to find anything · ↓ or enter to the results · esc to clear"


class SearchPane(Vertical):
    """Type to search as you type; the results take the place of the tabs while there is a query."""

    class Searching(Message):
        """The pane has a query (its results should show) or has none (the tabs should)."""

        def __init__(self, searching: bool) -> None:
            super().__init__()
            self.searching = searching

    def __init__(self, knowledge: KnowledgeBase, bookmarks: Bookmarks, *, quiet: bool, id: str | None = None) -> None:
        super().__init__(id=id)
        self.knowledge = knowledge
        self.bookmarks = bookmarks
        self.quiet = quiet  # over SSH: no blinking cursor, so that an idle screen sends nothing
        self.index: SearchIndex | None = None
        self.index_started = False

    def compose(self) -> ComposeResult:
        yield SearchResults(self.knowledge, self.bookmarks, id="results")
        search = SearchInput(placeholder=SEARCH_HINT, id="search", compact=True)
        search.cursor_blink = not self.quiet
        yield search

    def on_mount(self) -> None:
        self.set_timer(INDEX_DELAY, self.ensure_index)

    # --- the index --------------------------------------------------------------------------------

    def ensure_index(self) -> None:
        """Start building the index, once: by the timer, or by the first search if that is sooner."""
        if self.index is None and not self.index_started:
            self.index_started = True
            # A daemon thread of its own, not a worker: quitting never waits for it (the executor
            # behind thread workers is joined at exit, however long the build still has to go).
            threading.Thread(target=self.build_index, name="search-index", daemon=True).start()

    def build_index(self) -> None:
        from aoad_tui.model.search import build_index

        index = build_index(self.knowledge)
        with contextlib.suppress(RuntimeError):  # the app has quit meanwhile
            self.app.call_from_thread(self.index_ready, index)

    def index_ready(self, index: SearchIndex) -> None:
        self.index = index
        query = self.query_one(SearchInput).value
        if query.strip():
            self.run_search(query)

    # --- searching --------------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def query_changed(self, event: Input.Changed) -> None:
        self.ensure_index()
        self.run_search(event.value)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str) -> None:
        """Search in a thread; a newer keystroke cancels this one before it shows anything."""
        from aoad_tui.model.answer import answer

        index = self.index
        results = index.search(query) if index is not None and query.strip() else []
        # What to try instead, and the answer line, are worked out here too, off the event loop
        # (a did-you-mean looks through the index's words).
        empty = index.no_matches(query) if index is not None and query.strip() and not results else ""
        found = answer(self.knowledge, index, query, results) if index is not None else None
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_results, query, results, empty, found)

    def show_results(self, query: str, results: list[Result], empty: str, found: Answer | None = None) -> None:
        if query != self.query_one(SearchInput).value:
            return
        self.post_message(self.Searching(bool(query.strip())))
        self.query_one(SearchResults).show(results, empty, found)

    @on(Input.Submitted, "#search")
    @on(SearchInput.ToResults)
    def enter_results(self) -> None:
        results = self.query_one(SearchResults)
        if results.results:
            results.focus()

    def focus_box(self) -> None:
        self.query_one(SearchInput).focus()

    def clear(self) -> None:
        """Empty the box and the results: the tabs show again."""
        search = self.query_one(SearchInput)
        with search.prevent(Input.Changed):
            search.value = ""
        self.post_message(self.Searching(False))
        self.query_one(SearchResults).show([])

    @property
    def has_focus_within(self) -> bool:
        return self.query_one(SearchInput).has_focus or self.query_one(SearchResults).has_focus
