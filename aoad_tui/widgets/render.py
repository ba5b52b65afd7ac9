"""Turning knowledge-base text into Textual Content: always literal, never markup."""

from __future__ import annotations

from textual.content import Content

from aoad_tui.model.entries import Article, Citation, Entry, Fact, KnowledgeBase, Person, Quote, Rumor, Show
from aoad_tui.model.inert import inert_line as safe
from aoad_tui.model.text import collapse_space
from aoad_tui.widgets.hanging import Line

STATUS_STYLES = {
    "confirmed": "bold $success",
    "on record": "bold $success",
    "announced": "bold $accent",
    "expected": "bold $primary",
    "reported": "bold $secondary",
    "speculated": "bold $warning",
    "unconfirmed": "$text-muted",
    "denied": "bold $error",
}


def literal(text: str, style: str = "") -> Content:
    """Data text as Content: brackets stay brackets, escapes become visible symbols."""
    return Content.styled(safe(text), style) if style else Content(safe(text))


def status_badge(status: str) -> Content:
    """The status in words, coloured where there is colour: reads the same with NO_COLOR."""
    return Content.styled(f"[{status}]", STATUS_STYLES.get(status, ""))


def as_of(entry: Entry) -> Content:
    return Content.assemble(status_badge(entry.status_word), (f" as of {entry.as_of.isoformat()}", "$text-muted"))


BOOKMARK_MARK = "★ "


def row_marks(*, marked: bool = False, news: str | None = None) -> Content:
    """What leads a row: a star when bookmarked, then " new " or " changed " (since the last
    visit) in reverse video, which reads as a word without colour too."""
    return Content.assemble(
        *(((BOOKMARK_MARK, "bold $warning"),) if marked else ()),
        *(((f" {news} ", "bold reverse $accent"), " ") if news else ()),
    )


def entry_row(knowledge: KnowledgeBase, entry: Entry, *, marked: bool = False, news: str | None = None) -> Content:
    """An entry as a list row (with a star when bookmarked, a marker when new or changed)."""
    row = _entry_row(knowledge, entry)
    return Content.assemble(row_marks(marked=marked, news=news), row) if marked or news else row


def _entry_row(knowledge: KnowledgeBase, entry: Entry) -> Content:
    """An entry as a list row: its main line, then a muted line of status and attribution."""
    if isinstance(entry, Person):
        main = Content.assemble(literal(entry.name, "bold"), "  ", literal(entry.text))
        return Content.assemble(main, "\n", as_of(entry))
    if isinstance(entry, Quote):
        who = f"— {knowledge.speaker_name(entry)}" + (f", {entry.outlet}" if entry.outlet else "")
        main = literal(f"“{collapse_space(entry.words)}”")
        row = Content.assemble(main, "\n", literal(who, "italic"), "  ", as_of(entry))
        return Content.assemble(row, "\n", literal(f"about: {entry.about}", "$text-muted")) if entry.about else row
    if isinstance(entry, Rumor):
        by = f"  reported by {entry.reported_by}" if entry.reported_by else ""
        path = [status_badge(step.status) for step in entry.history[:-1]]
        history = Content.assemble(Content(" → ").join(path), " → ") if path else Content("")
        as_of_line = Content.assemble(history, as_of(entry), literal(by, "$text-muted"))
        return Content.assemble(literal(collapse_space(entry.claim)), "\n", as_of_line)
    if isinstance(entry, Fact) and entry.when:
        return Content.assemble(
            literal(entry.when, "bold"), "  ", literal(entry.statement), "  ", status_badge(entry.status_word)
        )
    return Content.assemble(literal(collapse_space(entry.title)), "  ", status_badge(entry.status_word))


def citation_block(knowledge: KnowledgeBase, citations: tuple[Citation, ...], indent: str = "  ") -> list[Line]:
    """Each citation: the quoted passage and the article it comes from, wrapped under the passage."""
    lines: list[Line] = []
    for number, citation in enumerate(citations, 1):
        mark = f"{indent}{number}. "
        lines.append((literal(f"{mark}“{collapse_space(citation.passage)}”"), len(mark)))
        lines.append((literal(f"{' ' * len(mark)}— {knowledge.source_label(citation)}", "$text-muted"), len(mark) + 2))
    return lines


