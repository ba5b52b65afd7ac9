"""Generate a large synthetic seeds directory, for the loader benchmark and its smoke test.

    python tests/bench/generate_seeds.py OUT_DIR [--articles N] [--entries N] [--files N] [--seed N]

By default: 500 articles and 10,000 entries (one show, then facts, people, quotes and rumors),
spread over 20 YAML files plus articles.yaml. The output is valid: people's ids are the slug of
their names, quotes' speakers and `about` lists name real people, every citation's passage occurs
in its article (often across one of the article's line breaks, so that the white-space-insensitive
match is exercised), rumor histories are in date order. It is deterministic: the same arguments
always give the same bytes.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from aoad_tui.model.entries import STATUSES
from aoad_tui.model.text import slugify

_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[misc]
    """Writes repeated values (the same date object) in full, as a person would: no &anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


WORDS = [
    "season", "episode", "school", "zombie", "virus", "outbreak", "students", "class", "teacher", "hallway",
    "rooftop", "library", "gym", "cafeteria", "survivors", "infection", "cure", "soldiers", "city",
    "hospital", "quarantine", "netflix", "director", "writer", "cast", "filming", "script", "release",
    "trailer", "teaser", "premiere", "fans", "reporters", "interview", "agency", "sources", "production",
    "schedule", "postponed", "confirmed", "delayed", "hybrid", "hope", "friends", "rescue", "escape", "dark",
    "night", "rain", "phone", "signal", "radio", "broadcast", "sequel", "story", "webtoon", "adaptation",
    "chapter", "ending", "cliffhanger", "theory", "question", "answer",
]  # fmt: skip
FAMILY = [
    "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo", "Shin",
    "Kwon",
]  # fmt: skip
SYLLABLES = [
    "min", "ji", "hu", "chan", "young", "yi", "hyun", "eun", "saem", "jae", "hyeok", "seung", "ri", "bo",
    "yun", "gyu", "ra", "on", "su", "hee", "jin", "woo", "seo", "yeon", "ho", "na", "kyung", "tae", "sung",
    "dong", "hye", "mi", "rae", "bin",
]  # fmt: skip
ROLES = ["Cast member", "Director", "Writer", "Producer", "Supporting cast", "Guest star"]
TOPICS = ["show", "release", "cast", "production", "story"]
OUTLETS = ["Example News", "Drama Daily", "Screen Weekly", "K-Wave Post", "Stream Report"]

START = date(2022, 1, 1)


def _sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(WORDS) for _ in range(length)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _article_sentences(rng: random.Random, index: int, people: list[str], count: int) -> list[str]:
    """Sentences of one article; each is unique to it (it carries the article's number)."""
    sentences = []
    for position in range(count):
        sentence = _sentence(rng, rng.randint(8, 18))
        if people and rng.random() < 0.3:
            sentence = f"{rng.choice(people)} said that {sentence[0].lower()}{sentence[1:]}"
        sentences.append(f"{sentence[:-1]} (report {index}.{position}).")
    return sentences


def _people_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    slugs: set[str] = set()
    while len(names) < count:
        given = "-".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))).capitalize()
        name = f"{rng.choice(FAMILY)} {given}"
        if rng.random() < 0.05:
            name = name.replace("o", "ö", 1)  # an accent: the slug drops it
        if slugify(name) not in slugs:
            slugs.add(slugify(name))
            names.append(name)
    return names


def _passage(rng: random.Random, sentence: str) -> str:
    """All of a sentence, or a run of at least four of its words."""
    words = sentence.split()
    if len(words) <= 6 or rng.random() < 0.5:
        return sentence
    start = rng.randint(0, len(words) - 5)
    end = rng.randint(start + 4, len(words))
    return " ".join(words[start:end])


