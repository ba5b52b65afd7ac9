"""The search results list: kind, title, status, and a snippet with the matches highlighted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList

from aoad_tui.bookmarking import Bookmarks
from aoad_tui.keys import MOVE
from aoad_tui.listing import cut
from aoad_tui.model.entries import Entry, KnowledgeBase
from aoad_tui.model.visits import News
from aoad_tui.model.vocabulary import TARGETS
from aoad_tui.whats_new import WhatsNew
from aoad_tui.widgets.render import literal, row_marks, status_badge
from aoad_tui.widgets.row_list import FilteredList
from aoad_tui.widgets.targets import Target

if TYPE_CHECKING:  # the search engine is imported when the index is built, after the first frame
    from aoad_tui.model.answer import Answer
    from aoad_tui.model.search import Result

MATCH_STYLE = "bold underline $accent"
# A timeline step's line in an answer: its words, status and passage within 76 columns (80, less
# the scroll bar's gutter and the row's padding), less the indent and the spaces between them.
STEP_WIDTH = 76 - 7 - 4
KIND_WIDTH = max(map(len, TARGETS)) + 1


def result_row(result: Result, *, marked: bool = False, news: str | None = None) -> Content:
    """Kind, title, status and timeline label (a star when bookmarked); then the snippet, matches
    marked, unless the snippet is a part of the title: then the title carries the marks."""
    when = result.document.when
    title = literal(result.title[:200], "bold")
    lead = 1 if result.snippet.startswith("…") else 0
    at = result.title[:200].find(result.snippet.strip("…"))  # the snippet is a part of the title
    own = at >= 0
    if own:
        title = _marked(title, tuple((start + at - lead, end + at - lead) for start, end in result.marks))
    # Who: a person's role beside the name, a quote's speaker and outlet under the words.
    role = result.byline if result.kind == "person" else ""
    head = Content.assemble(
        row_marks(marked=marked, news=news),
        (f"{result.kind:<{KIND_WIDTH}}", "$text-muted"),
        title,
        *(("  ", literal(role, "$text-muted")) if role else ()),
        *(("  ", status_badge(result.status)) if result.status else ()),
        *(("  ", literal(when, "$text-muted")) if when else ()),
    )
    lines = [head]
    if not own and result.snippet.strip("…") not in role:
        lines.append(Content.assemble("       ", _marked(literal(result.snippet), result.marks)))
    if result.kind == "quote" and result.byline:
        lines.append(Content.assemble("       ", literal(f"— {result.byline}", "italic $text-muted")))
    return Content("\n").join(lines)


def _marked(text: Content, marks: tuple[tuple[int, int], ...]) -> Content:
    for start, end in marks:
        text = text.stylize(MATCH_STYLE, start, end)
    return text


def answer_row(answer: Answer, *, marked: bool = False, news: str | None = None) -> Content:
    """The answer: what the best result says, how sure and as of when, and the passage it cites
    (a timeline answer: each step's)."""
    if answer.steps:  # each step its status and passage, a line each (whole in the detail, enter)
        sure = Content.styled(answer.verdict, "$text-muted")
        cited = [
            Content.assemble(
                literal(step.glance),
                " ",
                status_badge(step.status),
                " ",
                literal(
                    cut(f"“{step.passage}”", STEP_WIDTH - len(step.glance) - len(step.status)), "italic $text-muted"
                ),
            )
            for step in answer.steps
        ]
    else:
        sure = Content.assemble(
            status_badge(answer.status), (answer.verdict.removeprefix(answer.status), "$text-muted")
        )
        cited = [literal(f"“{answer.passage}”", "italic $text-muted")]
    return Content.assemble(
        row_marks(marked=marked, news=news),
        ("Answer ", "bold reverse $accent"),
        " ",
        literal(answer.text, "bold"),
        "\n       ",
        sure,
        *(Content.assemble("\n       ", line) for line in cited),
    )


class SearchResults(FilteredList["Result"]):
    """Results, best first, a star on the bookmarked ones. Enter opens one in its tab."""

    BINDINGS = [*MOVE]
    NONE_KEPT = "{found} found, none {label}: press {key} to change the filter."

    class Opened(Message):
        """Enter on a result: show it in its tab."""

        def __init__(self, result: Result) -> None:
            super().__init__()
            self.result = result

    def __init__(
        self, knowledge: KnowledgeBase, bookmarks: Bookmarks, whats_new: WhatsNew, *, id: str | None = None
    ) -> None:
        super().__init__(bookmarks, whats_new, id=id)
        self.knowledge = knowledge
        self.found: list[Result] = []  # every result of the query
        self.answer: Answer | None = None  # shown in place of the first result's row
        self.empty = ""
        self.drawn: tuple[object, ...] | None = None  # what was last drawn

    def on_mount(self) -> None:
        self.bookmarks.follow(self, self.mark)
        self.whats_new.follow(self, self.show_news)

    def show(self, results: list[Result], empty: str = "", answer: Answer | None = None) -> None:
        """Show results, best first, the first as an answer when there is one; with none, `empty`
        (what to try instead), never a blank pane."""
        self.found, self.empty, self.answer = results, empty, answer
        self.draw()

    def draw(self) -> None:
        # Every result, not only what the filter keeps: the line when it keeps none counts them all.
        marked = {self.key(result) for result in self.found} & self.marks
        drawn = (self.found, marked, self.empty, self.answer, self.status_filter, self.news)
        if drawn == self.drawn:
            return  # a keystroke that changes nothing shown ("star" -> "star ") repaints nothing
        self.drawn = drawn
        super().draw()

    def items(self) -> list[Result]:
        return self.found

    def status(self, item: Result) -> str:
        return item.status

    def key(self, item: Result) -> Target:
        return (item.kind, item.id)

    def keeps(self, item: Result) -> bool:
        # The answer shows whatever the filter: it is what the question asked.
        return (self.answer is not None and item is self.answer.result) or super().keeps(item)

    def prompt(self, item: Result) -> Content:
        marked, news = self.is_marked(item), self.news_of(item)
        if self.answer is not None and item is self.answer.result:  # (the first result)
            return answer_row(self.answer, marked=marked, news=news)
        return result_row(item, marked=marked, news=news)

    def empty_line(self) -> str:
        return self.empty

    def place(self, kept: list[Result]) -> int:
        """The same results drawn again (their markers, say): the highlight stays where it was."""
        return self.highlighted if self.highlighted is not None and kept == self.shown_items() else 0

    def show_news(self, news: News) -> None:
        if news != self.news:
            self.news = news
            self.draw()

    @on(OptionList.OptionSelected)
    def open_result(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if (result := self.current_item) is not None:
            self.post_message(self.Opened(result))

    @property
    def current_entry(self) -> Entry | None:
        """The entry of the highlighted result (None for a source passage)."""
        result = self.current_item
        return self.knowledge.by_id.get(result.id) if result else None


# The longest query the search box holds: ten times a long question. Every letter typed searches
# and draws the box's whole text again: with no limit, typing grew the app about 5 MiB a KB typed,
# and each key cost more time than the one before.
MAX_QUERY = 200
QUERY_CUT = f"The search box holds {MAX_QUERY} characters: what went past that was left out."


class SearchInput(Input):
    """The search box: down arrow moves into the results, like enter. It holds MAX_QUERY
    characters; what is typed or pasted past that is left out, and said once until there is room."""

    BINDINGS = [Binding("down", "results", "Results", show=False, id="search.results")]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=MAX_QUERY, **kwargs)
        self.told_full = False

    class ToResults(Message):
        """Down or enter in the search box: into the results, if there are any."""

    def action_results(self) -> None:
        self.post_message(self.ToResults())

    def replace(self, text: str, start: int, end: int) -> None:
        """Every insertion (a key, a paste, over a selection) comes here: cut to the room left."""
        start, end = sorted((max(0, start), min(len(self.value), end)))
        room = MAX_QUERY - (len(self.value) - (end - start))
        if len(text) > room:
            text = text[: max(room, 0)]
            if not self.told_full:
                self.told_full = True
                self.notify(QUERY_CUT, title="Search", severity="warning", timeout=5, markup=False)
        elif len(self.value) < MAX_QUERY:
            self.told_full = False
        if text or start != end:
            super().replace(text, start, end)
