"""The search box and its results, and the index they search: built once, off the event loop."""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from aoad_tui.bookmarking import Bookmarks
from aoad_tui.keys import key_of
from aoad_tui.model.entries import KnowledgeBase
from aoad_tui.model.filters import EVERYTHING
from aoad_tui.model.inert import inert_line
from aoad_tui.startup import freeze_long_lived
from aoad_tui.whats_new import WhatsNew
from aoad_tui.widgets.search_results import SearchInput, SearchResults

if TYPE_CHECKING:  # the search engine is imported when the index is built, after the first frame
    from aoad_tui.model.answer import Answer
    from aoad_tui.model.search import Result, SearchIndex

INDEX_DELAY = 0.5  # seconds after start before the search index is built, unless search is used first
AT_ONCE = 20_000  # an index of at most this many documents is searched on the event loop, not in a thread
SEARCH_HINT = "{key} search: type to find anything · ↓ or enter to the results · esc to clear"
INDEX_BUILDING = "Getting the search ready: the results show in a moment."


class SearchPane(Vertical):
    """Type to search as you type; the results take the place of the tabs while there is a query."""

    def __init__(
        self, knowledge: KnowledgeBase, bookmarks: Bookmarks, whats_new: WhatsNew, *, quiet: bool, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.knowledge = knowledge
        self.bookmarks = bookmarks
        self.whats_new = whats_new
        self.quiet = quiet  # over SSH: no blinking cursor, so that an idle screen sends nothing
        self.index: SearchIndex | None = None
        self.index_started = False
        self.unknown = ""  # the line shown above the results

    def compose(self) -> ComposeResult:
        yield Static(id="unknown", markup=False)  # what the sources know nothing about, when a query asks
        results = SearchResults(self.knowledge, self.bookmarks, self.whats_new, id="results")
        results.can_focus = False  # under the tabs until there is a query (MainScreen.show_search)
        yield results
        search = SearchInput(placeholder=SEARCH_HINT.format(key=key_of(self, "search", "/")), id="search", compact=True)
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
        freeze_long_lived()
        boxes = self.query(SearchInput)  # none once the app is quitting and its widgets are gone
        if boxes and (query := boxes.first().value).strip():
            self.value_typed(query)

    # --- searching --------------------------------------------------------------------------------

    def value_typed(self, query: str) -> None:
        """The box holds `query` now (MainScreen watches it): the results for it, at once when the
        index is small."""
        self.ensure_index()
        if not query.strip():
            self.unfilter()
        if self.index is None:
            # index_ready searches what the box holds then. No search before: one that ran without
            # the index found nothing, and could show that after the index's results.
            self.show_unknown("")
            self.query_one(SearchResults).show([], INDEX_BUILDING if query.strip() else "")
        elif len(self.index.docs) <= AT_ONCE:
            # An index of this size answers within a few milliseconds: at once, so that the
            # results are drawn in the same frame as the letter typed (a thread costs a frame).
            self.show_results(query, *self.find(query))
        else:
            self.run_search(query)

    def find(self, query: str) -> tuple[list[Result], str, Answer | None, str]:
        """The results for a query, what to try instead when there are none, the answer line,
        and what the sources know nothing about."""
        from aoad_tui.model.answer import ask, nothing_about

        index = self.index
        if index is None or not query.strip():
            return [], "", None, ""
        results, found = ask(self.knowledge, index, query)
        if not results:
            return results, index.no_matches(query), None, ""
        unmatched = index.unmatched(query)
        return results, "", found, nothing_about(unmatched) if unmatched else ""

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str) -> None:
        """Search in a thread; a newer keystroke cancels this one before it shows anything."""
        found = self.find(query)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_results, query, *found)

    def show_results(
        self, query: str, results: list[Result], empty: str, found: Answer | None = None, unknown: str = ""
    ) -> None:
        if query != self.query_one(SearchInput).value:
            return
        self.show_unknown(unknown)
        self.query_one(SearchResults).show(results, empty, found)

    def show_unknown(self, unknown: str) -> None:
        if unknown != self.unknown:
            self.unknown = unknown
            line = self.query_one("#unknown", Static)
            line.update(inert_line(unknown))
            line.display = bool(unknown)

    @on(Input.Submitted, "#search")
    @on(SearchInput.ToResults)
    def enter_results(self) -> None:
        results = self.query_one(SearchResults)
        if results.shown_items():
            results.focus()

    def focus_box(self) -> None:
        self.query_one(SearchInput).focus()

    def clear(self) -> None:
        """Empty the box and the results: the tabs show again."""
        # Before the prevent() below: posted inside it, the filter line never heard of the reset.
        self.unfilter()
        search = self.query_one(SearchInput)
        with search.prevent(Input.Changed):
            search.value = ""
        self.show_unknown("")
        self.query_one(SearchResults).show([])

    def unfilter(self) -> None:
        """The box emptied: the next query is a new one, and starts unfiltered (a filter left on
        from an earlier query hid the next one's answer)."""
        results = self.query_one(SearchResults)
        if results.status_filter != EVERYTHING:
            results.set_filter(EVERYTHING)

    @property
    def has_focus_within(self) -> bool:
        return self.query_one(SearchInput).has_focus or self.query_one(SearchResults).has_focus