def entry_detail_lines(knowledge: KnowledgeBase, entry: Entry) -> list[Line]:
    """Everything known about an entry, with status and citations: lines with their hanging indent."""
    lines: list[Content] = [literal(collapse_space(entry.title), "bold"), Content("")]
    if isinstance(entry, Person):
        lines.append(literal(entry.text))
    elif isinstance(entry, Quote):
        lines.append(literal(f"Said by {knowledge.speaker_name(entry)}"))
        if entry.setting:
            lines.append(literal(f"Where: {entry.setting}"))
        if entry.about:
            lines.append(literal(f"About: {entry.about}"))
    elif isinstance(entry, Rumor) and entry.reported_by:
        lines.append(literal(f"Reported by: {entry.reported_by}"))
    elif isinstance(entry, Show):
        lines.append(literal(entry.summary))
        if entry.aliases:
            lines.append(literal("Also written as: " + ", ".join(a.name for a in entry.aliases)))
    elif isinstance(entry, Fact) and entry.when:
        lines.append(literal(f"When: {entry.when}"))
    lines.append(Content.assemble("Status: ", as_of(entry)))
    hanging: list[Line] = [(line, 0) for line in lines]
    hanging += [(Content(""), 0), (Content.styled("Sources", "bold underline"), 0)]
    hanging += citation_block(knowledge, entry.cites)
    if isinstance(entry, Rumor) and len(entry.history) > 1:
        hanging += [(Content(""), 0), (Content.styled("Status history", "bold underline"), 0)]
        for step in entry.history:
            note = f"  {step.note}" if step.note else ""
            step_line = Content.assemble("  ", status_badge(step.status), f" {step.as_of.isoformat()}", literal(note))
            hanging.append((step_line, 4))
            hanging += citation_block(knowledge, step.cites, indent="      ")
    if isinstance(entry, Person):
        for heading, kind in (("Quotes", Quote), ("Facts", Fact), ("Rumors", Rumor)):
            related = [e for e in knowledge.mentioning(entry.id) if isinstance(e, kind)]
            if related:
                hanging += [(Content(""), 0), (Content.styled(heading, "bold underline"), 0)]
                for other in related:
                    title = literal(collapse_space(other.title))
                    hanging.append((Content.assemble("• ", title, "  ", as_of(other)), 2))
                    hanging += citation_block(knowledge, other.cites, indent="    ")
    return hanging


def entry_detail(knowledge: KnowledgeBase, entry: Entry) -> Content:
    """Everything known about an entry, as one text (wrapped by whoever shows it)."""
    return Content("\n").join(line for line, _ in entry_detail_lines(knowledge, entry))


def attribution(knowledge: KnowledgeBase, entry: Entry) -> str:
    """Plain text for the clipboard: the words, who said them, the status and the source."""
    source = knowledge.articles.get(entry.cites[0].article) if entry.cites else None
    cited = f"; source: {source.label}" if isinstance(source, Article) else ""
    status = f"[{entry.status_word}, as of {entry.as_of.isoformat()}{cited}]"
    if isinstance(entry, Quote):
        where = f", to {entry.outlet}" if entry.outlet else ""
        text = f"“{collapse_space(entry.words)}” — {knowledge.speaker_name(entry)}{where} {status}"
    elif isinstance(entry, Person):
        text = f"{entry.name}: {collapse_space(entry.text)} {status}"
    elif isinstance(entry, Rumor) and entry.reported_by:
        text = f"{collapse_space(entry.text)} (reported by {entry.reported_by}) {status}"
    else:
        text = f"{collapse_space(entry.text)} {status}"
    # Pasted text must not carry control sequences either (a stray ESC[201~ ends a bracketed paste).
    return safe(text)
