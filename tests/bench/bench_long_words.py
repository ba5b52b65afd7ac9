"""The search index on one absurdly long word, and on one absurdly long line of words, in process.

    python tests/bench/bench_long_words.py [--sizes 100000,1000000,10000000] [--strict]

For each size (100,000, 1,000,000 and 10,000,000 characters by default) it copies tests/data/minimal_valid
into a temporary directory four times and adds to it: one word of that many random letters, as a
paragraph of the article and in the show's summary; and one line of normal words (some hyphenated)
of that length, in the same two places. For each it prints the time to load the seeds (for
reference), to build the index as the app does (build_index), and to run two searches: the first
300 characters of the long text (the query is cut to 200: a prefix of the word, or a dozen words of
the line) and a typo ("zombei"); whether the first search found the text; and the index's keys (its
words, and the one-letter deletions that find typos).

The build used to be quadratic in the length of a word (its typo keys): 4.3 s for 100,000 letters,
about 9 minutes for 1,000,000. Target now: each build and search within 1 s per million characters
(0.5 s at least). --strict exits 1 when one is missed. Everything it writes (and the app's data,
cache and config directories) is in a temporary directory.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import string
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the support package
from generate_seeds import WORDS
from support.isolation import isolated_env

from aoad_tui.model.loader import load_knowledge
from aoad_tui.model.search import build_index

MINIMAL = Path(__file__).resolve().parent.parent / "data" / "minimal_valid"
SIZES = [100_000, 1_000_000, 10_000_000]
TYPO_QUERY = "zombei"  # "zombie" is in the minimal seeds' summary and article


def long_word(size: int) -> str:
    """`size` random lowercase letters: no two of its one-letter deletions alike."""
    return "".join(random.Random(size).choices(string.ascii_lowercase, k=size))


def long_line(size: int) -> str:
    """About `size` characters of normal words on one line: every tenth one hyphenated to the next
    ("zombie-virus"), a comma now and then."""
    rng = random.Random(size)
    parts: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(WORDS)
        roll = rng.random()
        word += "-" if roll < 0.1 else ", " if roll < 0.15 else " "
        parts.append(word)
        length += len(word)
    return "".join(parts)[:size].rsplit(" ", 1)[0]


def make_seeds(folder: Path, text: str, where: str) -> Path:
    """The minimal seeds with `text` added to the article (as its own paragraph) or the show's summary."""
    shutil.copytree(MINIMAL, folder)
    if where == "article":
        article = folder / "001_news.txt"
        body = article.read_text(encoding="utf-8")
        article.write_text(f"{body}\nA reader pasted this:\n{text}\n", encoding="utf-8")
    else:
        seeds = folder / "seeds.yaml"
        yaml = seeds.read_text(encoding="utf-8")
        seeds.write_text(yaml.replace("summary: A zombie drama.", f"summary: A zombie drama. {text}"), encoding="utf-8")
    return folder


@dataclass(frozen=True)
class Row:
    case: str
    size: int
    load_s: float
    build_s: float
    search_s: float
    typo_s: float
    found: bool
    keys: int

    @property
    def ok(self) -> bool:
        limit = max(0.5, self.size / 1_000_000)
        return self.found and self.build_s <= limit and self.search_s <= limit and self.typo_s <= limit

    def line(self) -> str:
        return (
            f"{self.case:<16} {self.size:>12,} {self.load_s:>8.3f} {self.build_s:>8.3f} {self.search_s:>8.3f}"
            f" {self.typo_s:>8.3f} {'yes' if self.found else 'NO':>6} {self.keys:>9,}  {'ok' if self.ok else 'MISSED'}"
        )


def measure(folder: Path, *, case: str, size: int, text: str, where: str, holder: str) -> Row:
    """Load the seeds with `text` in `where`, index them, and search; `holder` is the id of the
    result that holds the text."""
    seeds = make_seeds(folder, text, where)
    start = time.perf_counter()
    knowledge = load_knowledge(seeds)
    loaded = time.perf_counter()
    index = build_index(knowledge)
    built = time.perf_counter()
    results = index.search(text[:300])
    searched = time.perf_counter()
    index.search(TYPO_QUERY)
    typo = time.perf_counter()
    keys = len(index.postings) + len(index.deletions)
    found = holder in [result.id for result in results]
    return Row(case, size, loaded - start, built - loaded, searched - built, typo - searched, found, keys)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(size) for size in text.split(",")],
        default=SIZES,
        help="characters in the long word and line, comma-separated (default 100000,1000000,10000000)",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    header = (
        f"{'case':<16} {'chars':>12} {'load s':>8} {'build s':>8} {'search s':>8} {'typo s':>8}"
        f" {'found':>6} {'keys':>9}"
    )
    print(f"search index on long words and lines; python {sys.version.split()[0]}")
    print("target: build and each search within 1 s per million characters (0.5 s at least)\n")
    print(header)
    print("-" * (len(header) + 8))
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="aoad-bench-long-") as tmp:
        os.environ.update(isolated_env(Path(tmp) / "isolated"))  # nothing below should write, but just in case
        for size in args.sizes:
            for kind, text in (("word", long_word(size)), ("line", long_line(size))):
                for where, holder in (("article", "001_news#2"), ("summary", "the-show")):
                    folder = Path(tmp) / f"{kind}-{where}-{size}"
                    row = measure(folder, case=f"{kind} in {where}", size=size, text=text, where=where, holder=holder)
                    shutil.rmtree(folder)
                    rows.append(row)
                    print(row.line(), flush=True)
    missed = sum(1 for row in rows if not row.ok)
    print(f"\n{missed} target{'s' * (missed != 1)} missed" if missed else "\nevery target met")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
