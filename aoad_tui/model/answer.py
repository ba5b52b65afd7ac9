"""The answer line: when the best result clearly answers a question, what it says, how sure it is
and as of when, and the passage it cites, in the words of the entry, never more."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from aoad_tui.model.entries import Entry, Fact, KnowledgeBase, Rumor
from aoad_tui.model.search import Result, SearchIndex
from aoad_tui.model.text import collapse_space

CLEAR_LEAD = 0.8  # the runner-up scores at most this share of the best: the best is clearly best
UNSURE = ("expected", "reported", "speculated")  # said with ", not confirmed" ("unconfirmed" says it)


@dataclass(frozen=True, slots=True)
class Answer:
    result: Result
    text: str  # what the entry says, with its timeline label where the text lacks it
    status: str  # the status word, as the lists show it
    as_of: date
    when: str  # the timeline label of a fact ("Initially"), else ""
    reported_by: str  # who reports a rumor, else ""
    passage: str  # the cited passage, as the article has it (white space collapsed)
    article: str  # the article's label (title, outlet, date)

    @property
    def verdict(self) -> str:
        """How sure, and as of when: "confirmed as of 2025-04-16", "expected, not confirmed as of
        2025-04-16", "reported by Star News, not confirmed as of 2025-04-16"."""
        said = self.status
        if self.reported_by:
            said = f"reported by {self.reported_by}" if said == "reported" else f"{said} (from {self.reported_by})"
        unsure = ", not confirmed" if self.status in UNSURE else ""
        return f"{said}{unsure} as of {self.as_of.isoformat()}"

    @property
    def line(self) -> str:
        """One line: the text and the verdict."""
        return f"{self.text} ({self.verdict})"

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.result.id,
            "kind": self.result.kind,
            "text": self.text,
            "status": self.status,
            "as_of": self.as_of.isoformat(),
            "when": self.when,
            "reported_by": self.reported_by,
            "verdict": self.verdict,
            "passage": self.passage,
            "article": self.article,
        }


def answer(knowledge: KnowledgeBase, index: SearchIndex, query: str, results: list[Result]) -> Answer | None:
    """The answer line for `query`, when its best result is an entry that matched all of the
    question and is clearly the best (by its score, or by being what the question word asks for)."""
    asked = index.question(query)
    if not results or not asked.is_question:
        return None
    best = results[0]
    entry = knowledge.by_id.get(best.id) if best.kind != "source" else None
    if entry is None or best.matched < len(asked.meaningful) or not asked.meaningful:
        return None
    if len(results) > 1:
        runner_up = results[1]
        if runner_up.score >= best.score:
            return None  # a tie: "who's new" is four people, not the first of them
        ahead = runner_up.score <= best.score * CLEAR_LEAD or runner_up.matched < best.matched
        # or the question word tells them apart: "why" and only the best gives a reason
        told_apart = index.fits(best, asked.intents) and not index.fits(runner_up, asked.intents)
        if not ahead and not told_apart:
            return None
    return answer_of(knowledge, entry, best)


def answer_of(knowledge: KnowledgeBase, entry: Entry, result: Result) -> Answer:
    when = entry.when if isinstance(entry, Fact) else ""
    text = collapse_space(entry.text if entry.kind != "person" else f"{entry.title}: {entry.text}")
    if when and when.lower() not in text.lower() and not when.lower().startswith("as of"):
        text = f"{when}: {text}"
    cites = entry.history[-1].cites if isinstance(entry, Rumor) and entry.history else entry.cites
    citation = cites[0]
    return Answer(
        result=result,
        text=text,
        status=entry.status_word,
        as_of=entry.as_of,
        when=when,
        reported_by=entry.reported_by if isinstance(entry, Rumor) else "",
        passage=collapse_space(citation.passage),
        article=knowledge.source_label(citation),
    )
