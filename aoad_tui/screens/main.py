"""The main screen: the tabs, the search, and finding one's way between them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Header, OptionList, Static, TabbedContent, TabPane

from aoad_tui.bookmarking import Bookmarks
from aoad_tui.keys import key_of
from aoad_tui.model.entries import Entry, KnowledgeBase
from aoad_tui.model.filters import EVERYTHING
from aoad_tui.model.vocabulary import TAB_IDS, TABS
from aoad_tui.screens.fitted import FittedScreen
from aoad_tui.trail import Place, Trail
from aoad_tui.whats_new import WhatsNew
from aoad_tui.widgets.bookmark_list import BookmarkList
from aoad_tui.widgets.deferred import Deferred
from aoad_tui.widgets.entry_list import EntryBrowser, EntryList
from aoad_tui.widgets.filter_line import Filtered, FilterLine
from aoad_tui.widgets.key_bar import KeyBar
from aoad_tui.widgets.overview import Overview
from aoad_tui.widgets.search_pane import SearchPane
from aoad_tui.widgets.search_results import SearchInput, SearchResults
from aoad_tui.widgets.source_view import SourceView

if TYPE_CHECKING:
    from aoad_tui.model.search import Result

# Built after the first frame when not shown first. The source stays, so that `s` can always show
# a passage at once.
LAZY_TABS = ("cast", "quotes", "rumors", "bookmarks", "source")
# ctrl+c quits whatever the keymap says (model/settings.py), so this line is always true.
TOO_SMALL = "Terminal too small: aoad-tui needs at least 40x12.\nEnlarge the window, or press ctrl+c to quit."


class MainArea(Vertical):
    """The tabs and the search box; hidden while the terminal is too small."""

    class Shown(Message):
        """Shown again after the terminal was too small (hiding it dropped the focus)."""

    def on_show(self) -> None:
        self.post_message(self.Shown())


class MainScreen(FittedScreen[None]):
    """Six tabs (Overview, Cast, Quotes, Rumors, Bookmarks, Source) and a search over all of them."""

    # The shown tab's list takes the focus when the screen is shown (on_screen_resume), before the
    # first frame; Textual's own auto focus would give it to the tab bar, then the list would take
    # it after the first frame, and the screen would be written twice.
    AUTO_FOCUS = ""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        bookmarks: Bookmarks,
        whats_new: WhatsNew,
        *,
        tab: str,
        today: date,
        quiet: bool,
    ) -> None:
        super().__init__()
        self.knowledge = knowledge
        self.bookmarks = bookmarks
        self.whats_new = whats_new
        self.initial_tab = tab
        self.today = today
        self.quiet = quiet
        self.trail = Trail()  # where escape goes back to, after a jump

    def compose(self) -> ComposeResult:
        yield Header()
        with MainArea(id="main"):
            with TabbedContent(initial=self.initial_tab):
                for tab in TABS:
                    # The key as the settings may have remapped it: the label says what works.
                    with TabPane(f"{key_of(self, f'tab.{tab.id}', tab.key)} {tab.label}", id=tab.id):
                        lazy = tab.id != self.initial_tab and tab.id in LAZY_TABS
                        yield Deferred(partial(self.pane, tab.id)) if lazy else self.pane(tab.id)
            yield SearchPane(self.knowledge, self.bookmarks, self.whats_new, quiet=self.quiet, id="search-pane")
        yield Static(TOO_SMALL, id="too-small")
        yield KeyBar()

    def pane(self, tab: str) -> Widget:
        """The main widget of a tab's pane."""
        knowledge, bookmarks, news = self.knowledge, self.bookmarks, self.whats_new
        if tab == "overview":
            return Overview(knowledge, self.today, bookmarks, news)
        if tab == "source":
            return SourceView(knowledge, id="source-view")
        if tab == "bookmarks":
            return BookmarkList(knowledge, bookmarks, news, id="bookmark-list")
        lists: dict[str, Sequence[Entry]] = {"cast": knowledge.people, "quotes": knowledge.quotes}
        return EntryBrowser(knowledge, lists.get(tab, knowledge.rumors), bookmarks, news, id=f"{tab}-browser")

    def on_mount(self) -> None:
        # The initial pane is shown only once TabbedContent has mounted: focus its list now
        # anyway (set_focus, not focus(), which would wait for it to show), so that the first
        # frame is drawn with it focused and not drawn again.
        self.set_focus(self.main_widget(self.initial_tab))
        # The one watcher of the search box: as its value changes, before the letter is drawn
        # (Input.Changed comes a message later, its results a frame later: 35 ms from key to
        # results, not 12), the search runs and its results take the tabs' place in that frame.
        self.watch(self.query_one(SearchInput), "value", self.value_typed, init=False)

    def value_typed(self, value: str) -> None:
        self.search.value_typed(value)
        self.show_search(bool(value.strip()))

    @property
    def search(self) -> SearchPane:
        return self.query_one(SearchPane)

    # --- tabs -------------------------------------------------------------------------------------

    @property
    def active_tab(self) -> str:
        return self.query_one(TabbedContent).active or TAB_IDS[0]

    async def show_tab(self, tab: str, *, record: bool = True) -> None:
        """Show a tab with its main widget focused; a pane not built yet is built first, so that
        a key pressed right after (`3` then `b`) finds its list. Asked from the search's results
        (or an entry's detail over them), it leaves the search: the tab is what was asked for.
        Where the fan was is recorded for escape (unless going back, or staying where they are)."""
        searching = not self.query_one(TabbedContent).display
        if record and (searching or tab != self.active_tab):
            self.trail.leave(self.here())
        if searching:
            self.search.clear()
        await self.build_pane(tab)  # before it is shown: one frame, never an empty pane first
        self.query_one(TabbedContent).active = tab
        self.focus_pane(tab)

    @on(TabbedContent.TabActivated)
    async def tab_clicked(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id is not None:  # a tab chosen with the mouse: keys go through show_tab
            await self.build_pane(event.pane.id)

    async def build_pane(self, tab: str) -> None:
        """Build a pane's widget if this is the first time the pane is shown."""
        for deferred in self.query_one(f"TabPane#{tab}", TabPane).query(Deferred):
            await deferred.reveal()

    async def next_tab(self, step: int) -> None:
        await self.show_tab(TAB_IDS[(TAB_IDS.index(self.active_tab) + step) % len(TAB_IDS)])

    def main_widget(self, tab: str) -> Widget | None:
        """The main widget of a tab's pane: the first in it that can take the focus."""
        pane = self.query_one(f"TabPane#{tab}", TabPane)
        return next((widget for widget in pane.query("*") if widget.can_focus), None)

    def focus_pane(self, tab: str) -> None:
        """Give focus to the main widget of a tab's pane, if it is shown."""
        widget = self.main_widget(tab)
        if widget is not None and widget.focusable:
            widget.focus()

    @on(MainArea.Shown)
    def restore_focus(self) -> None:
        self.call_after_refresh(self._restore_focus)

    def _restore_focus(self) -> None:
        if self.focused is None and self.is_current:
            self.focus_pane(self.active_tab)

    # --- opening what a list's enter chose ---------------------------------------------------------

    @on(EntryList.Opened)
    def open_entry(self, event: EntryList.Opened) -> None:
        from aoad_tui.screens.detail import DetailScreen

        self.app.push_screen(DetailScreen(self.knowledge, event.entry))

    @on(SearchResults.Opened)
    async def open_search_result(self, event: SearchResults.Opened) -> None:
        """An entry: its detail, over the search, which escape comes back to as it was (the query,
        the highlighted result). A passage: the Source tab, scrolled to it."""
        result = event.result
        entry = self.knowledge.by_id.get(result.id) if result.kind != "source" else None
        if entry is None:
            await self.open_result(result)
            return
        from aoad_tui.screens.detail import DetailScreen

        self.app.push_screen(DetailScreen(self.knowledge, entry))

    @on(BookmarkList.Opened)
    async def open_bookmark(self, event: BookmarkList.Opened) -> None:
        row = event.row
        if row.missing:
            self.notify("That bookmark's entry is missing from the current sources.", severity="warning", markup=False)
        elif row.entry is not None:
            await self.reveal_entry(row.tab, row.entry.id)
        else:
            await self.reveal_passage(row.article, row.span)

    async def open_result(self, result: Result) -> None:
        """Open a result in its tab, focused on it (a passage: the source, scrolled to it)."""
        self.search.clear()
        if result.kind == "source":
            await self.reveal_passage(result.document.article, result.document.span)
        else:
            await self.reveal_entry(result.tab, result.id)

    async def reveal_entry(self, tab: str, entry_id: str) -> None:
        """Show an entry's tab with the entry highlighted and focused (a jump, even within a tab:
        escape comes back to the row it left)."""
        self.trail.leave(self.here())
        await self.show_tab(tab, record=False)
        for entry_list in self.query_one(f"TabPane#{tab}", TabPane).query(EntryList):
            if entry_list.highlight_entry(entry_id):
                entry_list.focus()

    async def reveal_passage(
        self, article_id: str, span: tuple[int, int] | None, *, came_from: Place | None = None, record: bool = True
    ) -> None:
        """Show the Source tab on an article, with a span highlighted and scrolled to; escape goes
        back to `came_from` (where the fan is, if not given), unless not to `record` it."""
        if record:
            self.trail.leave(came_from or self.here())
        await self.show_tab("source", record=False)
        source = self.query_one(SourceView)
        self.call_later(source.show_article, article_id, span)
        source.focus()

    # --- filters ----------------------------------------------------------------------------------

    @on(Filtered)
    async def show_filter(self, event: Filtered) -> None:
        """The filter line above the list that changed its filter (in its tab, or the search's),
        mounted the first time a filter is chosen there: most visits never filter."""
        event.stop()
        holder = next(a for a in event.control.ancestors_with_self if isinstance(a, (TabPane, SearchPane, Overview)))
        lines = holder.query(FilterLine)
        if lines:
            line = lines.first()
        elif event.status_filter == EVERYTHING:
            return
        else:
            line = FilterLine()
            await holder.mount(line, before=event.control if event.control.parent is holder else 0)
        line.show_filter(event)

    # --- search -----------------------------------------------------------------------------------

    def show_search(self, searching: bool) -> None:
        """The results in place of the tabs, or the tabs back: the results lie under the tabs
        (app.tcss), so hiding the tabs shows them. `display` is set, not a class on MainArea: a
        class re-matches the CSS of every widget under it, a frame later."""
        tabs = self.query_one(TabbedContent)
        if tabs.display != searching:
            return
        tabs.display = not searching
        # Under the tabs, the results are out of the focus chain.
        self.query_one(SearchResults).can_focus = searching

    def focus_search(self) -> None:
        self.search.focus_box()

    def leave_search(self) -> None:
        """escape: out of the search (box or results), back to the tab; else back where the last
        jump came from."""
        if self.search.has_focus_within:
            self.search.clear()
            self.focus_pane(self.active_tab)
        elif (place := self.trail.back()) is not None:
            self.call_later(self.go_back, place)

    def here(self, entry: Entry | None = None) -> Place:
        """Where the fan is: the tab and its row (or the Source tab's article and paragraph), the
        search if one is open, `entry`'s detail if it is open."""
        results = self.query_one(SearchResults)
        query = self.query_one(SearchInput).value if results.can_focus else ""
        tab = self.active_tab
        widget = self.main_widget(tab)
        row: str | int | None = None
        if isinstance(widget, EntryList):
            row = widget.current_entry.id if widget.current_entry else None
        elif isinstance(widget, OptionList):
            row = widget.highlighted
        source = (widget.article_id, widget.cursor) if isinstance(widget, SourceView) and widget.article_id else None
        return Place(tab, query, results.highlighted if query else None, entry, row, source)

    async def go_back(self, place: Place) -> None:
        """Show a place again: its tab, its row or paragraph, the search with its result
        highlighted, the detail."""
        await self.show_tab(place.tab, record=False)
        widget = self.main_widget(place.tab)
        if isinstance(widget, EntryList) and isinstance(place.row, str):
            widget.highlight_entry(place.row)
        elif isinstance(widget, OptionList) and isinstance(place.row, int) and place.row < widget.option_count:
            widget.highlighted = place.row
        elif isinstance(widget, SourceView) and place.source and place.source != (widget.article_id, widget.cursor):
            await widget.show_article(place.source[0], cursor=place.source[1])
        if place.query:
            self.search.focus_box()
            self.query_one(SearchInput).value = place.query
            results = self.query_one(SearchResults)
            if (shown := results.shown_items()) and place.highlighted is not None:  # searched at once (a small index)
                results.highlighted = min(place.highlighted, len(shown) - 1)
                results.focus()
        if place.entry is not None:
            from aoad_tui.screens.detail import DetailScreen

            self.app.push_screen(DetailScreen(self.knowledge, place.entry))
