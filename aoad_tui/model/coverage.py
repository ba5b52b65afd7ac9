"""Whether documents say what a question asks, in their own words: the answer line's test
(answer.py), stricter than the search's ranking. A word counts as itself, a form of it, a phrase
of its thesaurus group (its words side by side), or the word typed with one typo; never a prefix,
and never in who reported the document (its credits)."""

from __future__ import annotations

from collections.abc import Iterable

from aoad_tui.model.question import Group, stem
from aoad_tui.model.search import MIN_TYPO, Said, SearchIndex, tokens_of
from aoad_tui.model.text import within_one_edit

MAX_SAID = 512  # documents whose own words an index remembers for its answers


def covers(index: SearchIndex, number: int | Iterable[int], groups: Iterable[Group]) -> bool:
    """Whether a document says each group in its own words; several documents: between them."""
    numbers = [number] if isinstance(number, int) else list(number)
    said = [own_words(index, n) for n in numbers]
    tokens = set().union(*(t for t, _, _ in said))
    stems = set().union(*(s for _, s, _ in said))
    fields = [field for _, _, of_doc in said for field in of_doc]

    def has(word: str, typo: bool) -> bool:
        if word in tokens or (len(word) >= 4 and stem(word) in stems):
            return True
        return typo and len(word) >= MIN_TYPO and any(within_one_edit(word, token) for token in tokens)

    def same(word: str, other: str) -> bool:
        return word == other or (len(word) >= 4 and stem(word) == stem(other))

    def says(phrase: tuple[str, ...], typed: bool) -> bool:
        if "".join(phrase) in tokens:
            return True
        if len(phrase) == 1:
            return has(phrase[0], typo=typed)
        size = len(phrase)
        return any(
            all(same(word, plain[at + k]) for k, word in enumerate(phrase))
            for plain in fields
            for at in range(len(plain) - size + 1)
        )

    def covered(group: Group) -> bool:
        alike = (*group.alike, *(((group.meant,),) if group.meant else ()))
        return says(group.typed, typed=True) or any(says(phrase, typed=False) for phrase in alike)

    return all(covered(group) for group in groups)


def own_words(index: SearchIndex, number: int) -> Said:
    """A document's own words (names and texts): its tokens, their stems, and each text's words in
    order. Remembered on the index for the few documents a question's answer looks at, keystroke
    after keystroke (returned, never read back: another thread may clear the table)."""
    found = index.said.get(number)
    if found is None:
        if len(index.said) > MAX_SAID:
            index.said.clear()
        tokens: set[str] = set()
        fields: list[list[str]] = []
        doc = index.docs[number]
        for texts, join_spaces in ((doc.names, True), (doc.bodies, False)):
            for text in texts:
                plain, joined = tokens_of(text, join_spaces)
                tokens.update(joined)
                fields.append(plain)
        found = index.said[number] = (tokens, {stem(token) for token in tokens}, fields)
    return found
