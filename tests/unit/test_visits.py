"""Unit tests of what is new since a fan's last visit (aoad_tui/model/visits.py): the comparison,
seen.json and what happens when it cannot be read or written.

tests/data/news/before and after are the same seeds on 2026-11-02 and 2026-11-20: after adds the
person park-ji-hoon and confirms the rumor filming-soon with a new article, 002_cast.
"""

from __future__ import annotations

import errno
import functools
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from support import DATA
from support.knowledge import changed

from aoad_tui.model import files, visits
from aoad_tui.model.entries import Citation, KnowledgeBase, Origin
from aoad_tui.model.loader import load_knowledge
from aoad_tui.model.visits import (
    FILE_NAME,
    Gone,
    News,
    Seen,
    Visit,
    VisitStore,
    cited_articles,
    compare,
    digest_of,
    fingerprint,
    parse_visit,
    remember,
    serialize_visit,
    start_visit,
    visit_of,
)
from aoad_tui.model.vocabulary import KINDS

NOV_2, NOV_3, NOV_20 = date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 20)
CONFIRMED = "status: speculated → confirmed (Filming begins, Example News, 2026-11-20)"
IDS = ["the-show", "second-season", "kim-min-ji", "we-are-back", "filming-soon"]


@functools.cache
def knowledge(state: str) -> KnowledgeBase:
    return load_knowledge(DATA / "news" / state)


@pytest.fixture
def directory(isolated_dirs: Path) -> Path:
    """The data directory conftest points AOAD_TUI_DATA_DIR at (not created yet)."""
    return isolated_dirs


def saved(directory: Path, state: str, on: date) -> Visit:
    """A visit on `on` of knowledge `state`, written to seen.json by its own store."""
    store = VisitStore(directory)
    _, to_remember = start_visit(store, knowledge(state), on)
    assert to_remember and remember(store, knowledge(state), on) is True and store.take_messages() == []
    return visit_of(knowledge(state), on)


def test_a_first_visit_shows_nothing_new_and_is_remembered(directory: Path) -> None:
    store = VisitStore(directory)
    news, to_remember = start_visit(store, knowledge("before"), NOV_2)
    assert (news.since, news.changes, news.line, to_remember) == (None, (), "", True)
    assert news.as_json() == {"since": None, "new": 0, "changed": 0, "removed": 0, "changes": [], "removals": []}
    visit = visit_of(knowledge("before"), NOV_2)
    assert visit.on == NOV_2 and list(visit.seen) == IDS
    assert visit.seen["filming-soon"] == Seen(
        "rumor", fingerprint(knowledge("before").rumors[0]), "speculated", ("001_news",)
    )
    assert store.save(visit) is True and store.take_messages() == []
    assert VisitStore(directory).load() == visit


def test_the_next_visit_shows_what_is_new_and_changed(directory: Path) -> None:
    saved(directory, "before", NOV_2)
    store = VisitStore(directory)
    news, to_remember = start_visit(store, knowledge("after"), NOV_20)
    assert to_remember is True
    assert [(c.entry.id, c.what) for c in news.changes] == [("park-ji-hoon", "new"), ("filming-soon", "changed")]
    assert news.by_id["filming-soon"].details == (CONFIRMED,)
    assert news.line == "Since your last visit on 2026-11-02: 1 new, 1 changed"
    assert (news.of("park-ji-hoon"), news.of("filming-soon"), news.of("kim-min-ji")) == ("new", "changed", None)
    park = {"what": "new", "kind": "person", "id": "park-ji-hoon", "title": "Park Ji-hoon", "details": ["new"]}
    rumor = {"what": "changed", "kind": "rumor", "id": "filming-soon", "title": "Filming starts soon."}
    rumor |= {"details": [CONFIRMED]}
    confirmed = {"status": "confirmed", "as_of": "2026-11-20"}
    changes = [park | confirmed, rumor | confirmed]
    assert news.as_json() == {
        "since": "2026-11-02",
        "new": 1,
        "changed": 1,
        "removed": 0,
        "changes": changes,
        "removals": [],
    }
    assert remember(store, knowledge("after"), NOV_20) is True
    assert VisitStore(directory).load() == visit_of(knowledge("after"), NOV_20)


def test_an_entry_gone_from_the_sources_is_listed_as_removed(directory: Path) -> None:
    saved(directory, "after", NOV_2)  # the later seeds first: going back to "before" removes a person
    news, _ = start_visit(VisitStore(directory), knowledge("before"), NOV_20)
    assert news.removed == (Gone("person", "park-ji-hoon"),)
    assert [(c.entry.id, c.what) for c in news.changes] == [("filming-soon", "changed")]
    assert news.line == "Since your last visit on 2026-11-02: 1 changed, 1 removed"
    assert news.as_json()["removals"] == [{"kind": "person", "id": "park-ji-hoon"}]
    assert news.as_json()["removed"] == 1


