"""The search index on absurdly long words and lines: a pasted 100,000-letter "word", a paragraph of
thousands of words, a word of thousands of hyphenated parts.

The index used to make every word's one-letter deletions (its typo keys): up to n keys of n letters
for a word of n letters, one per run of equal letters; 4 s and 200 MB for the 100,000-letter word
below (2,000 runs), 10 GB for 100,000 random letters. The tests count the keys rather than time the
build where they can.
"""

from __future__ import annotations

import random
import shutil
import time
from pathlib import Path

from support import DATA

from aoad_tui.model.loader import load_knowledge
from aoad_tui.model.search import MAX_QUERY_CHARS, MAX_TYPO, Document, SearchIndex, build_index

LONG = 100_000
ZOMBIE_LINE = "the zombie virus spread through the school while the students hid on the rooftop"


def long_word(length: int = LONG, run: int = 50) -> str:
    """A word of `length` letters in runs of `run` equal random letters (so about length / run
    different one-letter deletions: enough to count, too few to exhaust the memory before the fix)."""
    rng = random.Random(length)
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") * run for _ in range(length // run))


def index_of(*bodies: str, names: tuple[str, ...] = ()) -> SearchIndex:
    """An index of one document per body (ids "0", "1", ...), the first also named `names`."""
    return SearchIndex.build(
        [
            Document("fact", str(number), f"fact {number}", "", names if number == 0 else (), (body,))
            for number, body in enumerate(bodies)
        ]
    )


def keys(index: SearchIndex) -> int:
    """Every key the index made, and every word its typo keys point back to."""
    typo_links = sum(len(words) for words in index.deletions.values())
    return len(index.postings) + len(index.name_postings) + len(index.deletions) + typo_links


def ids(index: SearchIndex, query: str) -> list[str]:
    return [result.id for result in index.search(query)]


def test_a_100000_letter_word_makes_a_bounded_number_of_keys() -> None:
    assert keys(index_of(long_word())) < 1_000
    word = long_word(20_000, run=10)  # shorter: each field below makes five words of it
    assert keys(index_of("a body", names=(f"a zombie {word} drama",))) < 1_000  # names join adjacent words
    assert keys(index_of(f"a zombie {word} drama")) < 1_000  # and so does a short field


def test_a_long_word_is_found_by_itself_and_by_its_start() -> None:
    word = long_word()
    made = index_of(ZOMBIE_LINE, f"pasted {word} here")
    assert ids(made, word) == ["1"]  # the query is cut to its first 200 letters: a prefix
    assert ids(made, word[:12]) == ["1"]
    assert ids(made, word[:MAX_QUERY_CHARS]) == ["1"]
    assert ids(made, f"pasted {word[:30]}") == ["1"]
    middle = word[LONG // 2 + 25 : LONG // 2 + 65]
    assert not word.startswith(middle)
    assert ids(made, middle) == []  # a prefix, not any part of it
    assert made.search(word[:20])[0].snippet.startswith("pasted " + word[:20])


def test_a_long_word_is_found_in_a_source_article(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(DATA / "minimal_valid", seeds)
    article = seeds / "001_news.txt"
    word = long_word()
    article.write_text(article.read_text(encoding="utf-8") + f"\nA reader pasted {word} here.\n", encoding="utf-8")
    index = build_index(load_knowledge(seeds))
    assert len(index.deletions) < 1_000
    assert ids(index, word) == ["001_news#2"]
    assert ids(index, "zombei") == ["the-show", "001_news#1"]  # a typo, as before


def test_typos_are_still_forgiven_beside_a_long_word() -> None:
    made = index_of(ZOMBIE_LINE, long_word())
    assert ids(made, "zombei") == ["0"]  # a swap
    assert ids(made, "rooftp") == ["0"]  # a missing letter
    assert ids(made, "studentss") == ["0"]  # an extra one
    assert ids(made, "scholo rooftop") == ["0"]
    assert ids(made, "zomb") == ["0"]  # a prefix while typing


def test_a_typo_is_forgiven_up_to_64_letters() -> None:
    fits = "a" + "bcdefghij" * 7  # 64 letters
    too_long = fits + "k"
    assert len(fits) == MAX_TYPO
    made = index_of(fits, too_long)
    assert ids(made, fits[:30] + "x" + fits[31:]) == ["0"]
    assert ids(made, too_long[:30] + "x" + too_long[31:]) == []
    assert ids(made, too_long) == ["1"]


def test_a_long_line_of_words_makes_keys_per_distinct_word_only() -> None:
    rng = random.Random(2)
    vocabulary = ZOMBIE_LINE.split()
    line = " ".join(rng.choice(vocabulary) for _ in range(LONG // 5))
    assert len(line) > LONG
    made = index_of(line)
    assert len(made.postings) == len(set(vocabulary))
    assert keys(made) < 1_000
    assert ids(made, "rooftop zombei") == ["0"]
    named = index_of("a body", names=(line,))  # a name: runs of up to three words are joined
    distinct = len(set(vocabulary))
    assert len(named.postings) <= distinct + distinct**2 + distinct**3 + len(["a", "body", "abody"])


def test_a_word_of_many_hyphenated_parts_is_indexed_in_linear_time() -> None:
    """The one test that times: the index checks each run of joined parts against the parts, and
    the list of 30,000 parts was scanned once for each of 90,000 runs (12 s; now 40 ms)."""
    glued = "-".join(["cheong", "san"] * 15_000)
    start = time.process_time()
    made = index_of(f"the students of {glued} school")
    assert time.process_time() - start < 2.0
    assert set(made.postings) >= {"cheong", "san", "cheongsan", "sancheong", "cheongsancheong"}
    assert ids(made, "cheongsan") == ["0"]
    assert keys(made) < 1_000


def test_a_long_query_against_long_words() -> None:
    word = long_word()
    made = index_of(ZOMBIE_LINE, f"pasted {word} here", " ".join([word[:300]] * 3))
    assert ids(made, word * 3) == ["1", "2"]  # cut to 200 letters: a prefix of both
    assert made.near(word[:MAX_QUERY_CHARS]) == set()
    assert ids(made, " ".join([ZOMBIE_LINE] * 10)) == ["0"]


def test_a_query_cut_inside_a_word_does_not_leave_a_single_letter() -> None:
    """A query is cut at 200 characters; a cut that leaves one letter of a word would need a
    whole word of that one letter, and nothing would match."""
    sentence = "zombies walked through the school hallway at night"
    made = index_of(sentence)
    for shift in range(len(sentence) + 1):  # the cut falls on each letter of the sentence in turn
        query = " " * shift + (sentence + " ") * 5
        assert ids(made, query) == ["0"], query[MAX_QUERY_CHARS - 5 : MAX_QUERY_CHARS + 5]
    # a word of one letter that ends where the query is cut stays a word
    query = "zombies " * 24 + "walked " + "a school " * 5
    assert query[MAX_QUERY_CHARS - 1 : MAX_QUERY_CHARS + 1] == "a "
    assert ids(index_of("zombies walked to a school", "zombies walked at school"), query)[0] == "0"
