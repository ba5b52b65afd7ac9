"""The fan question sets (tests/data/fan_questions*.yaml) and how many the search answers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from aoad_tui.model.search import SearchIndex

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