def test_the_same_knowledge_again(directory: Path) -> None:
    first = saved(directory, "before", NOV_2)
    news, to_remember = start_visit(VisitStore(directory), knowledge("before"), NOV_2)
    assert (news, to_remember) == (News(NOV_2, ()), False)  # same day: nothing to write
    news, to_remember = start_visit(VisitStore(directory), knowledge("before"), NOV_3)
    assert (news.since, news.changes, news.line, to_remember) == (NOV_2, (), "", True)
    # The same digest: only the first line is read.
    quick = VisitStore(directory).load(unless=digest_of(knowledge("before")))
    assert quick is not None and (quick.on, quick.seen, quick.digest) == (NOV_2, {}, first.digest)
    assert VisitStore(directory).load() == first


def test_moving_an_entry_in_the_seeds_does_not_change_it() -> None:
    rumor = knowledge("after").rumors[0]
    moved = replace(rumor, origin=Origin("elsewhere/seeds.yaml", rumor.origin.line + 40))
    assert moved != rumor
    assert fingerprint(moved) == fingerprint(rumor) and cited_articles(moved) == cited_articles(rumor)


def test_new_wording_or_a_new_source_is_a_change() -> None:
    after = knowledge("after")
    kim = after.people[0]
    reworded = replace(kim, cites=(replace(kim.cites[0], passage="Kim Min-ji stars in it."),))
    sourced = replace(kim, cites=(*kim.cites, Citation("002_cast", "Filming has started, Netflix confirmed.")))
    last = visit_of(after, NOV_20)
    for person, details in (
        (reworded, ("wording or citations changed",)),
        (sourced, ("new source: Filming begins, Example News, 2026-11-20",)),
    ):
        now = changed(after, people=[person, after.people[1]])
        news = compare(last, now)
        assert [(c.entry.id, c.what, c.details) for c in news.changes] == [("kim-min-ji", "changed", details)]
        assert news.line == "Since your last visit on 2026-11-20: 1 changed"


def document(entries: object = None, **changes: object) -> bytes:
    """seen.json: its first line (with the digest of `entries` when they can have one), then them."""
    if entries is None:
        entries = {"filming-soon": ["rumor", "0123456789abcdef", "speculated", ["001_news"]]}
    try:
        digest = Visit(NOV_2, {i: Seen(e[0], e[1], e[2], tuple(e[3])) for i, e in entries.items()}).digest  # type: ignore[attr-defined]
    except (AttributeError, IndexError, TypeError):
        digest = "0" * 32
    header = {"version": 1, "visited": "2026-11-02", "digest": digest} | changes
    return f"{json.dumps(header)}\n{json.dumps(entries)}\n".encode()


CORRUPT = {
    "bad-json": b'{"version": 1, "visited": "2026-11-02", "entr',
    "wrong-version": document(version=2),
    "no-version": document(version=None),
    "date-a-number": document(visited=20261102),
    "bad-date": document(visited="2026-13-45"),
    "entries-a-list": document(entries=[]),
    "fingerprint-a-number": document(entries={"a": ["fact", 5, "confirmed", []]}),
    "too-few-fields": document(entries={"a": ["fact", "f", "confirmed"]}),
    "an-unknown-kind": document(entries={"a": ["villain", "f", "confirmed", []]}),
    "a-json-list": b"[1, 2]\n",
    "no-digest": document(digest=None),
    "digest-not-its-entries": document(digest="f" * 32),
    "no-entries-line": document().split(b"\n")[0],
    "not-utf8": b'{"version": 1, "visited": "2026-11-02", "entries": {"\xff": []}}',
}
ARTICLES_A_STRING = pytest.param(
    document(entries={"a": ["fact", "f", "confirmed", "001_news"]}), id="articles-a-string"
)


@pytest.mark.parametrize("data", [*(pytest.param(v, id=k) for k, v in CORRUPT.items()), ARTICLES_A_STRING])
def test_an_unusable_file_is_moved_aside_and_replaced(directory: Path, data: bytes) -> None:
    directory.mkdir(parents=True)
    path = directory / FILE_NAME
    path.write_bytes(data)
    store = VisitStore(directory)
    news, to_remember = start_visit(store, knowledge("after"), NOV_20)
    assert (news.since, news.changes, to_remember) == (None, (), True)
    asides = sorted(directory.glob(f"{FILE_NAME}.corrupt-*"))
    assert len(asides) == 1 and asides[0].read_bytes() == data and not path.exists()
    messages = store.take_messages()
    assert len(messages) == 1
    assert messages[0].startswith(f"{path} was not usable (") and f"moved aside to {asides[0].name}" in messages[0]
    assert remember(store, knowledge("after"), NOV_20) is True
    assert VisitStore(directory).load() == visit_of(knowledge("after"), NOV_20) and store.take_messages() == []
    assert sorted(directory.glob(f"{FILE_NAME}.corrupt-*")) == asides


