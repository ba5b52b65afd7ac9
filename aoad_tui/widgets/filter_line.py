"""Filtering a list by status: the message a list sends when its filter changes, and the line
above the list that says which filter is on and what it hides."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from aoad_tui.keys import key_of
from aoad_tui.model.filters import EVERYTHING, StatusFilter


@runtime_checkable
class Filterable(Protocol):
    """A list that can be narrowed by status: `f` acts on it."""

    status_filter: StatusFilter

    def filter_counts(self) -> list[tuple[StatusFilter, int]]:
        """Each filter, and how many rows it would show."""
        ...

    def set_filter(self, status_filter: StatusFilter) -> None: ...


class Filtered(Message):
    """A list's filter, or what it hides, changed: how many rows are hidden, and how many of them
    are bookmarked or new, so that a filter never hides those without saying so."""

    def __init__(self, origin: Widget, status_filter: StatusFilter, hidden: int, new: int, marked: int) -> None:
        super().__init__()
        self.origin = origin
        self.status_filter = status_filter
        self.hidden = hidden
        self.new = new
        self.marked = marked

    @property
    def control(self) -> Widget:
        return self.origin


def hidden_line(event: Filtered, key: str) -> str:
    """ "Only confirmed and announced · 3 hidden (1 new, 1 bookmarked) · f: filter"."""
    among = [f"{n} {what}" for n, what in ((event.new, "new or changed"), (event.marked, "bookmarked")) if n]
    detail = f" ({', '.join(among)})" if among else ""
    return f"Only {event.status_filter.label} · {event.hidden} hidden{detail} · {key}: filter"


class FilterLine(Static):
    """Above a list: the filter that is on and what it hides; not shown while nothing is filtered."""

    DEFAULT_CSS = """
    FilterLine {
        display: none;
        height: 1;
        padding: 0 1;
        color: $text-warning;
        text-style: bold;
    }
    """

    def show_filter(self, event: Filtered) -> None:
        on = event.status_filter != EVERYTHING
        if on:
            self.update(Content(hidden_line(event, key_of(self, "filter", "f"))))
        self.display = on
