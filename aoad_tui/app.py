"""The aoad-tui application: tabs, keys and the actions that connect the panes."""

from __future__ import annotations

import contextlib
import gc
import os
import threading
import time
from collections.abc import Iterable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Resize, ScreenResume
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Input, OptionList, Static, TabbedContent, TabPane, Tabs
from textual.worker import get_current_worker

from aoad_tui.commands import EntryCommands
from aoad_tui.model.bookmarks import Bookmark, BookmarkStore
from aoad_tui.model.entries import Entry, KnowledgeBase, passage_id
from aoad_tui.model.inert import inert
from aoad_tui.model.inert import inert_line as safe
from aoad_tui.model.paths import data_dir as resolve_data_dir
from aoad_tui.model.text import locate
from aoad_tui.screens.unsaved import UnsavedScreen
from aoad_tui.widgets.bookmark_list import BookmarkList
from aoad_tui.widgets.deferred import Deferred
from aoad_tui.widgets.entry_list import EntryBrowser, EntryList
from aoad_tui.widgets.key_bar import KeyBar
from aoad_tui.widgets.overview import Overview
from aoad_tui.widgets.render import attribution
from aoad_tui.widgets.scroll import KeyScroll
from aoad_tui.widgets.search_results import SearchInput, SearchResults
from aoad_tui.widgets.source_view import SourceView
from aoad_tui.wire import ChangesOnlyApp

if TYPE_CHECKING:  # the search engine is imported when the index is built, after the first frame
    from aoad_tui.model.search import Result, SearchIndex

UNDO_SECONDS = 8
MIN_WIDTH, MIN_HEIGHT, WIDE = 40, 12, 120
LAZY_TABS = ("cast", "quotes", "rumors", "bookmarks")
INDEX_DELAY = 0.5  # seconds after start before the search index is built, unless search is used first
SEARCH_HINT = "/ search: type to find anything · ↓ or enter to the results · esc to clear"

TABS: dict[str, str] = {
    "overview": "Overview",
    "cast": "Cast",
    "quotes": "Quotes",
    "rumors": "Rumors",
    "bookmarks": "Bookmarks",
    "source": "Source",
}


def size_classes(width: int, height: int) -> dict[str, bool]:
    """The screen's classes for a terminal size: too small below 40x12, wide from 120 columns."""
    return {"-tiny": width < MIN_WIDTH or height < MIN_HEIGHT, "-wide": width >= WIDE}


def resume_garbage_collection() -> None:
    """Start the collector that the command line paused for startup, leaving startup's objects out of it."""
    if not gc.isenabled():
        # Everything allocated so far lives as long as the app: keep later passes off it.
        gc.freeze()
        gc.enable()


def over_ssh() -> bool:
    return bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))


class MainArea(Vertical):
    """The tabs and the search box."""

    def on_show(self) -> None:
        # Hiding the panes of a too-small terminal drops focus: give it back once they show again.
        if isinstance(self.app, AoadApp):
            self.call_after_refresh(self.app.restore_focus)


