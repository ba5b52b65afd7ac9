"""The search results list: kind, title, status, and a snippet with the matches highlighted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from aoad_tui.keys import MOVE
from aoad_tui.marks import Bookmarks, Marks
from aoad_tui.model.entries import Entry, KnowledgeBase
from aoad_tui.model.vocabulary import TARGETS
from aoad_tui.widgets.render import BOOKMARK_MARK, literal, status_badge
from aoad_tui.widgets.row_list import RowList
from aoad_tui.widgets.targets import Key

if TYPE_CHECKING:  # the search engine is imported when the index is built, after the first frame
    from aoad_tui.model.answer import Answer
    from aoad_tui.model.search import Result

MATCH_STYLE = "bold underline $accent"
KIND_WIDTH = max(map(len, TARGETS)) + 1


def result_row(result: Result, *, marked: bool = False) -> Content:
    """Kind, title, status and timeline label (a star when bookmarked); then the snippet, matches
    marked, unless the snippet is a part of the title: then the title carries the marks."""
    when = result.document.when
    title = literal(result.title[:200], "bold")
    lead = 1 if result.snippet.startswith("…") else 0
    at = result.title[:200].find(result.snippet.strip("…"))  # the snippet is a part of the title
    own = at >= 0
    if own:
        title = _marked(title, tuple((start + at - lead, end + at - lead) for start, end in result.marks))
    head = Content.assemble(
        *(((BOOKMARK_MARK, "bold $warning"),) if marked else ()),
        (f"{result.kind:<{KIND_WIDTH}}", "$text-muted"),
        title,
        *(("  ", status_badge(result.status)) if result.status else ()),
        *(("  ", literal(when, "$text-muted")) if when else ()),
    )
    if own:
        return head
    return Content.assemble(head, "\n", "       ", _marked(literal(result.snippet), result.marks))


def _marked(text: Content, marks: tuple[tuple[int, int], ...]) -> Content:
    for start, end in marks:
        text = text.stylize(MATCH_STYLE, start, end)
    return text


def answer_row(answer: Answer, *, marked: bool = False) -> Content:
    """The answer: what the best result says, how sure and as of when, and the passage it cites."""
    return Content.assemble(
        *(((BOOKMARK_MARK, "bold $warning"),) if marked else ()),
        ("Answer ", "bold reverse $accent"),
        " ",
        literal(answer.text, "bold"),
        "\n",
        "       ",
        status_badge(answer.status),
        (answer.verdict.removeprefix(answer.status), "$text-muted"),
        "\n",
        "       ",
        literal(f"“{answer.passage}”", "italic $text-muted"),
    )


class SearchResults(RowList):
    """Results, best first, a star on the bookmarked ones. Enter opens one in its tab."""

    BINDINGS = [*MOVE]

    class Opened(Message):
        """Enter on a result: show it in its tab."""

        def __init__(self, result: Result) -> None:
            super().__init__()
            self.result = result

    def __init__(self, knowledge: KnowledgeBase, bookmarks: Bookmarks, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.knowledge = knowledge
        self.bookmarks = bookmarks
        self.results: list[Result] = []
        self.answer: Answer | None = None  # shown in place of the first result's row
        self.marked: set[Key] = set()
        self.shown: tuple[list[Result], set[Key], str, Answer | None] | None = None  # what show() was last given

    def on_mount(self) -> None:
        self.bookmarks.follow(self, self.mark)

    def show(self, results: list[Result], empty: str = "", answer: Answer | None = None) -> None:
        """Show results, best first, the first as an answer when there is one; with none, `empty`
        (what to try instead), never a blank pane."""
        now_marked = {(r.kind, r.id) for r in results} & self.bookmarks.marks
        shown = (results, now_marked, empty, answer)
        if shown == self.shown:
            return  # a keystroke that changes nothing shown ("star" -> "star ") repaints nothing
        self.shown = shown
        self.results = results
        self.answer = answer
        self.marked = now_marked
        if results:
            self.set_options(Option(self.row(index)) for index in range(len(results)))
            self.highlighted = 0
        else:
            self.set_options([Option(literal(empty, "$text-muted"), disabled=True)] if empty else [])

    def row(self, index: int) -> Content:
        result = self.results[index]
        marked = (result.kind, result.id) in self.marked
        if index == 0 and self.answer is not None:
            return answer_row(self.answer, marked=marked)
        return result_row(result, marked=marked)

    def mark(self, marks: Marks) -> None:
        """Redraw the rows whose bookmark star changed."""
        for index, result in enumerate(self.results):
            key = (result.kind, result.id)
            if (key in marks) != (key in self.marked):
                self.marked ^= {key}
                self.replace_option_prompt_at_index(index, self.row(index))

    @on(OptionList.OptionSelected)
    def open_result(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if (result := self.current_result) is not None:
            self.post_message(self.Opened(result))

    @property
    def current_result(self) -> Result | None:
        if self.highlighted is None or not 0 <= self.highlighted < len(self.results):
            return None
        return self.results[self.highlighted]

    @property
    def current_entry(self) -> Entry | None:
        """The entry of the highlighted result (None for a source passage)."""
        result = self.current_result
        return self.knowledge.by_id.get(result.id) if result else None

    def bookmark_key(self) -> Key | None:
        result = self.current_result
        return (result.kind, result.id) if result else None


class SearchInput(Input):
    """The search box: down arrow moves into the results, like enter."""

    BINDINGS = [Binding("down", "results", "Results", show=False, id="search.results")]

    class ToResults(Message):
        """Down or enter in the search box: into the results, if there are any."""

    def action_results(self) -> None:
        self.post_message(self.ToResults())
