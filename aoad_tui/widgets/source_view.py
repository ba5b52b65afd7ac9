"""The Source tab: one article, readable, with a cited passage highlighted and scrolled to."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from aoad_tui.keys import WALK_TABS
from aoad_tui.model.entries import Article, KnowledgeBase
from aoad_tui.model.inert import inert_line as safe
from aoad_tui.model.text import collapse_space, paragraph_spans
from aoad_tui.model.vocabulary import passage_id
from aoad_tui.widgets.render import literal
from aoad_tui.widgets.scroll import KeyScroll
from aoad_tui.widgets.targets import Target

HIGHLIGHT = "reverse"


# A long article is shown a window at a time: paragraphs are cut into blocks of at most BLOCK
# characters (at a space), and at most WINDOW blocks are built at first; more are built as the view
# nears either end of those. A 10 MB transcript costs what the screen shows, not what it holds.
BLOCK = 2_000
WINDOW = 60
NEAR = 2  # screens from an end of the built blocks at which more are built


def blocks_of(body: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph number) of each block of an article's body."""
    blocks = []
    for number, (first, end) in enumerate(paragraph_spans(body), 1):
        start = first
        while end - start > BLOCK:
            cut = body.rfind(" ", start + BLOCK // 2, start + BLOCK)
            cut = cut + 1 if cut > 0 else start + BLOCK
            blocks.append((start, cut, number))
            start = cut
        blocks.append((start, end, number))
    return blocks


class SourceView(KeyScroll):
    """An article as paragraphs, one of them under a cursor that `b` and `y` act on: `j` and `k`
    move it a paragraph at a time (a line at a time through one taller than the view), and it
    follows the view when a page key or the mouse scrolls it away; `[` and `]` change article."""

    BINDINGS = [
        *WALK_TABS,
        Binding("left_square_bracket", "article(-1)", "Previous article", show=False, id="source.previous_article"),
        Binding("right_square_bracket", "article(1)", "Next article", show=False, id="source.next_article"),
    ]

    def __init__(self, knowledge: KnowledgeBase, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.knowledge = knowledge
        newest_first = sorted(knowledge.articles.values(), key=lambda a: (a.date, a.id), reverse=True)
        self.order = [article.id for article in newest_first]
        self.article: Article | None = newest_first[0] if newest_first else None
        self.highlight: tuple[int, int] | None = None
        self.blocks = blocks_of(self.article.body) if self.article else []
        self.first = self.last = 0  # the blocks built: blocks[first:last]
        self.growing = False  # more blocks are being mounted (one batch at a time)
        self.cursor = 1  # the number of the paragraph under the cursor
        self.paged = False  # a page key scrolled: the cursor goes to the top of the view

    def compose(self) -> ComposeResult:
        yield from self.article_widgets()

    def on_mount(self) -> None:
        self.call_after_refresh(self.grow_if_near)  # a tall terminal may show every block built

    def on_resize(self) -> None:
        self.call_after_refresh(self.grow_if_near)  # shown (a tab's pane has no size while hidden)

    def article_widgets(self, first: int = 0) -> list[Static]:
        """The heading, and the window of blocks from `first`."""
        if self.article is None:
            return [Static("No source articles.")]
        article = self.article
        heading = literal(article.title or article.id, "bold")
        where = ", ".join(part for part in (article.outlet, article.date.isoformat(), f"{article.id}.txt") if part)
        widgets = [Static(Content.assemble(heading, "\n", literal(where, "$text-muted")), classes="article-heading")]
        self.first, self.last = first, min(len(self.blocks), first + WINDOW)
        return widgets + self.block_widgets(self.first, self.last)

    def block_widgets(self, first: int, last: int) -> list[Static]:
        """A Static a block; a block that a paragraph's next block continues has no gap below it."""
        widgets = []
        for index in range(first, last):
            start, end, number = self.blocks[index]
            continued = index + 1 < len(self.blocks) and self.blocks[index + 1][2] == number
            widget = Static(self.paragraph(start, end), classes="paragraph -continued" if continued else "paragraph")
            widgets.append(widget.set_class(number == self.cursor, "-cursor"))
        return widgets

    def paragraph(self, start: int, end: int) -> Content:
        assert self.article is not None
        raw = self.article.body[start:end]
        content = literal(raw)
        if self.highlight:
            low, high = max(self.highlight[0], start), min(self.highlight[1], end)
            if low < high:
                # Offsets in the shown text: control characters are shown as longer stand-ins.
                content = content.stylize(HIGHLIGHT, len(safe(raw[: low - start])), len(safe(raw[: high - start])))
        return content

    @property
    def article_id(self) -> str | None:
        return self.article.id if self.article else None

    async def show_article(
        self, article_id: str, highlight: tuple[int, int] | None = None, *, cursor: int | None = None
    ) -> None:
        """Show an article, with an optional highlighted span, and scroll the span into view (or,
        with no span, the paragraph numbered `cursor`, under the cursor)."""
        article = self.knowledge.articles.get(article_id, self.article)
        if article is not self.article:
            self.article = article
            self.blocks = blocks_of(article.body) if article else []
        self.highlight = highlight
        if highlight:
            at = next((i for i, (_, end, _) in enumerate(self.blocks) if highlight[0] < end), None)
        else:
            at = next((i for i, (_, _, number) in enumerate(self.blocks) if number == cursor), None)
        self.cursor = self.blocks[at][2] if at is not None else 1
        self.growing = True  # no more blocks while the new ones are laid out and scrolled to
        await self.remove_children()
        await self.mount_all(self.article_widgets(max(0, (at or 0) - WINDOW // 3)))
        widget = list(self.query(".paragraph"))[at - self.first] if at is not None else None
        self.call_after_refresh(self.reveal_block, widget)

    def reveal_block(self, widget: Widget | None) -> None:
        if widget is None:
            self.scroll_home(animate=False)
        else:
            self.scroll_to_widget(widget, top=True, animate=False)
        self.grown()

    # --- more blocks as the view nears an end of those built --------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if not self.growing:  # (while blocks are swapped, the view is not where it is going)
            self.follow_view()
        self.grow_if_near()

    def grow_if_near(self) -> None:
        """More blocks when the view is within NEAR screens of either end of those built (also
        when it cannot scroll at all: a tall terminal may show every block built)."""
        if self.growing or not self.is_mounted or not self.size.height:  # (a hidden tab has no size)
            return
        near = NEAR * self.size.height
        if self.last < len(self.blocks) and self.scroll_y + near >= self.max_scroll_y:
            self.growing = True
            self.call_later(self.grow_down)
        elif self.first > 0 and self.scroll_y <= near:
            self.growing = True
            self.call_later(self.grow_up)

    def grown(self) -> None:
        """Blocks were added or the view moved to them: once laid out, more if still near an end."""
        self.growing = False
        self.call_after_refresh(self.follow_view)  # where the view lands (a scroll waits for the refresh)
        self.call_after_refresh(self.grow_if_near)

    async def grow_down(self) -> None:
        last = min(len(self.blocks), self.last + WINDOW)
        await self.mount_all(self.block_widgets(self.last, last))
        self.last = last
        self.grown()

    async def grow_up(self) -> None:
        """Blocks above the first built, the view kept on what it shows."""
        first = max(0, self.first - WINDOW)
        widgets = self.block_widgets(first, self.first)
        top = self.query(".paragraph").first()
        was = top.virtual_region.y  # before the blocks above push it down
        await self.mount_all(widgets, before=top)
        self.first = first
        self.call_after_refresh(self.keep_view, top, was)

    def keep_view(self, top: Widget, was: int) -> None:
        self.scroll_to(y=self.scroll_y + top.virtual_region.y - was, animate=False, immediate=True)
        self.grown()

    def action_scroll_home(self) -> None:
        if self.first > 0:
            self.call_later(self.rebuild, 0, to_end=False)
        else:
            # At once, not after the next refresh: a follow_view already waiting for that refresh
            # (blocks just grown) would see the old view and move the cursor off paragraph 1.
            self.move_cursor(1)
            self.scroll_home(animate=False, immediate=True)

    def action_scroll_end(self) -> None:
        if self.last < len(self.blocks):
            self.call_later(self.rebuild, max(0, len(self.blocks) - WINDOW), to_end=True)
        elif self.blocks:
            self.move_cursor(self.blocks[-1][2])
            self.scroll_end(animate=False, immediate=True)  # (at once: as action_scroll_home)

    # --- the cursor -------------------------------------------------------------------------------

    def built(self) -> list[tuple[Widget, int]]:
        """Each block built, with its paragraph's number."""
        numbers = [number for _, _, number in self.blocks[self.first : self.last]]
        return list(zip(self.query(".paragraph"), numbers, strict=False))

    def move_cursor(self, number: int) -> None:
        self.cursor = number
        for widget, of in self.built():
            widget.set_class(of == number, "-cursor")

    def action_scroll_down(self) -> None:
        """The cursor to the next paragraph; through one taller than the view, a line at a time."""
        built = self.built()
        under = [widget for widget, number in built if number == self.cursor]
        view_bottom = self.scroll_y + self.scrollable_content_region.height
        if under and under[-1].virtual_region.bottom > view_bottom:
            self.scroll_down(animate=False, immediate=True)
            return
        following = [widget for widget, number in built if number == self.cursor + 1]
        if following:
            self.move_cursor(self.cursor + 1)
            self.scroll_to_widget(following[0], animate=False, immediate=True)
        elif self.last < len(self.blocks):  # not built yet (a burst outran the building): scroll on
            self.scroll_down(animate=False, immediate=True)

    def action_scroll_up(self) -> None:
        """The cursor to the paragraph before; through one taller than the view, a line at a time."""
        built = self.built()
        under = [widget for widget, number in built if number == self.cursor]
        if under and under[0].virtual_region.y < self.scroll_y:
            self.scroll_up(animate=False, immediate=True)
            return
        before = [widget for widget, number in built if number == self.cursor - 1]
        if before:
            self.move_cursor(self.cursor - 1)
            if self.cursor == 1 and self.first == 0:  # the article's heading with its first paragraph
                self.scroll_home(animate=False, immediate=True)
            else:
                self.scroll_to_widget(before[-1], animate=False, immediate=True, origin_visible=False)
        elif self.first > 0:
            self.scroll_up(animate=False, immediate=True)

    def action_page_down(self) -> None:
        self.paged = True
        super().action_page_down()

    def action_page_up(self) -> None:
        self.paged = True
        super().action_page_up()

    def follow_view(self) -> None:
        """After a page key, the cursor to the first paragraph in view; scrolled away from it
        otherwise (the mouse), to the nearest in view."""
        top, bottom = self.scroll_y, self.scroll_y + self.scrollable_content_region.height
        shown = [n for w, n in self.built() if w.virtual_region.bottom > top and w.virtual_region.y < bottom]
        if not shown:
            return
        if self.paged:
            self.paged = False
            self.move_cursor(shown[0])
        elif self.cursor not in shown:
            self.move_cursor(shown[0] if self.cursor < shown[0] else shown[-1])

    async def rebuild(self, first: int, *, to_end: bool) -> None:
        """The window of blocks from `first`, at its top or its end."""
        self.growing = True
        self.cursor = self.blocks[-1][2] if to_end else 1
        await self.remove_children()
        await self.mount_all(self.article_widgets(first))
        self.call_after_refresh(self.settle_at, to_end)

    def settle_at(self, to_end: bool) -> None:
        if to_end:
            self.scroll_end(animate=False)
        else:
            self.scroll_home(animate=False)
        self.grown()

    async def action_article(self, step: int) -> None:
        if self.article is None or len(self.order) < 2:
            self.app.bell()
            return
        index = (self.order.index(self.article.id) + step) % len(self.order)
        await self.show_article(self.order[index])

    def current_passage(self) -> int | None:
        """The 1-based number of the paragraph under the cursor."""
        return self.cursor if self.article is not None and self.blocks else None

    def bookmark_key(self) -> Target | None:
        """The passage `b` bookmarks: the one under the cursor."""
        number = self.current_passage()
        return ("source", passage_id(self.article.id, number)) if self.article and number else None

    def copy_text(self) -> tuple[str, str] | None:
        """The paragraph under the cursor, quoted, with its article; and what it is, for `y`'s message."""
        number = self.current_passage()
        if self.article is None or number is None:
            return None
        spans = [(start, end) for start, end, of in self.blocks if of == number]
        words = collapse_space(self.article.body[spans[0][0] : spans[-1][1]])
        return safe(f"“{words}” — {self.article.label}, paragraph {number}"), f"paragraph {number}"