def generate_seeds(
    out_dir: Path,
    *,
    articles: int = 500,
    entries: int = 10_000,
    files: int = 20,
    seed: int = 20250416,
) -> Path:
    """Write a synthetic seeds directory into `out_dir` (emptied first) and return it."""
    if articles < 1 or entries < 5 or files < 1:
        raise ValueError("need at least 1 article, 5 entries and 1 file")
    rng = random.Random(seed)
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)

    # How many of each: one show; the rest 15% people, 45% facts, 20% quotes, 20% rumors.
    rest = entries - 1
    n_people = max(1, rest * 15 // 100)
    n_quotes = rest * 20 // 100
    n_rumors = rest * 20 // 100
    n_facts = rest - n_people - n_quotes - n_rumors
    names = _people_names(rng, n_people)

    # Articles: a dated first line, then paragraphs wrapped at 78 columns.
    article_ids: list[str] = []
    article_dates: dict[str, date] = {}
    sentences: dict[str, list[str]] = {}
    metadata: list[dict[str, Any]] = []
    for index in range(articles):
        article_id = f"{index:03d}_{rng.getrandbits(64):016x}"
        written = START + timedelta(days=rng.randint(0, 4 * 365))
        body = _article_sentences(rng, index, names, rng.randint(18, 30))
        paragraphs = [" ".join(body[i : i + 5]) for i in range(0, len(body), 5)]
        # Wrapped like a saved web page; never inside a word or at a hyphen ("Min-ji" stays whole).
        wrapped = [textwrap.fill(p, width=78, break_on_hyphens=False, break_long_words=False) for p in paragraphs]
        text = "\n\n".join(wrapped)
        (out_dir / f"{article_id}.txt").write_text(f"date {written.isoformat()} {text}\n", encoding="utf-8")
        article_ids.append(article_id)
        article_dates[article_id] = written
        sentences[article_id] = body
        item: dict[str, Any] = {"file": f"{article_id}.txt", "title": _sentence(rng, 6)[:-1]}
        if rng.random() < 0.7:
            item["outlet"] = rng.choice(OUTLETS)
        if rng.random() < 0.5:
            item["date"] = written
        metadata.append(item)
    _dump(out_dir / "articles.yaml", {"articles": metadata})

    def cite(count: int = 1) -> list[dict[str, str]]:
        chosen = []
        for _ in range(count):
            article_id = rng.choice(article_ids)
            chosen.append({"article": article_id, "passage": _passage(rng, rng.choice(sentences[article_id]))})
        return chosen

    def as_of(cites: list[dict[str, str]]) -> date:
        return max(article_dates[c["article"]] for c in cites)

    def common(entry_id: str, cites: list[dict[str, str]]) -> dict[str, Any]:
        return {"id": entry_id, "status": rng.choice(STATUSES), "as_of": as_of(cites), "cites": cites}

    person_ids = [slugify(name) for name in names]
    show_cites = cite(2)
    show = {
        "id": "synthetic-show",
        "title": "Synthetic Show",
        "summary": "A generated show for the benchmark.",
        "aliases": [{"name": "The Synthetic Show", "cites": cite()}],
        **common("synthetic-show", show_cites),
    }
    people = []
    for name, person_id in zip(names, person_ids, strict=True):
        person: dict[str, Any] = {"id": person_id, "name": name, "role": rng.choice(ROLES)}
        if rng.random() < 0.4:
            person["character"] = rng.choice(SYLLABLES).capitalize() + "-" + rng.choice(SYLLABLES)
        people.append({**person, **common(person_id, cite(rng.randint(1, 2)))})
    facts = []
    for number in range(n_facts):
        fact: dict[str, Any] = {"id": f"fact-{number}", "topic": rng.choice(TOPICS), "text": _sentence(rng, 10)}
        if rng.random() < 0.2:
            fact["when"] = f"Early {2022 + number % 4}"
        if rng.random() < 0.3:
            fact["about"] = rng.sample(person_ids, k=min(len(person_ids), rng.randint(1, 3)))
        facts.append({**fact, **common(f"fact-{number}", cite(rng.randint(1, 3)))})
    quotes = []
    for number in range(n_quotes):
        cites = cite()
        words = _passage(rng, cites[0]["passage"])
        quote: dict[str, Any] = {"id": f"quote-{number}", "speaker": rng.choice(person_ids), "text": words}
        if rng.random() < 0.5:
            quote["outlet"] = rng.choice(OUTLETS)
            quote["setting"] = f"An interview with {quote['outlet']}"
        quotes.append({**quote, **common(f"quote-{number}", cites)})
    rumors = []
    for number in range(n_rumors):
        steps = []
        for _ in range(rng.randint(1, 3)):
            cites = cite()
            step: dict[str, Any] = {"status": rng.choice(STATUSES), "as_of": as_of(cites), "cites": cites}
            if rng.random() < 0.3:
                step["note"] = _sentence(rng, 6)
            steps.append(step)
        steps.sort(key=lambda s: s["as_of"])
        rumor: dict[str, Any] = {"id": f"rumor-{number}", "claim": _sentence(rng, 9), "reported_by": "Fans"}
        if rng.random() < 0.5:
            rumor["about"] = rng.sample(person_ids, k=min(len(person_ids), rng.randint(1, 2)))
        rumors.append({**rumor, "history": steps})

    # Spread every kind evenly over the files; the show goes in the first one.
    for number in range(files):
        document: dict[str, Any] = {"show": show} if number == 0 else {}
        for section, items in (("facts", facts), ("people", people), ("quotes", quotes), ("rumors", rumors)):
            part = items[number::files]
            if part:
                document[section] = part
        _dump(out_dir / f"entries_{number:02d}.yaml", document)
    return out_dir


def _dump(path: Path, document: dict[str, Any]) -> None:
    text = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(f"# Generated by tests/bench/generate_seeds.py\n{text}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="directory to write (emptied first)")
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20250416)
    args = parser.parse_args(argv)
    out = generate_seeds(args.out_dir, articles=args.articles, entries=args.entries, files=args.files, seed=args.seed)
    print(f"wrote {args.articles} articles and {args.entries} entries to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