class AoadApp(ChangesOnlyApp):
    """Explore everything known about season 2 of All of Us Are Dead."""

    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {EntryCommands}
    TITLE = "All Of Us Are Dead"
    SUB_TITLE = "season 2"

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(str(number), f"show_tab('{tab}')", f"{label} tab", show=False, id=f"tab.{tab}")
            for number, (tab, label) in enumerate(TABS.items(), 1)
        ),
        Binding("slash", "focus_search", "Search", id="search"),
        Binding("s", "source", "Source", tooltip="show the cited passage", id="source"),
        Binding("y", "copy", "Copy", tooltip="with attribution, via OSC 52", id="copy"),
        Binding("b", "bookmark", "Bookmark", tooltip="add or remove", id="bookmark"),
        Binding("question_mark,f1", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit.ctrl"),
        # What every terminal program does; Textual's default only says to press ctrl+q.
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="quit.interrupt"),
        Binding("ctrl+z", "suspend_process", "Suspend", tooltip="to the shell; fg returns", show=False, id="suspend"),
        Binding("ctrl+l", "redraw", "Redraw", tooltip="repaint the whole screen", show=False, id="redraw"),
        Binding("escape", "leave", "Back", show=False, id="back"),
    ]

    def __init__(
        self,
        knowledge: KnowledgeBase,
        *,
        data_dir: str | None = None,
        tab: str | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__()
        self.knowledge = knowledge
        self.initial_tab = tab if tab in TABS else "overview"
        self.today = today or date.today()
        # A calm screen: no animation frames (a tab switch's underline alone writes ~7 KB), and over
        # SSH no blinking cursor either, so an idle screen writes nothing. TEXTUAL_ANIMATIONS still wins.
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            self.animation_level = "none"
        self.quiet_terminal = over_ssh() and "TEXTUAL_ANIMATIONS" not in os.environ
        self.search_index: SearchIndex | None = None
        self.index_started = False
        self.store = BookmarkStore(resolve_data_dir(data_dir))
        self.store.load()
        self.last_removed: tuple[Bookmark, float] | None = None

    def compose(self) -> ComposeResult:
        # Classes for the size set before the first layout, so that it is styled only once.
        self.screen.update_classes(size_classes(*self.size))
        knowledge = self.knowledge
        marked = self.marked()
        yield Header()
        with MainArea(id="main"):
            with TabbedContent(initial=self.initial_tab):
                for number, (tab, label) in enumerate(TABS.items(), 1):
                    with TabPane(f"{number} {label}", id=tab):
                        for widget in self.pane(tab, knowledge, marked):
                            # Hidden lists are built after the first frame. The source stays, so
                            # that `s` can always show a passage at once.
                            lazy = tab != self.initial_tab and tab in LAZY_TABS
                            yield Deferred(widget) if lazy else widget
            yield SearchResults(knowledge, id="results")
            search = SearchInput(placeholder=SEARCH_HINT, id="search", compact=True)
            search.cursor_blink = not self.quiet_terminal
            yield search
        yield Static(
            "Terminal too small: aoad-tui needs at least 40x12.\nEnlarge the window, or press ctrl+q to quit.",
            id="too-small",
        )
        yield KeyBar()

    def pane(self, tab: str, knowledge: KnowledgeBase, marked: set[tuple[str, str]]) -> Iterable[Widget]:
        if tab == "overview":
            yield Overview(knowledge, self.today, marked)
        elif tab == "cast":
            yield EntryBrowser(knowledge, knowledge.people, marked, id="cast-browser")
        elif tab == "quotes":
            yield EntryBrowser(knowledge, knowledge.quotes, marked, id="quotes-browser")
        elif tab == "rumors":
            yield EntryBrowser(knowledge, knowledge.rumors, marked, id="rumors-browser")
        elif tab == "bookmarks":
            yield BookmarkList(knowledge, self.store.bookmarks, id="bookmark-list")
        elif tab == "source":
            yield SourceView(knowledge, id="source-view")

    def on_mount(self) -> None:
        self.focus_pane(self.initial_tab)
        self.report_store_messages()
        self.set_timer(INDEX_DELAY, self.ensure_search_index)
        self.call_after_refresh(resume_garbage_collection)
        self.app_resume_signal.subscribe(self, self.after_suspension)

    def after_suspension(self, _app: App[None]) -> None:
        """The terminal showed something else meanwhile (ctrl+z, or a program run from the app)."""
        self.action_redraw()

    def action_suspend_process(self) -> None:
        # Started without a shell that does job control (`ssh -t host aoad-tui`, say), the app
        # leads its own session: stopped, nothing would ever continue it. (Windows has no
        # sessions, and there Textual's suspend does nothing.)
        if hasattr(os, "getsid") and os.getsid(0) == os.getpgrp():
            self.notify("No shell to go back to: aoad-tui was started without one.", title="ctrl+z")
            return
        super().action_suspend_process()

    def action_redraw(self) -> None:
        """Repaint every cell, for a screen garbled by another program or a noisy line."""
        self.forget_terminal()
        self.refresh(layout=True)

    def on_resize(self, event: Resize) -> None:
        self.screen_stack[0].update_classes(size_classes(*event.size))

    def marked(self) -> set[tuple[str, str]]:
        """The (kind, id) of every bookmark."""
        return {bookmark.key for bookmark in self.store.bookmarks}

    def ensure_search_index(self) -> None:
        """Start building the index, once: by the timer, or by the first search if that is sooner."""
        if self.search_index is None and not self.index_started:
            self.index_started = True
            # A daemon thread of its own, not a worker: quitting never waits for it (the executor
            # behind thread workers is joined at exit, however long the build still has to go).
            threading.Thread(target=self.build_search_index, name="search-index", daemon=True).start()

    def build_search_index(self) -> None:
        """Index everything off the event loop, after the first frame."""
        from aoad_tui.model.search import build_index

        index = build_index(self.knowledge)
        with contextlib.suppress(RuntimeError):  # the app has quit meanwhile
            self.call_from_thread(self.index_ready, index)

    def index_ready(self, index: SearchIndex) -> None:
        self.search_index = index
        query = self.query_one("#search", Input).value
        if query.strip():
            self.run_search(query)

    # --- search -----------------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            self.ensure_search_index()
            self.run_search(event.value)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str) -> None:
        """Search in a thread; a newer keystroke cancels this one before it shows anything."""
        index = self.search_index
        results = index.search(query) if index is not None and query.strip() else []
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self.show_results, query, results)

    def show_results(self, query: str, results: list[Result]) -> None:
        if query != self.query_one("#search", Input).value:
            return
        searching = bool(query.strip())
        self.query_one("#main").set_class(searching, "-searching")
        self.query_one(SearchResults).show(results, self.marked())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self.enter_results()

    def action_enter_results(self) -> None:
        self.enter_results()

    def enter_results(self) -> None:
        results = self.query_one(SearchResults)
        if results.results:
            results.focus()

    def open_result(self, result: Result) -> None:
        """Open a result in its tab, focused on it (a passage: the source, scrolled to it)."""
        self.close_search()
        if result.kind == "source":
            self.reveal_passage(result.document.article, result.document.span)
        else:
            self.reveal_entry(result.tab, result.id)

    def reveal_entry(self, tab: str, entry_id: str) -> None:
        """Show an entry's tab with the entry highlighted and focused."""
        self.action_show_tab(tab)
        for entry_list in self.query_one(f"TabPane#{tab}", TabPane).query(EntryList):
            if entry_list.highlight_entry(entry_id):
                entry_list.focus()

    def reveal_passage(self, article_id: str, span: tuple[int, int] | None) -> None:
        """Show the Source tab on an article, with a span highlighted and scrolled to."""
        self.back_to_main()
        self.query_one(TabbedContent).active = "source"
        source = self.query_one(SourceView)
        self.call_later(source.show_article, article_id, span)
        source.focus()

    def close_search(self) -> None:
        search = self.query_one("#search", Input)
        with search.prevent(Input.Changed):
            search.value = ""
        self.query_one("#main").remove_class("-searching")
        self.query_one(SearchResults).show([])

    def restore_focus(self) -> None:
        if self.focused is None and len(self.screen_stack) == 1:
            self.focus_pane(self.query_one(TabbedContent).active or "overview")

    # --- helpers ----------------------------------------------------------------------------------

    def focus_pane(self, tab: str) -> None:
        """Give focus to the main widget of a tab's pane."""
        pane = self.query_one(f"TabPane#{tab}", TabPane)
        for widget in pane.query("*"):
            if widget.focusable:
                widget.focus()
                return

    def focused_entry(self) -> Entry | None:
        """The entry the focused widget is on: a list's highlighted row or an open detail."""
        entry = getattr(self.focused, "current_entry", None)
        return entry if isinstance(entry, Entry) else None

    def back_to_main(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    # --- actions ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("source", "copy"):
            return True if self.focused_entry() is not None else None
        return True

    def action_show_tab(self, tab: str) -> None:
        self.back_to_main()
        self.query_one(TabbedContent).active = tab
        self.focus_pane(tab)

    def action_next_tab(self, step: int = 1) -> None:
        tabs = list(TABS)
        current = self.query_one(TabbedContent).active or tabs[0]
        self.action_show_tab(tabs[(tabs.index(current) + step) % len(tabs)])

    def action_previous_tab(self) -> None:
        self.action_next_tab(-1)

    def action_focus_search(self) -> None:
        self.back_to_main()
        self.query_one("#search", Input).focus()

    def action_leave(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus or self.query_one(SearchResults).has_focus:
            self.close_search()
            self.focus_pane(self.query_one(TabbedContent).active or "overview")

    def action_source(self) -> None:
        entry = self.focused_entry()
        if entry is None or not entry.cites:
            return
        citation = entry.cites[0]
        article = self.knowledge.articles.get(citation.article)
        if article is not None:
            self.reveal_passage(article.id, locate(citation.passage, article.body))

    def action_copy(self) -> None:
        entry = self.focused_entry()
        if entry is None:
            return
        self.copy_to_clipboard(inert(attribution(self.knowledge, entry)))
        self.notify(f"Copied the {entry.kind} with its attribution.", timeout=3, markup=False)

    def action_help(self) -> None:
        from aoad_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections()))

    def help_sections(self) -> list[tuple[str, Iterable[BindingType]]]:
        from aoad_tui.screens.detail import DetailScreen

        palette = Binding(self.COMMAND_PALETTE_BINDING, "command_palette", "Command palette")
        return [
            ("Everywhere", [*self.BINDINGS, palette]),
            ("Tab bar", Tabs.BINDINGS),
            ("Lists", EntryList.BINDINGS),
            ("Bookmarks tab", BookmarkList.BINDINGS),
            ("Search", [*SearchInput.BINDINGS, *SearchResults.BINDINGS]),
            ("Source", SourceView.BINDINGS),
            ("Entry detail", DetailScreen.BINDINGS),
            ("Scrolling text", KeyScroll.BINDINGS),
        ]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if isinstance(event.option_list, BookmarkList):
            row = event.option_list.current_row
            if row is None or row.missing:
                self.notify(
                    "That bookmark's entry is missing from the current sources.", severity="warning", markup=False
                )
            elif row.entry is not None:
                self.reveal_entry(row.tab, row.entry.id)
            else:
                self.reveal_passage(row.article, row.span)
        elif isinstance(event.option_list, SearchResults):
            result = event.option_list.current_result
            if result is not None:
                self.open_result(result)
        elif isinstance(event.option_list, EntryList):
            entry = event.option_list.current_entry
            if entry is not None:
                self.open_entry(entry)

    def open_entry(self, entry: Entry) -> None:
        from aoad_tui.screens.detail import DetailScreen

        self.push_screen(DetailScreen(self.knowledge, entry))

    def on_screen_resume(self, event: ScreenResume) -> None:
        self.refresh_bindings()

    # --- bookmarks --------------------------------------------------------------------------------

    def bookmark_target(self) -> tuple[str, str] | None:
        """What `b` acts on: the focused entry, search result or source passage."""
        focused = self.focused
        if isinstance(focused, SearchResults) and focused.current_result is not None:
            return (focused.current_result.kind, focused.current_result.id)
        if isinstance(focused, BookmarkList) and focused.current_row is not None:
            return focused.current_row.bookmark.key
        if isinstance(focused, SourceView) and focused.article is not None:
            number = focused.current_passage()
            return ("source", passage_id(focused.article.id, number)) if number else None
        entry = self.focused_entry()
        return (entry.kind, entry.id) if entry else None

    def action_bookmark(self) -> None:
        target = self.bookmark_target()
        if target is None:
            self.notify("Nothing to bookmark here: move to an entry first.", severity="warning", markup=False)
            return
        try:
            added = self.store.toggle(*target)
        except PermissionError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.bookmarks_changed("Bookmarked." if added else "Bookmark removed.")

    def action_remove_bookmark(self) -> None:
        row = self.query_one(BookmarkList).current_row
        if row is None:
            return
        try:
            removed = self.store.remove(*row.bookmark.key)
        except PermissionError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        if removed is not None:
            self.last_removed = (removed, time.monotonic())
        self.bookmarks_changed(f"Removed “{safe(row.title[:60])}”. Press u to undo." if removed else "")

    def action_undo_remove(self) -> None:
        if self.last_removed is None or time.monotonic() - self.last_removed[1] > UNDO_SECONDS:
            self.notify("Nothing to undo.", timeout=2, markup=False)
            return
        bookmark, _ = self.last_removed
        self.last_removed = None
        try:
            self.store.add(bookmark)
        except PermissionError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.bookmarks_changed("Bookmark restored.")

    def action_edit_note(self) -> None:
        from aoad_tui.screens.note import NoteScreen

        row = self.query_one(BookmarkList).current_row
        if row is None:
            return
        key = row.bookmark.key

        def save_note(note: str | None) -> None:
            if note is None:
                return
            try:
                self.store.set_note(*key, note)
            except PermissionError as error:
                self.notify(str(error), severity="error", markup=False)
            self.bookmarks_changed()

        self.push_screen(NoteScreen(row.title, row.bookmark.note), save_note)

    def bookmarks_changed(self, done: str = "") -> None:
        """Redraw the bookmarks list and markers, and tell the user what happened: `done`, unless
        the change could not be saved (the store says so, and nothing else is said)."""
        if done and not self.store.unsaved:
            self.notify(done, timeout=UNDO_SECONDS if "undo" in done else 3, markup=False)
        for bookmark_list in self.query(BookmarkList):
            bookmark_list.show(self.store.bookmarks)
        marked = self.marked()
        for entry_list in self.query(EntryList):
            entry_list.mark(marked)
        self.query_one(SearchResults).mark(marked)
        self.report_store_messages()

    def report_store_messages(self) -> None:
        for message in self.store.take_messages():
            self.notify(safe(message), title="Bookmarks", severity="warning", timeout=10, markup=False)

    async def action_quit(self) -> None:
        """Quit; with bookmark changes that could not be saved, say so first and offer to retry."""
        if self.store.unsaved and not self.store.save() and not isinstance(self.screen, UnsavedScreen):
            reason = " ".join(self.store.take_messages())
            self.push_screen(UnsavedScreen(len(self.store.unsaved), safe(reason)), self.after_unsaved)
            return
        self.exit()

    def after_unsaved(self, choice: str | None) -> None:
        if choice == "quit":
            self.exit()
        elif choice == "retry":
            self.call_later(self.action_quit)

    # --- command palette --------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        for tab, label in TABS.items():
            yield SystemCommand(f"Go to {label}", f"Show the {label} tab", partial(self.action_show_tab, tab))
        yield SystemCommand("Search", "Focus the search box", self.action_focus_search)
        yield SystemCommand("Keys", "Show every key (? or F1)", self.action_help)
        yield from super().get_system_commands(screen)
