"""Text whose wrapped lines start under the text, not under its number or mark: a citation's
`1. “…”` wraps under the quote, as a list does on paper."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.geometry import Size
from textual.widgets import Static

Line = tuple[Content, int]  # a line of text, and how far in its wrapped parts start (cells)


def wrap_hanging(lines: Sequence[Line], width: int) -> list[Content]:
    """Each line wrapped to `width`: its first part whole, the rest indented by its hang (none when
    the hang would leave less than half the width)."""
    if width <= 0:
        return [content for content, _ in lines]
    out: list[Content] = []
    for content, asked in lines:
        if content.cell_length <= width:
            out.append(content)
            continue
        hang = asked if 0 < asked <= width // 2 else 0
        head, body = content[:hang], content[hang:]
        parts = body.wrap(width - hang) or [Content("")]
        out += [Content.assemble(head if n == 0 else " " * hang, part) for n, part in enumerate(parts)]
    return out


class HangingText(Static):
    """Lines with hanging indents, wrapped again whenever the width changes."""

    def __init__(self, lines: Sequence[Line] = (), *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.lines = list(lines)
        self.wrapped: tuple[int, list[Content]] = (-1, [])  # the last width asked, and its lines

    def show(self, lines: Sequence[Line]) -> None:
        self.lines, self.wrapped = list(lines), (-1, [])
        self.refresh(layout=True)

    def lines_at(self, width: int) -> list[Content]:
        if self.wrapped[0] != width:
            self.wrapped = (width, wrap_hanging(self.lines, width))
        return self.wrapped[1]

    def render(self) -> Content:
        return Content("\n").join(self.lines_at(self.content_size.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines_at(width))
