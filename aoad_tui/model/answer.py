"""The answer line: when the best result clearly answers a question, what it says, how sure it is
and as of when, and the passage it cites, in the words of the entry, never more."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from aoad_tui.model.coverage import covers
from aoad_tui.model.entries import Entry, Fact, KnowledgeBase, Quote, Rumor
from aoad_tui.model.question import INTENTS, Question
from aoad_tui.model.search import Result, SearchIndex
from aoad_tui.model.text import collapse_space

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
CLEAR_LEAD = 0.8  # the runner-up scores at most this share of the best: the best is clearly best
UNSURE = ("expected", "reported", "speculated")  # said with ", not confirmed" ("unconfirmed" says it)


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the season 2 timeline in an answer: its few words and the passage it cites."""

    glance: str  # "postponed to 2026"
    status: str
    passage: str
    article: str


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
    # A question about season 2's release or status: the whole timeline, each step cited.
    steps: tuple[Step, ...] = ()

    @property
    def verdict(self) -> str:
        """How sure, and as of when: "confirmed as of 2025-04-16", "expected, not confirmed as of
        2025-04-16", "reported by Star News, not confirmed as of 2025-04-16"."""
        if self.steps:  # each step has its own status: the line says how new the timeline is
            return f"as of {self.as_of.isoformat()}"
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
            "steps": [
                {"glance": s.glance, "status": s.status, "passage": s.passage, "article": s.article} for s in self.steps
            ],
        }


def answer(knowledge: KnowledgeBase, index: SearchIndex, query: str, results: list[Result]) -> Answer | None:
    """The answer line for `query`, when its best result is an entry that says every meaningful
    word of the question in its own words (never by a prefix, never only in who reported it),
    no word of the question is unknown to the sources, and it is clearly the best (by its score,
    or by being what the question word asks for). When in doubt, none: the results still show."""
    asked = index.question(query)
    if not results or not (asked.is_question or query.rstrip().endswith("?")) or not asked.meaningful:
        return None
    if asked.only_stopwords:
        return None  # "a", "who is it": nothing asked that an entry could say
    if index.unmatched(query, typing=False):
        return None  # a word the sources know nothing about: whatever comes first is not about it
    # A question about season 2's release or status (a step of its timeline among the first
    # three, and every word said by the timeline): the answer is the whole timeline, whichever
    # step ranked first.
    timeline = index.numbers_of(fact.id for fact in knowledge.facts if fact.glance)
    # The show named, not what every step of the timeline is about (season 2): when another step
    # of the show's history says all the question asks ("when did aoad come out": season 1's
    # release), the question is not clearly about season 2's timeline.
    subject = any(all(covers(index, n, [group]) for n in timeline) for group in asked.meaningful)
    if any(group.context for group in asked.groups) and not subject:
        history = index.numbers_of(fact.id for fact in knowledge.facts if fact.when and not fact.glance)
        if any(covers(index, n, asked.meaningful) for n in history):
            timeline = []
    on_timeline = any(_on_timeline(knowledge.by_id.get(r.id)) for r in results[:3] if r.kind != "source")
    when_or_none = not asked.intents or "when" in asked.intents
    if timeline and when_or_none and on_timeline and covers(index, timeline, asked.meaningful):
        return timeline_answer(knowledge, index, asked, results)
    best = results[0]
    entry = knowledge.by_id.get(best.id) if best.kind != "source" else None
    if entry is None or best.matched < len(asked.meaningful):
        return None
    if not covers(index, best.number, asked.meaningful) or (_on_timeline(entry) and not timeline):
        return None
    # What a question word asks for ("who": a person, "when": a step of the timeline): an entry
    # of another kind says something near the question, not its answer.
    if asked.intents and not index.fits(best, asked.intents):
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


def nothing_about(unmatched: list[str]) -> str:
    """What the sources don't know, in a line: "Nothing in the sources about nam-ra."."""
    words = [f"“{word}”" if " " in word else word for word in unmatched]
    listed = ", ".join(words[:-1]) + f" or {words[-1]}" if len(words) > 1 else words[0]
    return f"Nothing in the sources about {listed}."


def _on_timeline(entry: Entry | None) -> bool:
    """A step of season 2's status at a glance (announced, planned, postponed, no date)."""
    return isinstance(entry, Fact) and bool(entry.glance)


