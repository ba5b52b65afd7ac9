"""The benchmark's seeds generator, on a small pack: what it writes must load without a problem,
so that the generator cannot rot unnoticed (the benchmark itself is not run by pytest)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from support import TESTS

from aoad_tui.model.loader import load_knowledge
from aoad_tui.model.text import locate, slugify

GENERATOR = TESTS / "bench" / "generate_seeds.py"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_seeds", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_small_synthetic_pack_loads(tmp_path: Path) -> None:
    pack = generator().generate_seeds(tmp_path / "pack", articles=20, entries=200, files=4)
    assert len(list(pack.glob("*.txt"))) == 20
    assert len(list(pack.glob("entries_*.yaml"))) == 4
    knowledge = load_knowledge(pack)
    assert len(knowledge.articles) == 20
    assert len(knowledge.entries()) == 200
    assert knowledge.show is not None
    assert knowledge.facts and knowledge.people and knowledge.quotes and knowledge.rumors
    people = {person.id for person in knowledge.people}
    assert all(person.id == slugify(person.name) for person in knowledge.people)
    assert all(quote.speaker in people for quote in knowledge.quotes)
    for entry in knowledge.entries():
        for citation in entry.cites:
            assert locate(citation.passage, knowledge.articles[citation.article].body), (entry.id, citation)


def test_generator_is_deterministic(tmp_path: Path) -> None:
    make = generator().generate_seeds
    first = make(tmp_path / "a", articles=5, entries=30, files=2)
    second = make(tmp_path / "b", articles=5, entries=30, files=2)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
