"""The actions on whatever the focused widget is on (widgets/targets.py says what that can be): its
cited passage (s, and s again for its next citation), a copy with its attribution (y), a bookmark
(b) and a status filter (f); each dimmed in the key bar where there is nothing to act on. AoadApp's
base: the app gives the knowledge, the bookmarks, its keys' names and its MainScreen."""

from __future__ import annotations

from aoad_tui.bookmarking import Bookmarks
from aoad_tui.hosted import HostedApp
from aoad_tui.model.entries import Entry, KnowledgeBase
from aoad_tui.model.inert import inert
from aoad_tui.model.text import locate
from aoad_tui.preferences import Preferences
from aoad_tui.screens.main import MainScreen
from aoad_tui.screens.reading import ReadingScreen
from aoad_tui.widgets.filter_line import Filterable
from aoad_tui.widgets.render import attribution
from aoad_tui.widgets.source_view import SourceView
from aoad_tui.widgets.targets import Bookmarkable, Copyable, ShowsEntry


class FocusActions(HostedApp):
    knowledge: KnowledgeBase
    bookmarks: Bookmarks
    preferences: Preferences
    citing: tuple[Entry, int] | None = None  # the entry and citation `s` showed last

    @property
    def main(self) -> MainScreen:
        screen = self.screen_stack[self.base]
        assert isinstance(screen, MainScreen)
        return screen

    @property
    def base(self) -> int:
        """Where the MainScreen is in the stack: first, or above the ReadingScreen."""
        return 1 if isinstance(self.screen_stack[0], ReadingScreen) else 0

    def back_to_main(self) -> None:
        while len(self.screen_stack) > self.base + 1:
            self.pop_screen()

    def focused_entry(self) -> Entry | None:
        """The entry the focused widget is on: a list's highlighted row or an open detail."""
        return self.focused.current_entry if isinstance(self.focused, ShowsEntry) else None

    def can_act_on_focus(self, action: str) -> bool | None:
        """Whether `action` has something to act on here: None dims it in the key bar."""
        if action == "source":
            return True if self.citing_next() is not None else None
        if action == "copy":
            copyable = isinstance(self.focused, Copyable) and self.focused.copy_text() is not None
            return True if self.focused_entry() is not None or copyable else None
        if action == "filter":
            return True if isinstance(self.focused, Filterable) else None
        return True

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
        if article is None:
            return
        from aoad_tui.screens.detail import DetailScreen

        # Escape comes back to where `s` was first pressed, not to each citation in turn.
        cycling = isinstance(self.focused, SourceView)
        came_from = self.main.here(entry if isinstance(self.screen, DetailScreen) else None)
        self.back_to_main()
        self.citing = citing
        span = locate(citation.passage, article.body)
        await self.main.reveal_passage(article.id, span, came_from=came_from, record=not cycling)
        if len(entry.cites) > 1:
            again = self.preferences.key_display("source")
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

    def action_filter(self) -> None:
        from aoad_tui.screens.filter import FilterScreen

        target = self.focused
        if not isinstance(target, Filterable):
            key = self.preferences.key_display("filter")
            self.notify(f"Move to a list first: {key} narrows the list it is in.", severity="warning", markup=False)
            return
        self.push_screen(
            FilterScreen(target.filter_counts(), target.status_filter),
            lambda chosen: target.set_filter(chosen) if chosen is not None else None,
        )
