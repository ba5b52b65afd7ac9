"""The fan question sets (tests/data/fan_questions*.yaml) and how many the search answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from aoad_tui.model.entries import KnowledgeBase
from aoad_tui.model.search import Result, SearchIndex

DATA = Path(__file__).resolve().parents[1] / "data"
OWN = DATA / "fan_questions.yaml"  # written from the seeds; the engine was tuned with it
HELD_OUT = DATA / "fan_questions_holdout.yaml"  # written apart, never tuned with: how it generalizes
TOP = 3


@dataclass(frozen=True)
class Question:
    ask: str
    answers: frozenset[str]


def questions(path: Path) -> list[Question]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Question(item["ask"], frozenset(item["answers"])) for item in document["questions"]]


def answered(index: SearchIndex, question: Question, top: int = TOP) -> bool:
    """Whether one of the entries that answer the question is among the first `top` results."""
    return any(result.id in question.answers for result in index.search(question.ask, limit=top))


def misses(index: SearchIndex, asked: list[Question], top: int = TOP) -> list[str]:
    return [question.ask for question in asked if not answered(index, question, top)]


# --- the article sets: written from the source article alone, judged by what the entry says ------

ARTICLE = DATA / "questions_article.yaml"  # answerable from the article: what the right entry must say
UNANSWERABLE = DATA / "questions_unanswerable.yaml"  # the article cannot answer: no answer line, ever


@dataclass(frozen=True)
class Asked:
    ask: str
    must_contain: tuple[str, ...] = ()  # each required; " | " separates ways of saying one thing
    release: bool = False  # about when season 2 comes out: its answer must say 2026
    answerable: bool = True  # False: the sources cannot answer it (no answer line may be given)


TUNING = DATA / "questions_tuning.yaml"  # written from the article for tuning: both kinds, mixed
DEV = DATA / "questions_dev.yaml"  # our own, from the seeds and the issues' examples: both kinds


def asked_in(path: Path) -> list[Asked]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Asked(
            item["ask"],
            tuple(item.get("must_contain", ())),
            bool(item.get("release", False)),
            bool(item.get("answer", True)),
        )
        for item in document["questions"]
    ]


def says(text: str, must_contain: tuple[str, ...]) -> bool:
    """Whether a text says each thing asked (one of its ways), case and spacing aside."""
    folded = " ".join(text.casefold().split())
    return all(any(" ".join(way.casefold().split()) in folded for way in must.split("|")) for must in must_contain)


def entry_text(result: Result) -> str:
    """All an entry result says, who it is about and who said it (a source passage says nothing:
    the right *entry* is asked for)."""
    doc = result.document
    if doc.entry is None:
        return ""
    return " ".join((doc.title, *doc.names, *doc.bodies, *doc.credits, doc.speaker, doc.when))


@dataclass
class Judged:
    questions: int = 0
    first: int = 0  # the right entry is the first result
    top3: int = 0  # ... among the first three
    answers: int = 0  # answer lines given
    wrong: int = 0  # answer lines whose entry does not say what was asked (every one, on UNANSWERABLE)
    release: int = 0  # questions about the release
    release_2026: int = 0  # ... whose answer line says 2026
    missed: list[str] = field(default_factory=list)  # not in the first three, or wrongly answered

    def share(self, count: int) -> float:
        return count / self.questions if self.questions else 0.0


def judge(knowledge: KnowledgeBase, index: SearchIndex, asked: list[Asked], answerable: bool = True) -> Judged:
    from aoad_tui.model.answer import ask

    judged = Judged(questions=len(asked))
    for question in asked:
        results, found = ask(knowledge, index, question.ask, limit=TOP)
        right = [says(entry_text(result), question.must_contain) for result in results]
        judged.first += bool(right[:1] and right[0])
        judged.top3 += any(right)
        judged.answers += found is not None
        wrong = found is not None and (
            not answerable or not says(found.line + entry_text(found.result), question.must_contain)
        )
        judged.wrong += wrong
        if question.release:
            judged.release += 1
            judged.release_2026 += found is not None and "2026" in found.line
        if wrong or (answerable and not any(right)):
            judged.missed.append(question.ask)
    return judged