def timeline_answer(knowledge: KnowledgeBase, index: SearchIndex, asked: Question, results: list[Result]) -> Answer:
    """The whole timeline, standing on its latest step that names a year ("postponed to 2026"):
    the latest state, whichever earlier step ranked first ("first planned for 2025"). A later step
    that ranked first stands for it when it says all the question asks and that step does not
    ("has the exact date been announced": no release date announced)."""
    steps = [fact for fact in knowledge.facts if fact.glance]
    latest = _latest_step(knowledge)
    (number,) = index.numbers_of([latest.id])
    best = next(r for r in results if _on_timeline(knowledge.by_id.get(r.id)) and r.kind != "source")
    # What the question describes: "date" asks for one (a year says it), it does not describe it.
    described = [g for g in asked.meaningful if not (len(g.typed) == 1 and g.typed[0] in INTENTS)]
    later = [fact.id for fact in steps[steps.index(latest) + 1 :]]
    asked_when = any(INTENTS.get(term) == "when" and term != "date" for term in asked.terms)  # "when", not "date"
    if (
        best.id in later
        and not asked_when
        and not covers(index, number, described)
        and covers(index, best.number, described)
    ):
        return answer_of(knowledge, knowledge.by_id[best.id], best)
    result = next((r for r in results if r.number == number), None) or index.result_of(number, results[0])
    return answer_of(knowledge, latest, result)


def ask(
    knowledge: KnowledgeBase, index: SearchIndex, query: str, limit: int = 50
) -> tuple[list[Result], Answer | None]:
    """The results of a query and its answer line, the answer's entry first (a timeline answer
    stands on a step that may have ranked lower)."""
    results = index.search(query, limit=limit)
    found = answer(knowledge, index, query, results)
    if found is not None and results and results[0] is not found.result:
        results = [found.result, *(r for r in results if r is not found.result and r.id != found.result.id)][:limit]
    if found is not None and found.steps and limit > 1:
        # The latest state among the first rows, whichever step the answer stands on.
        latest = _latest_step(knowledge)
        if all(r.id != latest.id for r in results[:3]):
            (number,) = index.numbers_of([latest.id])
            results = [results[0], index.result_of(number, results[0]), *(r for r in results[1:] if r.id != latest.id)][
                :limit
            ]
    return results, found


def _latest_step(knowledge: KnowledgeBase) -> Fact:
    """The timeline's latest step that names a year ("postponed to 2026"), else its last."""
    steps = [fact for fact in knowledge.facts if fact.glance]
    return ([fact for fact in steps if _YEAR.search(fact.glance)] or steps)[-1]


def answer_of(knowledge: KnowledgeBase, entry: Entry, result: Result) -> Answer:
    when = entry.when if isinstance(entry, Fact) else ""
    if isinstance(entry, Quote):
        text = collapse_space(f"{knowledge.speaker_name(entry)} to {entry.outlet}: “{entry.words}”")
    else:
        text = collapse_space(entry.text if entry.kind != "person" else f"{entry.title}: {entry.text}")
    if when and when.lower() not in text.lower() and not when.lower().startswith("as of"):
        text = f"{when}: {text}"
    cites = entry.history[-1].cites if isinstance(entry, Rumor) and entry.history else entry.cites
    citation = cites[0]
    steps: tuple[Step, ...] = ()
    as_of = entry.as_of
    if _on_timeline(entry):
        # Any step of the timeline answers from all of them: "when" is "postponed to 2026", never
        # "no exact date" alone, nor "2025" without what came after.
        timeline = [fact for fact in knowledge.facts if fact.glance]
        steps = tuple(
            Step(
                fact.glance,
                fact.status_word,
                collapse_space(fact.cites[0].passage),
                knowledge.source_label(fact.cites[0]),
            )
            for fact in timeline
        )
        text = "Season 2: " + " · ".join(step.glance for step in steps)
        as_of = max(fact.as_of for fact in timeline)
    return Answer(
        result=result,
        text=text,
        status=entry.status_word,
        as_of=as_of,
        when=when,
        reported_by=entry.reported_by if isinstance(entry, Rumor) else "",
        passage=collapse_space(citation.passage),
        article=knowledge.source_label(citation),
        steps=steps,
    )
