"""The aoad-tui application: its keys, its screens, and the wiring between them."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.events import ScreenResume
from textual.screen import Screen

from aoad_tui.background import BackgroundWrites
from aoad_tui.commands import EntryCommands
from aoad_tui.hosted import HostedApp
from aoad_tui.marks import Bookmarks
from aoad_tui.model.bookmarks import BookmarkStore, open_store
from aoad_tui.model.entries import Entry, KnowledgeBase
from aoad_tui.model.inert import inert, inert_line
from aoad_tui.model.paths import data_dir as resolve_data_dir
from aoad_tui.model.settings import Settings
from aoad_tui.model.text import locate
from aoad_tui.model.visits import News
from aoad_tui.model.vocabulary import TAB_IDS, TABS, tab_of
from aoad_tui.news import WhatsNew
from aoad_tui.preferences import Preferences
from aoad_tui.screens.main import MainScreen
from aoad_tui.screens.reading import ReadingScreen
from aoad_tui.screens.unsaved import UnsavedScreen
from aoad_tui.served import Served
from aoad_tui.startup import resume_collector
from aoad_tui.widgets.filter_line import Filterable
from aoad_tui.widgets.render import attribution
from aoad_tui.widgets.source_view import SourceView
from aoad_tui.widgets.targets import Bookmarkable, Copyable, ShowsEntry

if TYPE_CHECKING:
    from aoad_tui.model.loader import SeedsError
    from aoad_tui.model.search import Result, SearchIndex


def over_ssh() -> bool:
    return bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))


class AoadApp(HostedApp):
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
        Binding("w", "news", "What's new", tooltip="since your last visit", show=False, id="news"),
        Binding("f", "filter", "Filter", tooltip="the focused list, by status", show=False, id="filter"),
        Binding("question_mark,f1", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit.ctrl"),
        # What every terminal program does; Textual's default only says to press ctrl+q.
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="quit.interrupt"),
        Binding("ctrl+z", "suspend_process", "Suspend", tooltip="to the shell; fg returns", show=False, id="suspend"),
        Binding("ctrl+l", "redraw", "Redraw", tooltip="repaint the whole screen", show=False, id="redraw"),
        Binding("escape", "leave", "Back", show=False, id="back"),
        # Textual's own has no id, so a keymap could not move it.
        Binding(
            App.COMMAND_PALETTE_BINDING, "command_palette", "Command palette", show=False, priority=True, id="palette"
        ),
    ]

    def __init__(
        self,
        knowledge: KnowledgeBase | None,
        *,
        seeds: Path | None = None,
        store: BookmarkStore | None = None,
        data_dir: str | Path | None = None,
        tab: str | None = None,
        today: date | None = None,
        settings: Settings | None = None,
        settings_file: Path | None = None,
        keep: Callable[[KnowledgeBase], None] | None = None,
        served: Served | None = None,
    ) -> None:
        """`knowledge`, or None and the `seeds` to read behind a ReadingScreen (big seeds with no
        knowledge cache); `keep` is done with the knowledge after its first frame (the cache)."""
        super().__init__()
        self.seeds = seeds
        self.unreadable: SeedsError | None = None  # the seeds' problems, when the app read them
        self.served = served
        self.today = today or date.today()
        self.citing: tuple[Entry, int] | None = None  # the entry and citation `s` showed last
        self.preferences = Preferences(self, settings or Settings(), settings_file)
        start = tab or self.settings.start_tab
        self.initial_tab = start if start in TAB_IDS else "overview"
        # A calm screen: no animation frames (a tab switch's underline alone writes ~7 KB), and over
        # SSH no blinking cursor either, so an idle screen writes nothing. TEXTUAL_ANIMATIONS still wins.
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            self.animation_level = "none"
        self.quiet_terminal = (served is not None or over_ssh()) and "TEXTUAL_ANIMATIONS" not in os.environ
        directory = store.directory if store is not None else resolve_data_dir(str(data_dir) if data_dir else None)
        self.data_dir = Path(directory)
        self.store = store if store is not None else open_store(directory)
        self.bookmarks = Bookmarks(self, self.store)
        self.background = BackgroundWrites(self.data_dir, keep)
        self.knowledge = KnowledgeBase({}, None, [], [], [], [])  # until the seeds are read
        self.whats_new = WhatsNew(self, News(None))
        # The seeds are being read (behind the ReadingScreen): the app has nothing to show yet.
        self.reading = knowledge is None
        if knowledge is not None:
            self.take_knowledge(knowledge)

    def take_knowledge(self, knowledge: KnowledgeBase) -> None:
        """What the app shows, and what this visit will remember and keep (after the first frame)."""
        self.knowledge = knowledge
        self.reading = False
        self.whats_new = WhatsNew(self, self.background.begin(knowledge, self.today, self.visit_not_remembered))

    @property
    def settings(self) -> Settings:
        return self.preferences.settings

    @property
    def problems(self) -> list[str]:
        return self.preferences.problems

    def key_display(self, binding_id: str, default: str = "") -> str:
        """A binding's key as the key bar spells it, remapped or not (`default`: a widget's
        binding's own key, which the app's bindings do not hold)."""
        binding = next((b for b in self.BINDINGS if isinstance(b, Binding) and b.id == binding_id), None)
        key = self.settings.keys.get(binding_id, binding.key if binding else default).split(",")[0].strip()
        return self.get_key_display(Binding(key, "")) if key else binding_id

    def get_default_screen(self) -> Screen[None]:
        if self.reading:
            return ReadingScreen(self.seeds or Path())
        return MainScreen(
            self.knowledge,
            self.bookmarks,
            self.whats_new,
            tab=self.initial_tab,
            today=self.today,
            quiet=self.quiet_terminal,
        )

    def on_mount(self) -> None:
        self.bookmarks.report()  # a file moved aside at start, say
        # The screen first, then what is wrong with the settings.
        self.after_first_frame(lambda: self.preferences.say_problems(self.key_display("help")))
        self.after_first_frame(resume_collector)
        if not self.reading:
            self.after_knowledge()
        self.app_resume_signal.subscribe(self, self.after_suspension)
        self.theme_changed_signal.subscribe(self, self.preferences.keep_theme)
        if self.served is not None:
            self.listen_to_server(self.served)

    def after_knowledge(self) -> None:
        """Once the knowledge is there and being shown: after its first frame, each in a thread of
        its own, what this visit shows (what the next one compares with) and the knowledge cache.
        Quitting waits for what is still writing."""
        self.report_visits()
        self.background.start(self.after_first_frame)

    def on_reading_screen_read(self, message: ReadingScreen.Read) -> None:
        """The seeds read behind the ReadingScreen: the app as it starts with them, or their
        problems (printed by the command line once the terminal is back)."""
        if message.knowledge is None:
            self.unreadable = message.error
            self.exit(return_code=2)
            return
        self.take_knowledge(message.knowledge)
        # On top of the ReadingScreen, which stays below it, unseen: Textual's first screen cannot
        # be switched for another (it has no one waiting for its result).
        self.push_screen(self.get_default_screen())
        self.after_knowledge()

    # --- what stays between visits ----------------------------------------------------------------

    def visit_not_remembered(self) -> None:
        with contextlib.suppress(RuntimeError):  # the app has quit meanwhile
            self.call_from_thread(self.report_visits)

    def report_visits(self) -> None:
        for message in self.background.messages():
            self.notify(inert_line(message), title="What's new", severity="warning", timeout=10, markup=False)

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node: DOMNode) -> None:
        self.preferences.clash(clashed_bindings)

    @property
    def main(self) -> MainScreen:
        screen = self.screen_stack[self.base]
        assert isinstance(screen, MainScreen)
        return screen

    @property
    def base(self) -> int:
        """Where the MainScreen is in the stack: first, or above the ReadingScreen."""
        return 1 if isinstance(self.screen_stack[0], ReadingScreen) else 0

    @property
    def search_index(self) -> SearchIndex | None:
        """The search index, once it is built (the command palette searches it too)."""
        return self.main.search.index

    def back_to_main(self) -> None:
        while len(self.screen_stack) > self.base + 1:
            self.pop_screen()

    def focused_entry(self) -> Entry | None:
        """The entry the focused widget is on: a list's highlighted row or an open detail."""
        return self.focused.current_entry if isinstance(self.focused, ShowsEntry) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.reading:  # nothing to show yet: only the keys that need nothing
            return action in ("quit", "redraw", "suspend_process")
        # Dimmed in the key bar where there is nothing to act on.
        if action == "source":
            return True if self.citing_next() is not None else None
        if action == "copy":
            copyable = isinstance(self.focused, Copyable) and self.focused.copy_text() is not None
            return True if self.focused_entry() is not None or copyable else None
        if action == "filter":
            return True if isinstance(self.focused, Filterable) else None
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

    def citing_next(self) -> tuple[Entry, int] | None:
        """What `s` shows: the focused entry's first citation, or the next one when `s` showed one
        of its citations last (pressed again on the entry, or in the Source tab it went to)."""
        entry = self.focused_entry()
        if entry is None and isinstance(self.focused, SourceView) and self.citing is not None:
            entry = self.citing[0]
        if entry is None or not entry.cites:
            return None
        if self.citing is not None and self.citing[0] is entry:
            return entry, (self.citing[1] + 1) % len(entry.cites)
        return entry, 0

    async def action_source(self) -> None:
        citing = self.citing_next()
        if citing is None:
            return
        entry, index = citing
        citation = entry.cites[index]
        article = self.knowledge.articles.get(citation.article)
        if article is not None:
            from aoad_tui.screens.detail import DetailScreen

            # Escape comes back to where `s` was first pressed, not to each citation in turn.
            cycling = isinstance(self.focused, SourceView)
            came_from = self.main.here(entry if isinstance(self.screen, DetailScreen) else None)
            self.back_to_main()
            self.citing = citing
            span = locate(citation.passage, article.body)
            await self.main.reveal_passage(article.id, span, came_from=came_from, record=not cycling)
            if len(entry.cites) > 1:
                again = self.key_display("source")
                self.notify(f"Citation {index + 1} of {len(entry.cites)}: {again} again for the next.", timeout=3)

    def action_copy(self) -> None:
        entry = self.focused_entry()
        if entry is not None:
            text, what = attribution(self.knowledge, entry), f"the {entry.kind}"
        elif isinstance(self.focused, Copyable) and (copied := self.focused.copy_text()) is not None:
            text, what = copied
        else:
            return
        self.copy_to_clipboard(inert(text))
        self.notify(f"Copied {what} with its attribution.", timeout=3, markup=False)

    def action_bookmark(self) -> None:
        target = self.focused.bookmark_key() if isinstance(self.focused, Bookmarkable) else None
        if target is None:
            self.notify("Nothing to bookmark here: move to an entry first.", severity="warning", markup=False)
            return
        self.bookmarks.change(
            lambda store: store.toggle(*target), lambda added: "Bookmarked." if added else "Bookmark removed."
        )

    def action_news(self) -> None:
        from aoad_tui.screens.news import NewsScreen

        if not isinstance(self.screen, NewsScreen):
            self.back_to_main()
            self.push_screen(NewsScreen(self.knowledge, self.whats_new), self.after_news)

    def after_news(self, entry: Entry | None) -> None:
        if entry is not None:
            self.call_later(self.main.reveal_entry, tab_of(entry.kind), entry.id)

    def action_filter(self) -> None:
        from aoad_tui.screens.filter import FilterScreen

        target = self.focused
        if not isinstance(target, Filterable):
            self.notify("Move to a list first: f narrows the list it is in.", severity="warning", markup=False)
            return
        self.push_screen(
            FilterScreen(target.filter_counts(), target.status_filter),
            lambda chosen: target.set_filter(chosen) if chosen is not None else None,
        )

    def action_help(self) -> None:
        from aoad_tui.screens.help import HelpScreen, help_sections

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(help_sections(type(self)), self.settings.keys, self.problems))

    # --- the terminal -----------------------------------------------------------------------------

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
        yield SystemCommand("What's new", "What is new or changed since your last visit (w)", self.action_news)
        yield SystemCommand("Mark all seen", "Drop every new and changed marker", self.whats_new.mark_all_seen)
        yield SystemCommand("Filter by status", "Narrow the focused list (f)", self.action_filter)
        yield SystemCommand("Keys", "Show every key (? or F1)", self.action_help)
        yield from super().get_system_commands(screen)
