"""Seeds that are big on purpose, made by the test or benchmark that needs them (never committed):
the bundled seeds plus one long source article (a transcript a curator pasted in, say).

Plain standard library, like the rest of support/ that benchmarks import.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

LAST_WORDS = "The last word on this transcript goes to the zebra lanterns of the old school."
LAST_WORDS_START = LAST_WORDS[:32]  # fits on one line of an 80-column screen, to wait for
LONG_ARTICLE = "900_transcript"
FACT_ID = "transcript-last-word"
_WORDS = ("season", "school", "zombie", "cast", "fans", "netflix", "episode", "director", "class", "rooftop")
_WORDS += ("survivors", "hallway", "rescue", "army", "virus", "story", "camera", "scene", "friends", "night")


def with_long_article(bundled: Path, out: Path, megabytes: float = 10.0, seed: int = 14) -> Path:
    """A copy of `bundled` in `out` with a generated article of about `megabytes` MB, the newest
    one (so the Source tab opens on it), and a fact that cites its last paragraph. Paragraphs are
    about 600 characters, and one in the middle is 200,000 characters without a blank line."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(bundled, out)
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    paragraphs: list[str] = []
    size = 0
    while size < target:
        length = 200_000 if len(paragraphs) == 2000 else rng.randint(300, 900)  # one very long paragraph
        words: list[str] = []
        count = 0
        while count < length:
            word = rng.choice(_WORDS)
            words.append(word)
            count += len(word) + 1
        paragraph = " ".join(words).capitalize() + "."
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    paragraphs.append(LAST_WORDS)
    body = "\n\n".join(paragraphs)
    (out / f"{LONG_ARTICLE}.txt").write_text(f"date 2026-11-29 {body}\n", encoding="utf-8")
    (out / "transcript.yaml").write_text(
        "articles:\n"
        f"  - file: {LONG_ARTICLE}.txt\n"
        "    title: A long transcript\n"
        "    outlet: Generated for a test\n"
        "facts:\n"
        f"  - id: {FACT_ID}\n"
        "    text: The transcript ends on the zebra lanterns.\n"
        "    status: reported\n"
        "    as_of: 2026-11-29\n"
        "    cites:\n"
        f"      - article: {LONG_ARTICLE}\n"
        f"        passage: {LAST_WORDS}\n",
        encoding="utf-8",
    )
    return out
