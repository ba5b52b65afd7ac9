"""The cache of the validated knowledge base: used only while its seeds are unchanged, never in the way."""

from __future__ import annotations

import os
import pickle
import shutil
import threading
from pathlib import Path

import pytest

from aoad_tui.model import cache as cache_module
from aoad_tui.model.cache import load_cached, save_cached, signature
from aoad_tui.model.entries import KnowledgeBase
from aoad_tui.model.loader import load_knowledge
from aoad_tui.model.paths import bundled_seeds
from aoad_tui.model.visits import digest_of, fingerprint, fingerprints


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    copy = tmp_path / "seeds"
    shutil.copytree(bundled_seeds(), copy)
    return copy


def test_a_saved_knowledge_base_comes_back_equal(seeds: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache" / "knowledge.pickle"
    knowledge = load_knowledge(seeds)
    assert load_cached(cache, signature(seeds)) is None  # nothing cached yet
    save_cached(cache, signature(seeds), knowledge)
    cached = load_cached(cache, signature(seeds))
    assert cached is not None
    # What the first frame needs is read at once; people, quotes and rumors when first needed.
    assert (cached.articles, cached.show, cached.first_facts) == (knowledge.articles, knowledge.show, knowledge.facts)
    assert not cached.complete
    assert cached.digest == digest_of(knowledge)
    # Any list asked for reads the rest: none is ever partial.
    assert cached.people == knowledge.people and cached.complete
    assert cached.entries() == knowledge.entries()
    assert cached == knowledge
    assert cached.by_id.keys() == knowledge.by_id.keys()
    assert cached.fingerprints == knowledge.fingerprints
    assert not [p for p in cache.parent.iterdir() if p.name.endswith(".tmp")]  # no temporary left


def cut_off(seeds: Path, tmp_path: Path) -> tuple[KnowledgeBase, KnowledgeBase]:
    """The seeds' knowledge, and what a cache of it whose end was cut off gives at start."""
    cache = tmp_path / "cache" / "knowledge.pickle"
    knowledge = load_knowledge(seeds)
    save_cached(cache, signature(seeds), knowledge)
    data = cache.read_bytes()
    cache.write_bytes(data[: len(data) - 200])
    cached = load_cached(cache, signature(seeds))
    assert cached is not None
    return knowledge, cached


def test_a_cache_whose_rest_cannot_be_read_takes_it_from_the_seeds(seeds: Path, tmp_path: Path) -> None:
    knowledge, cached = cut_off(seeds, tmp_path)
    assert not cached.complete
    assert cached.people == knowledge.people and cached.complete
    assert cached.entries() == knowledge.entries()


def test_a_cache_whose_rest_cannot_be_read_and_seeds_now_invalid_keeps_what_was_read(
    seeds: Path, tmp_path: Path
) -> None:
    knowledge, cached = cut_off(seeds, tmp_path)
    assert cached.first_facts
    first = list(cached.first_facts)
    (seeds / "zz_broken.yaml").write_text("facts: [unclosed\n", encoding="utf-8")  # invalid since
    assert cached.people == [] and cached.complete
    assert cached.facts == first and cached.show == knowledge.show  # what the Overview showed stays
    assert [e.id for e in cached.entries()] == [e.id for e in [knowledge.show, *first] if e is not None]


@pytest.mark.parametrize("change", ["edit", "same-size-edit-old-time", "touch", "add", "remove"])
def test_any_change_to_the_seeds_makes_the_cache_stale(seeds: Path, tmp_path: Path, change: str) -> None:
    cache = tmp_path / "knowledge.pickle"
    save_cached(cache, signature(seeds), load_knowledge(seeds))
    yaml_file = next(seeds.glob("*.yaml"))
    if change == "edit":
        yaml_file.write_text(yaml_file.read_text() + "\n# a comment\n")
    elif change == "same-size-edit-old-time":  # as an editor or a sync tool may leave it
        before = yaml_file.stat()
        text = yaml_file.read_text()
        yaml_file.write_text(text[:-2] + ("x" if text[-2] != "x" else "y") + text[-1])
        os.utime(yaml_file, ns=(before.st_atime_ns, before.st_mtime_ns))
        after = yaml_file.stat()
        assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    elif change == "touch":  # same size, newer time
        stat = yaml_file.stat()
        os.utime(yaml_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    elif change == "add":
        (seeds / "extra.txt").write_text("Another article.\n")
    else:
        next(seeds.glob("*.txt")).unlink()
    assert load_cached(cache, signature(seeds)) is None


def test_origins_are_shown_as_a_fresh_load_would_show_them(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Origins are shown relative to the working directory when the seeds are inside it, and as
    # absolute paths from anywhere else.
    cache = tmp_path / "knowledge.pickle"
    monkeypatch.chdir(tmp_path)
    save_cached(cache, signature(seeds), load_knowledge(seeds))
    monkeypatch.chdir(seeds)
    assert load_cached(cache, signature(seeds)) is None  # "seeds/show.yaml" would now be "show.yaml"
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    monkeypatch.chdir(tmp_path / "a")
    save_cached(cache, signature(seeds), load_knowledge(seeds))
    monkeypatch.chdir(tmp_path / "b")
    cached = load_cached(cache, signature(seeds))  # from b the paths read as from a: the cache holds
    assert cached is not None and cached.entries() == load_knowledge(seeds).entries()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a pickle at all",
        pickle.dumps(("a signature", "not a knowledge base")),
        pickle.dumps(None),
        b"\x80\x05\x95\x10\x00\x00",  # a pickle cut short
    ],
)
def test_a_corrupt_cache_is_ignored(seeds: Path, tmp_path: Path, content: bytes) -> None:
    cache = tmp_path / "knowledge.pickle"
    cache.write_bytes(content)
    assert load_cached(cache, signature(seeds)) is None


@pytest.mark.parametrize("callable_name", ["os\nmkdir", "builtins\nexec", "aoad_tui.model.entries\ndataclass"])
def test_a_cache_that_would_call_a_function_never_calls_it(seeds: Path, tmp_path: Path, callable_name: str) -> None:
    canary = tmp_path / "made-by-the-cache"
    argument = str(canary) if "mkdir" in callable_name else f"open({str(canary)!r}, 'w')"
    cache = tmp_path / "knowledge.pickle"
    cache.write_bytes(f"c{callable_name}\n(V{argument}\ntR.".encode())
    assert load_cached(cache, signature(seeds)) is None
    assert not canary.exists()


def test_a_cache_of_the_right_signature_but_the_wrong_type_is_ignored(seeds: Path, tmp_path: Path) -> None:
    cache = tmp_path / "knowledge.pickle"
    cache.write_bytes(pickle.dumps((signature(seeds), {"facts": []})))
    assert load_cached(cache, signature(seeds)) is None


def test_an_unwritable_cache_directory_is_no_error(seeds: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be")
    cache = blocker / "knowledge.pickle"
    save_cached(cache, signature(seeds), load_knowledge(seeds))  # no exception
    assert load_cached(cache, signature(seeds)) is None
    assert blocker.read_text() == "a file where the cache directory should be"


def test_a_seed_changed_while_it_was_read_makes_the_cache_stale(seeds: Path, tmp_path: Path) -> None:
    cache = tmp_path / "knowledge.pickle"
    made_from = signature(seeds)  # taken before reading, as the app does
    knowledge = load_knowledge(seeds)
    yaml_file = next(seeds.glob("*.yaml"))
    yaml_file.write_text(yaml_file.read_text() + "\n# edited meanwhile\n")
    save_cached(cache, made_from, knowledge)
    assert load_cached(cache, signature(seeds)) is None


def test_seeds_that_cannot_be_listed_are_never_cached(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-seeds"
    cache = tmp_path / "knowledge.pickle"
    assert signature(missing) is None
    save_cached(cache, signature(missing), load_knowledge(bundled_seeds()))
    assert not cache.exists()
    assert load_cached(cache, signature(missing)) is None


def test_a_stale_cache_is_found_stale_without_reading_the_knowledge_base(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What follows the signature of a cache made from other seeds is never unpickled.
    cache = tmp_path / "cache" / "knowledge.pickle"
    save_cached(cache, signature(seeds), load_knowledge(seeds))
    loaded: list[object] = []

    class Counting(cache_module.KnowledgeUnpickler):
        def load(self) -> object:
            loaded.append(value := super().load())
            return value

    monkeypatch.setattr(cache_module, "KnowledgeUnpickler", Counting)
    assert load_cached(cache, signature(seeds)) is not None and len(loaded) == 2  # fresh: the first two read
    loaded.clear()
    (seeds / "extra.txt").write_text("date 2025-01-01 more", encoding="utf-8")  # the seeds changed
    assert load_cached(cache, signature(seeds)) is None
    assert len(loaded) == 1 and isinstance(loaded[0], tuple)  # the signature alone


def test_a_fifo_in_place_of_the_cache_is_ignored_at_once(seeds: Path, tmp_path: Path) -> None:
    cache = tmp_path / "knowledge.pickle"
    os.mkfifo(cache)
    assert load_cached(cache, signature(seeds)) is None  # would block on a read


def _generated(tmp_path: Path, entries: int = 1200) -> Path:
    import importlib.util

    from support import TESTS

    spec = importlib.util.spec_from_file_location("generate_seeds", TESTS / "bench" / "generate_seeds.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return Path(module.generate_seeds(tmp_path / "pack", articles=20, entries=entries, files=3))


def test_a_warm_start_reads_only_the_facts_the_first_frame_shows(tmp_path: Path) -> None:
    from dataclasses import replace

    from aoad_tui.model.entries import KnowledgeBase, overview_order

    seeds = _generated(tmp_path)
    loaded = load_knowledge(seeds)
    # A fact late in the data with a glance: the Overview's summary shows it at start.
    late = len(loaded.facts) - 1
    facts = [replace(fact, glance="Late news") if n == late else fact for n, fact in enumerate(loaded.facts)]
    knowledge = KnowledgeBase(
        loaded.articles, loaded.show, facts=facts, people=loaded.people, quotes=loaded.quotes, rumors=loaded.rumors
    )
    assert len(knowledge.facts) > 2 * cache_module.FIRST_FACTS
    cache = tmp_path / "knowledge.pickle"
    save_cached(cache, signature(seeds), knowledge)
    cached = load_cached(cache, signature(seeds))
    assert cached is not None and not cached.complete
    first = cached.first_facts
    assert len(first) == cache_module.FIRST_FACTS + 1  # the Overview's first, and the late glance
    assert [f.glance for f in first if f.glance] == ["Late news"]
    wanted = overview_order(knowledge.facts)[: cache_module.FIRST_FACTS]
    assert overview_order(first)[: cache_module.FIRST_FACTS] == wanted
    assert cached.facts == knowledge.facts and cached.complete and cached.entries() == knowledge.entries()
    # The rest refers to the objects already read: one object per fact, whoever holds it.
    kept = {id(fact) for fact in cached.facts}
    assert all(id(fact) in kept for fact in first)
    assert cached.by_id.keys() == knowledge.by_id.keys()


def test_the_first_facts_cover_the_lists_first_rows() -> None:
    from aoad_tui.widgets import entry_list

    assert cache_module.FIRST_FACTS >= entry_list.WINDOW  # the rows built at first all come from them


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file away")
def test_a_cache_root_writes_in_a_users_cache_directory_is_the_users(seeds: Path, tmp_path: Path) -> None:
    """`sudo -E aoad-tui`: the cache folder and file root makes are the user's, so that the user's
    next start can replace them."""
    user = 54321
    home_cache = tmp_path / "home-cache"
    home_cache.mkdir()
    os.chown(home_cache, user, user)
    cache = home_cache / "aoad-tui" / "knowledge.pickle"
    save_cached(cache, signature(seeds), load_knowledge(seeds))
    assert cache.is_file()
    for made in (cache.parent, cache):
        assert (made.stat().st_uid, made.stat().st_gid) == (user, user), made
    assert not [p for p in cache.parent.iterdir() if p.name.endswith(".tmp")]


def test_the_fingerprints_of_a_cache_read_in_part_read_the_rest_under_the_same_lock(
    seeds: Path, tmp_path: Path
) -> None:
    """The visit asks for every fingerprint under the knowledge's lock, and reading the rest takes
    that lock too: it must not wait for itself."""
    cache = tmp_path / "knowledge.pickle"
    knowledge = load_knowledge(seeds)
    save_cached(cache, signature(seeds), knowledge)
    cached = load_cached(cache, signature(seeds))
    assert cached is not None and not cached.complete
    found: list[dict[str, str]] = []
    thread = threading.Thread(target=lambda: found.append(fingerprints(cached)), daemon=True)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), "fingerprints() waits for itself"
    assert found == [visits_fingerprints_of(knowledge)]


def visits_fingerprints_of(knowledge: KnowledgeBase) -> dict[str, str]:
    return {entry.id: fingerprint(entry) for entry in knowledge.entries()}
