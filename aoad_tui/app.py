"""The aoad-tui application: its keys, its screens, and the wiring between them."""

from __future__ import annotations

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
from aoad_tui.bookmarking import Bookmarks
from aoad_tui.commands import EntryCommands
from aoad_tui.focus_actions import FocusActions
from aoad_tui.hosted import Served
from aoad_tui.model.bookmarks import BookmarkStore, open_store
from aoad_tui.model.entries import Entry, KnowledgeBase
from aoad_tui.model.paths import data_dir as resolve_data_dir
from aoad_tui.model.settings import Settings
from aoad_tui.model.visits import News
from aoad_tui.model.vocabulary import TAB_IDS, TABS, tab_of
from aoad_tui.preferences import Preferences
from aoad_tui.screens.main import MainScreen
from aoad_tui.screens.reading import ReadingScreen
from aoad_tui.startup import resume_collector
from aoad_tui.whats_new import WhatsNew

if TYPE_CHECKING:
    from aoad_tui.model.loader import SeedsError
    from aoad_tui.model.search import Result, SearchIndex


class AoadApp(FocusActions):
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
        write_cache: Callable[[KnowledgeBase], None] | None = None,
        served: Served | None = None,
    ) -> None:
        """`knowledge`, or None and the `seeds` to read behind a ReadingScreen (big seeds with no
        knowledge cache); `write_cache` writes the knowledge cache, after the first frame."""
        super().__init__()
        self.seeds = seeds
        self.unreadable: SeedsError | None = None  # the seeds' problems, when the app read them
        self.served = served
        self.today = today or date.today()
        self.preferences = Preferences(self, settings or Settings(), settings_file)
        start = tab or self.settings.start_tab
        self.initial_tab = start if start in TAB_IDS else "overview"
        self.calm_terminal()
        directory = store.directory if store is not None else resolve_data_dir(str(data_dir) if data_dir else None)
        self.data_dir = Path(directory)
        self.store = store if store is not None else open_store(directory)
        self.bookmarks = Bookmarks(self, self.store)
        self.background = BackgroundWrites(self, self.data_dir, write_cache)
        # Until the seeds are read:
        self.knowledge = KnowledgeBase({}, None, facts=[], people=[], quotes=[], rumors=[])
        self.whats_new = WhatsNew(self, News(None))
        # The seeds are being read (behind the ReadingScreen): the app has nothing to show yet.
        self.reading = knowledge is None
        if knowledge is not None:
            self.take_knowledge(knowledge)

    def take_knowledge(self, knowledge: KnowledgeBase) -> None:
        """What the app shows, and what this visit will remember and keep (after the first frame)."""
        self.knowledge = knowledge
        self.reading = False
        self.whats_new = WhatsNew(self, self.background.begin(knowledge, self.today))

    @property
    def settings(self) -> Settings:
        return self.preferences.settings

    @property
    def problems(self) -> list[str]:
        return self.preferences.problems

    def key_display(self, binding_id: str, default: str = "") -> str:
        """A binding's key as the key bar spells it, as the settings may have remapped it."""
        return self.preferences.key_display(binding_id, default)

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
        self.after_first_frame(self.preferences.say_problems)
        self.after_first_frame(resume_collector)
        if not self.reading:
            self.background.start()
        self.app_resume_signal.subscribe(self, self.after_suspension)
        self.theme_changed_signal.subscribe(self, self.preferences.keep_theme)
        if self.served is not None:
            self.listen_to_server(self.served)

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
        self.background.start()

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node: DOMNode) -> None:
        self.preferences.clash(clashed_bindings)

    @property
    def search_index(self) -> SearchIndex | None:
        """The search index, once it is built (the command palette searches it too)."""
        return self.main.search.index

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.reading:  # nothing to show yet: only the keys that need nothing
            return action in ("quit", "redraw", "suspend_process")
        return self.can_act_on_focus(action)

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

    def action_news(self) -> None:
        from aoad_tui.screens.whats_new import WhatsNewScreen

        if not isinstance(self.screen, WhatsNewScreen):
            self.back_to_main()
            self.push_screen(WhatsNewScreen(self.knowledge, self.whats_new), self.after_news)

    def after_news(self, entry: Entry | None) -> None:
        if entry is not None:
            self.call_later(self.main.reveal_entry, tab_of(entry.kind), entry.id)

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
        self.bookmarks.save_then(self.exit)

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