def test_a_directory_in_its_place_is_left_alone(directory: Path) -> None:
    path = directory / FILE_NAME
    (path / "inside").mkdir(parents=True)
    store = VisitStore(directory)
    news, to_remember = start_visit(store, knowledge("before"), NOV_2)
    assert news.since is None and to_remember
    assert store.take_messages() == [f"{path} is not a file: what was new is not remembered this time"]
    assert remember(store, knowledge("before"), NOV_2) is False
    assert path.is_dir() and [p.name for p in path.iterdir()] == ["inside"]
    assert list(directory.glob(f"{FILE_NAME}.corrupt-*")) == []


def test_a_read_only_directory_keeps_the_last_visit(directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = saved(directory, "before", NOV_2)
    before = (directory / FILE_NAME).read_bytes()

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied", str(directory))

    monkeypatch.setattr(files.tempfile, "mkstemp", refuse)
    store = VisitStore(directory)
    _, to_remember = start_visit(store, knowledge("after"), NOV_20)
    assert to_remember and remember(store, knowledge("after"), NOV_20) is False
    path = directory / FILE_NAME
    assert store.take_messages() == [f"What this visit showed cannot be remembered ({path}: permission denied)"]
    assert path.read_bytes() == before and VisitStore(directory).load() == first


def test_a_fresh_data_directory_is_made_on_save(directory: Path) -> None:
    assert not directory.exists()
    visit = Visit(NOV_2, {})
    assert VisitStore(directory).save(visit) is True
    header = f'{{"version":1,"visited":"2026-11-02","digest":"{visit.digest}"}}'
    assert (directory / FILE_NAME).read_bytes() == f"{header}\n{{}}\n".encode()


seens = st.builds(Seen, st.sampled_from(KINDS), st.text(), st.text(), st.lists(st.text(), max_size=3).map(tuple))


@settings(max_examples=60, deadline=None)
@given(st.dates(), st.dictionaries(st.text(), seens, max_size=4))
@example(NOV_2, {'"quoted" \\ ünï\u2028': Seen("rumor", "0123", 'con"firmed', ("001_news", "", "\\\"'"))})
def test_a_visit_round_trips_through_seen_json(on: date, seen: dict[str, Seen]) -> None:
    visit = Visit(on, seen)
    assert parse_visit(serialize_visit(visit)) == visit


def test_a_start_whose_digest_matches_reads_only_the_first_line(
    directory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = saved(directory, "before", NOV_2)
    path = directory / FILE_NAME
    head = path.read_bytes().split(b"\n")[0]
    # A rest that is not JSON and, with the limit lowered, too big: read, it would be moved aside.
    path.write_bytes(head + b"\n{not read, so never found unusable" + b" " * 4000 + b"\n")
    monkeypatch.setattr(visits, "MAX_FILE_BYTES", 2000)
    quick = VisitStore(directory).load(unless=digest_of(knowledge("before")))
    assert quick is not None and (quick.on, quick.seen, quick.digest) == (NOV_2, {}, first.digest)
    assert path.exists() and not list(directory.glob(f"{FILE_NAME}.corrupt-*"))
    store = VisitStore(directory)
    assert store.load(unless="another digest") is None  # a different digest reads the rest: unusable
    assert len(list(directory.glob(f"{FILE_NAME}.corrupt-*"))) == 1


def test_two_threads_asking_for_the_fingerprints_at_once_work_them_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The visit and the knowledge cache ask at once after a cold start's first frame."""
    import threading
    import time

    from aoad_tui.model.paths import bundled_seeds

    knowledge = load_knowledge(bundled_seeds())
    worked_out: list[str] = []
    original = visits.fingerprint

    def slow(entry: object) -> str:
        worked_out.append("one")
        time.sleep(0.002)  # long enough for the other thread to ask meanwhile
        return original(entry)  # type: ignore[arg-type]

    monkeypatch.setattr(visits, "fingerprint", slow)
    threads = [threading.Thread(target=visits.fingerprints, args=(knowledge,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(worked_out) == len(knowledge.entries()) == len(knowledge.fingerprints)


def test_a_seen_json_over_its_limit_is_moved_aside_unread(directory: Path) -> None:
    """2.4 times what a 100,000-entry pack writes: a bigger one, even a valid one, is said and moved
    aside before it is parsed (a 62 MB file cost 14 s of blank screen)."""
    article = ("000_87d513006f32d67f",)
    seen = {f"fact-{number:07d}": Seen("fact", f"{number:032x}", "confirmed", article) for number in range(270_000)}
    data = serialize_visit(Visit(NOV_2, seen))
    assert len(data) > visits.MAX_FILE_BYTES
    directory.mkdir(parents=True)
    (directory / FILE_NAME).write_bytes(data)
    store = VisitStore(directory)
    assert store.load(unless="another digest") is None
    [message] = store.take_messages()
    assert "larger than 24 MiB" in message and "moved aside" in message
    [aside] = directory.glob(f"{FILE_NAME}.corrupt-*")
    assert aside.stat().st_size == len(data)
