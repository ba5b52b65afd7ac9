"""The bare Textual skeleton that bench_startup.py and tests/e2e/test_isolation.py compare aoad-tui with:
an app shaped like the explorer, with nothing of its own (Textual's widgets, ten lines of text).
"""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Input, Label, ListItem, ListView, Static, TabbedContent, TabPane

OVERVIEW = "\n".join(f"Overview line {i}: lorem ipsum dolor sit amet" for i in range(1, 11))
QUOTES = "\n".join(f'Quote {i}: "Something memorable was said here."' for i in range(1, 11))


class Bare(App):
    TITLE = "Bare explorer"
    BINDINGS = [("ctrl+q", "quit", "Quit"), ("ctrl+b", "bookmark", "Bookmark")]

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="overview"):
            with TabPane("Overview", id="overview"):
                yield Static(OVERVIEW)
            with TabPane("Cast", id="cast"):
                yield ListView(*[ListItem(Label(f"Cast member {i}")) for i in range(1, 11)])
            with TabPane("Quotes", id="quotes"):
                yield Static(QUOTES)
            with TabPane("Rumors", id="rumors"):
                yield ListView(*[ListItem(Label(f"Rumor {i}")) for i in range(1, 11)])
        yield Input(placeholder="Search...")
        yield Footer()

    def action_bookmark(self) -> None:
        self.notify("bookmarked")


if __name__ == "__main__":
    Bare().run()
