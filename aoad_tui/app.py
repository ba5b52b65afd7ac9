"""The aoad-tui application: its keys, its screens, and the wiring between them."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.events import ScreenResume
from textual.screen import Screen

from aoad_tui.commands import EntryCommands
from aoad_tui.marks import Bookmarks
from aoad_tui.model.bookmarks import BookmarkStore, open_store
from aoad_tui.model.entries import Entry, KnowledgeBase
from aoad_tui.model.inert import inert, inert_line
from aoad_tui.model.paths import data_dir as resolve_data_dir
from aoad_tui.model.text import locate
from aoad_tui.model.vocabulary import TAB_IDS, TABS
from aoad_tui.screens.main import MainScreen
from aoad_tui.screens.unsaved import UnsavedScreen
from aoad_tui.startup import resume_collector
from aoad_tui.widgets.render import attribution
from aoad_tui.widgets.targets import Bookmarkable, ShowsEntry
from aoad_tui.wire import ChangesOnlyApp

if TYPE_CHECKING:
    from aoad_tui.model.search import Result, SearchIndex


def over_ssh() -> bool:
    return bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))


class AoadApp(ChangesOnlyApp):
    """Explore everything known about season 2 of All of Us Are Dead."""

    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {EntryCommands}
    TITLE = "All Of Us Are Dead"
    SUB_TITLE = "season 2"
    # Below 40x12 the screens say the terminal is too small; from 120 columns lists show a preview.
    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (40, "-narrow"), (120, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (12, "-tall")]

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(t.key, f"show_tab('{t.id}')", f"{t.label} tab", show=False, id=f"tab.{t.id}") for t in TABS),
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
        store: BookmarkStore | None = None,
        data_dir: str | Path | None = None,
        tab: str | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__()
        self.knowledge = knowledge
        self.initial_tab = tab if tab in TAB_IDS else "overview"
        self.today = today or date.today()
        # A calm screen: no animation frames (a tab switch's underline alone writes ~7 KB), and over
        # SSH no blinking cursor either, so an idle screen writes nothing. TEXTUAL_ANIMATIONS still wins.
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            self.animation_level = "none"
        self.quiet_terminal = over_ssh() and "TEXTUAL_ANIMATIONS" not in os.environ
        self.store = store if store is not None else open_store(resolve_data_dir(str(data_dir) if data_dir else None))
        self.bookmarks = Bookmarks(self, self.store)

    def get_default_screen(self) -> MainScreen:
        return MainScreen(
            self.knowledge, self.bookmarks, tab=self.initial_tab, today=self.today, quiet=self.quiet_terminal
        )

    def on_mount(self) -> None:
        self.bookmarks.report()  # a file moved aside at start, say
        self.call_after_refresh(resume_collector)
        self.app_resume_signal.subscribe(self, self.after_suspension)

    @property
    def main(self) -> MainScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    @property
    def search_index(self) -> SearchIndex | None:
        """The search index, once it is built (the command palette searches it too)."""
        return self.main.search.index

    def back_to_main(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def focused_entry(self) -> Entry | None:
        """The entry the focused widget is on: a list's highlighted row or an open detail."""
        return self.focused.current_entry if isinstance(self.focused, ShowsEntry) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("source", "copy"):  # dimmed in the key bar where there is no entry
            return True if self.focused_entry() is not None else None
        return True

    def on_screen_resume(self, event: ScreenResume) -> None:
        self.refresh_bindings()

    # --- finding one's way ------------------------------------------------------------------------

    async def action_show_tab(self, tab: str) -> None:
        self.back_to_main()
        await self.main.show_tab(tab)

    async def action_next_tab(self, step: int = 1) -> None:
        self.back_to_main()
        await self.main.next_tab(step)

    async def action_previous_tab(self) -> None:
        await self.action_next_tab(-1)

    def action_focus_search(self) -> None:
        self.back_to_main()
        self.main.focus_search()

    def action_leave(self) -> None:
        self.main.leave_search()

    async def open_result(self, result: Result) -> None:
        """Show a search result in its tab (from the command palette, say)."""
        self.back_to_main()
        await self.main.open_result(result)

    def action_source(self) -> None:
        entry = self.focused_entry()
        if entry is None or not entry.cites:
            return
        citation = entry.cites[0]
        article = self.knowledge.articles.get(citation.article)
        if article is not None:
            self.back_to_main()
            self.main.reveal_passage(article.id, locate(citation.passage, article.body))

    def action_copy(self) -> None:
        entry = self.focused_entry()
        if entry is None:
            return
        self.copy_to_clipboard(inert(attribution(self.knowledge, entry)))
        self.notify(f"Copied the {entry.kind} with its attribution.", timeout=3, markup=False)

    def action_bookmark(self) -> None:
        target = self.focused.bookmark_key() if isinstance(self.focused, Bookmarkable) else None
        if target is None:
            self.notify("Nothing to bookmark here: move to an entry first.", severity="warning", markup=False)
            return
        self.bookmarks.change(
            lambda store: store.toggle(*target), lambda added: "Bookmarked." if added else "Bookmark removed."
        )

    def action_help(self) -> None:
        from aoad_tui.keys import help_sections
        from aoad_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(help_sections()))

    # --- the terminal -----------------------------------------------------------------------------

    def action_suspend_process(self) -> None:
        # Started without a shell that does job control (`ssh -t host aoad-tui`, say), the app
        # leads its own session: stopped, nothing would ever continue it. (Windows has no
        # sessions, and there Textual's suspend does nothing.)
        if hasattr(os, "getsid") and os.getsid(0) == os.getpgrp():
            self.notify("No shell to go back to: aoad-tui was started without one.", title="ctrl+z")
            return
        super().action_suspend_process()

    def after_suspension(self, _app: App[None]) -> None:
        """The terminal showed something else meanwhile (ctrl+z, or a program run from the app)."""
        self.action_redraw()

    def action_redraw(self) -> None:
        """Repaint every cell, for a screen garbled by another program or a noisy line."""
        self.forget_terminal()
        self.refresh(layout=True)

    async def action_quit(self) -> None:
        """Quit; with bookmark changes that could not be saved, say so first and offer to retry."""
        if self.store.unsaved and not self.store.save() and not isinstance(self.screen, UnsavedScreen):
            reason = inert_line(" ".join(self.store.take_messages()))
            self.push_screen(UnsavedScreen(len(self.store.unsaved), reason), self.after_unsaved)
            return
        self.exit()

    def after_unsaved(self, choice: str | None) -> None:
        if choice == "quit":
            self.exit()
        elif choice == "retry":
            self.call_later(self.action_quit)

    # --- command palette --------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        for tab in TABS:
            show = partial(self.action_show_tab, tab.id)
            yield SystemCommand(f"Go to {tab.label}", f"Show the {tab.label} tab", show)
        yield SystemCommand("Search", "Focus the search box", self.action_focus_search)
        yield SystemCommand("Keys", "Show every key (? or F1)", self.action_help)
        yield from super().get_system_commands(screen)
