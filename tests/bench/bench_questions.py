"""How many fans' questions the search answers, in process, on the bundled seeds.

    python tests/bench/bench_questions.py [--baseline COMMIT] [--misses]

For the two question sets in tests/data (our own, which the thesaurus and the weights were tuned
with, and a held-out set written apart and never tuned with) it prints the share whose answer is the
first result and the share with an answer in the first three (the issue's target: 90% or more),
for the engine as it is and with parts of it taken away (no thesaurus, no stemmer, neither), and
for the engine of an earlier commit (--baseline, default 11f33b6, before questions: read with
`git show`, skipped where there is no git history). --misses lists the questions missed.

Then the article sets (tests/data/questions_article.yaml, questions_unanswerable.yaml: written
from the article alone, never tuned on), judged by what the first results say: the right entry
first and in the first three, answer lines given and wrong, release answers that say 2026; and,
for reference, the two sets the answer rules were tuned on (questions_tuning.yaml, _dev.yaml).
Read-only: nothing is written anywhere.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the support package
from support.knowledge import changed
from support.questions import (
    ARTICLE,
    DEV,
    HELD_OUT,
    OWN,
    TUNING,
    UNANSWERABLE,
    Question,
    asked_in,
    judge,
    questions,
)

import aoad_tui.model.question
import aoad_tui.model.search
from aoad_tui.model.entries import KnowledgeBase
from aoad_tui.model.loader import load_knowledge
from aoad_tui.model.paths import bundled_seeds
from aoad_tui.model.search import build_index

REPO = Path(__file__).resolve().parents[2]
TARGET = 0.90
Search = Callable[[str, int], list[str]]  # a query and a limit -> result ids


@contextmanager
def no_stemmer() -> Iterator[None]:
    """Every word its own stem: what the engine does without word forms."""
    saved = aoad_tui.model.question.stem, aoad_tui.model.search.stem
    aoad_tui.model.question.stem = aoad_tui.model.search.stem = lambda word: word  # type: ignore[assignment]
    try:
        yield
    finally:
        aoad_tui.model.question.stem, aoad_tui.model.search.stem = saved


def engine(knowledge: KnowledgeBase) -> Search:
    index = build_index(knowledge)
    return lambda query, limit: [result.id for result in index.search(query, limit=limit)]


def baseline_engine(knowledge: KnowledgeBase, commit: str) -> Search | None:
    """The search module of an earlier commit, on today's seeds."""
    try:
        source = subprocess.run(
            ["git", "-C", str(REPO), "show", f"{commit}:aoad_tui/model/search.py"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType(f"search_{commit}")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, f"{commit}:aoad_tui/model/search.py", "exec"), module.__dict__)
    index = module.build_index(knowledge)
    return lambda query, limit: [result.id for result in index.search(query, limit=limit)]


def shares(search: Search, asked: list[Question]) -> tuple[float, float, list[str]]:
    first = top3 = 0
    missed = []
    for question in asked:
        found = search(question.ask, 3)
        first += bool(found[:1] and found[0] in question.answers)
        hit = any(result in question.answers for result in found)
        top3 += hit
        if not hit:
            missed.append(question.ask)
    return first / len(asked), top3 / len(asked), missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="11f33b6", metavar="COMMIT")
    parser.add_argument("--misses", action="store_true", help="list the questions missed in the first three")
    args = parser.parse_args()

    knowledge = load_knowledge(bundled_seeds())
    bare = changed(knowledge, thesaurus=())
    sets = {"own": questions(OWN), "held-out": questions(HELD_OUT)}
    print(
        f"fan questions: {', '.join(f'{name} {len(asked)}' for name, asked in sets.items())}; target: "
        f"{TARGET:.0%} with an answer in the first three"
    )
    print(f"{'engine':<32}" + "".join(f"{name + ' top-1':>16}{name + ' top-3':>16}" for name in sets))
    missed_by_set: dict[str, list[str]] = {}
    own_top3 = 0.0

    def row(label: str, search: Search | None) -> None:
        nonlocal own_top3
        if search is None:
            print(f"{label:<32}  (no git history here)")
            return
        cells = ""
        for name, asked in sets.items():
            first, top3, missed = shares(search, asked)
            cells += f"{first:>16.0%}{top3:>16.0%}"
            if label == "this engine":
                missed_by_set[name] = missed
                own_top3 = top3 if name == "own" else own_top3
        print(f"{label:<32}{cells}", flush=True)

    row("this engine", engine(knowledge))
    row("  without the thesaurus", engine(bare))
    with no_stemmer():
        row("  without the stemmer", engine(knowledge))
        row("  without either", engine(bare))
    row(f"before questions ({args.baseline})", baseline_engine(knowledge, args.baseline))
    if args.misses:
        for name, missed in missed_by_set.items():
            print(f"\nmissed ({name}): " + "; ".join(missed))
    article_sets(knowledge, show_misses=args.misses)
    return 0 if own_top3 >= TARGET else 1


def article_sets(knowledge: KnowledgeBase, show_misses: bool) -> None:
    """The sets written from the article alone (never tuned on): the right entry first and in the
    first three (judged by what it says), answer lines given, and wrong ones."""
    index = build_index(knowledge)
    print(
        "\narticle sets (written from the article alone, never tuned on; targets: top-1 >= 85%, top-3 >= 96%, 0 wrong)"
    )
    sets = [("answerable", asked_in(ARTICLE), True), ("must not answer", asked_in(UNANSWERABLE), False)]
    for tuned, path in (("tuning", TUNING), ("dev", DEV)):  # tuned on: how the rules were made
        mixed = asked_in(path)
        sets.append((f"{tuned} set, answerable (tuned on)", [q for q in mixed if q.answerable], True))
        sets.append((f"{tuned} set, must not answer (tuned on)", [q for q in mixed if not q.answerable], False))
    for name, asked, answerable in sets:
        judged = judge(knowledge, index, asked, answerable)
        if answerable:
            print(
                f"  {name}: {judged.questions} questions; top-1 {judged.share(judged.first):.0%}, top-3 "
                f"{judged.share(judged.top3):.0%}; {judged.answers} answer lines, {judged.wrong} wrong; release "
                f"questions whose answer says 2026: {judged.release_2026} of {judged.release}"
            )
        else:
            print(f"  {name}: {judged.questions} questions; {judged.wrong} wrong answer lines")
        if show_misses and judged.missed:
            print(f"    missed or wrongly answered: {'; '.join(judged.missed)}")


if __name__ == "__main__":
    sys.exit(main())
