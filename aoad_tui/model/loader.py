"""Load a seeds directory into a KnowledgeBase, reporting every problem at once as path:line."""

from __future__ import annotations

import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from aoad_tui.model.collector import collector_paused
from aoad_tui.model.entries import (
    STATUSES,
    Alias,
    Article,
    Citation,
    Entry,
    Fact,
    KnowledgeBase,
    Origin,
    Person,
    Quote,
    Rumor,
    Show,
    Step,
)
from aoad_tui.model.files import read_regular_file
from aoad_tui.model.paths import display_path, kind_of_file
from aoad_tui.model.text import collapse_space, slugify, words
from aoad_tui.model.vocabulary import SLUG
from aoad_tui.model.yamlfile import YamlError, YamlList, YamlMapping, line_of_item, parse_yaml

SECTIONS = ("articles", "show", "facts", "people", "quotes", "rumors", "thesaurus")
MAX_PHRASE_WORDS = 5  # a thesaurus phrase: "all of us are dead"
# The largest YAML file read: twice the largest of a 100,000-entry pack in 20 files
# (tests/bench/generate_seeds.py). Parsing YAML costs about 2.5 s and 100 MB a MB (a 51 MB file:
# 130 s, 5.4 GB); a bigger file is one problem, said at once, not minutes of a blank screen. An
# article is plain text, read far faster: 10 MB ones are shown (README), so its limit is higher.
MAX_YAML_BYTES = 4 * 1024 * 1024
MAX_ARTICLE_BYTES = 64 * 1024 * 1024
_DATE_LINE = re.compile(r"\A[ \t]*date[ \t]+(\d{4}-\d{2}-\d{2})[ \t]*")
# Fields every entry may have besides its own.
_COMMON = ("id", "status", "as_of", "cites")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the seeds, where it is."""

    origin: Origin
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


class SeedsError(Exception):
    """The seeds directory has problems; `problems` lists all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the seeds")
        self.problems = problems


def seeds_size(seeds: Path) -> int:
    """The bytes of the seeds' files (0 if the directory cannot be listed: loading will say why)."""
    try:
        return sum(entry.stat().st_size for entry in seeds.iterdir() if entry.is_file())
    except OSError:
        return 0


Progress = Callable[[int, int], None]  # steps done, of how many (each YAML file read, then checked)


def load_knowledge(seeds: Path, progress: Progress | None = None) -> KnowledgeBase:
    """Load and validate every article and YAML file in `seeds`; raise SeedsError on any problem."""
    # The YAML node graphs are hundreds of thousands of short-lived objects, and the cyclic garbage
    # collector's passes over them cost as much as the parsing itself: pause it while loading.
    with collector_paused():
        return _Loader(seeds, progress or (lambda done, total: None)).load()


class _Loader:
    def __init__(self, seeds: Path, progress: Progress) -> None:
        self.seeds = seeds
        self.progress = progress
        self.problems: list[Problem] = []
        self.articles: dict[str, Article] = {}
        self.normalized: dict[str, str] = {}
        self.entries: list[Entry] = []
        self.ids: dict[str, Entry] = {}
        self.pending_cites: list[tuple[Citation, Origin, int]] = []  # and the line of `article:`
        self.unreadable_articles: set[str] = set()
        self.pending_people: list[tuple[str, Origin]] = []
        self.thesaurus: list[tuple[str, ...]] = []
        self.phrases: dict[str, Origin] = {}  # each thesaurus phrase, and where it first was

    # --- problems -------------------------------------------------------------------------------

    def problem(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(Origin(path, line), message))

    # --- the whole directory --------------------------------------------------------------------

    def load(self) -> KnowledgeBase:
        if not self.seeds.is_dir():
            where = display_path(self.seeds)
            raise SeedsError([Problem(Origin(where, 0), "not a directory of seeds")])
        try:
            files = sorted(p for p in self.seeds.iterdir() if not p.name.startswith("."))
        except OSError as error:
            where = display_path(self.seeds)
            raise SeedsError([Problem(Origin(where, 0), f"cannot read: {error.strerror or error}")]) from None
        for path in files:
            if path.suffix in (".yaml", ".yml", ".txt") and (why := _not_a_file(path)):
                self.problem(display_path(path), 0, why)
        yaml_files = [p for p in files if p.suffix in (".yaml", ".yml") and p.is_file()]
        metadata: list[tuple[YamlMapping, str]] = []
        documents: list[tuple[YamlMapping, str]] = []
        steps = 2 * len(yaml_files)
        for done, path in enumerate(yaml_files, 1):
            self.progress(done - 1, steps)
            document = self.read_yaml(path)
            if document is not None:
                documents.append((document, display_path(path)))
                listed = document.get("articles")
                if listed is not None:
                    metadata.append((document, display_path(path)))
        self.read_articles([p for p in files if p.suffix == ".txt" and p.is_file()], metadata)
        if not self.articles and not self.problems:
            self.problem(display_path(self.seeds), 0, "no source articles (*.txt) found")
        for done, (document, where) in enumerate(documents, 1):
            self.progress(len(yaml_files) + done - 1, steps)
            self.read_entries(document, where)
        self.progress(steps, steps)
        self.check_references()
        if self.problems:
            raise SeedsError(self.problems)
        return self.knowledge_base()

    def knowledge_base(self) -> KnowledgeBase:
        shows = [e for e in self.entries if isinstance(e, Show)]
        return KnowledgeBase(
            articles=self.articles,
            show=shows[0] if shows else None,
            facts=[e for e in self.entries if isinstance(e, Fact)],
            people=[e for e in self.entries if isinstance(e, Person)],
            quotes=[e for e in self.entries if isinstance(e, Quote)],
            rumors=[e for e in self.entries if isinstance(e, Rumor)],
            thesaurus=tuple(self.thesaurus),
        )

    def read_text(self, path: Path, limit: int) -> str | None:
        where = display_path(path)
        try:
            data = read_regular_file(path, limit)
        except OSError as error:
            self.problem(where, 0, f"cannot read: {error.strerror or error}")
            return None
        if data is None:
            self.problem(where, 0, "cannot read: it is gone")
            return None
        if len(data) > limit:
            self.problem(where, 0, f"larger than {limit // (1024 * 1024)} MiB, the most such a file may hold: split it")
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            self.problem(where, line, f"not UTF-8: byte 0x{data[error.start]:02x} at offset {error.start}")
            return None
        text = text.removeprefix("\ufeff")
        if not text.strip():
            self.problem(where, 1, "empty file")
            return None
        return text

    def read_yaml(self, path: Path) -> YamlMapping | None:
        where = display_path(path)
        text = self.read_text(path, MAX_YAML_BYTES)
        if text is None:
            return None
        try:
            document = parse_yaml(text)
        except YamlError as error:
            self.problem(where, error.line, error.message)
            return None
        if not isinstance(document, YamlMapping):
            line = line_of_item(document, 0, 1)
            self.problem(where, line, f"expected a mapping with any of: {', '.join(SECTIONS)}")
            return None
        for key in document:
            if key not in SECTIONS:
                self.problem(where, document.line_of(key), f"unknown section {key!r}; known: {', '.join(SECTIONS)}")
        return document

    # --- articles -------------------------------------------------------------------------------

    def read_articles(self, paths: list[Path], metadata: list[tuple[YamlMapping, str]]) -> None:
        known: dict[str, tuple[YamlMapping, str]] = {}
        for document, where in metadata:
            for item in self.as_list(document, "articles", where):
                if self.fields(item, where, ("file",), ("title", "outlet", "date"), "article") is None:
                    continue
                name = self.string(item, "file", where)
                if name is None:
                    continue
                article_id = name.removesuffix(".txt")
                if article_id in known:
                    self.problem(where, item.line, f"article {name!r} is described twice")
                known[article_id] = (item, where)
        for path in paths:
            self.read_article(path, known.pop(path.stem, None))
        for article_id, (item, where) in known.items():
            self.problem(where, item.line_of("file"), f"article file {article_id}.txt not found")

    def read_article(self, path: Path, described: tuple[YamlMapping, str] | None) -> None:
        where = display_path(path)
        text = self.read_text(path, MAX_ARTICLE_BYTES)
        if text is None:
            self.unreadable_articles.add(path.stem)
            return
        first_line = _DATE_LINE.match(text)
        body = text[first_line.end() :] if first_line else text
        written = self.parse_date(first_line.group(1), where, 1) if first_line else None
        title = outlet = ""
        listed: date | None = None
        if described is not None:
            item, meta_where = described
            title = self.string(item, "title", meta_where, required=False) or ""
            outlet = self.string(item, "outlet", meta_where, required=False) or ""
            if "date" in item:
                listed = self.read_date(item, "date", meta_where)
                if listed and written and listed != written:
                    self.problem(meta_where, item.line_of("date"), f"date {listed} disagrees with {where} ({written})")
        when = written or listed
        if when is None:
            if not (first_line and written is None):
                self.problem(where, 1, "no date: start line 1 with 'date YYYY-MM-DD' or give it in articles:")
            self.unreadable_articles.add(path.stem)
            return
        self.articles[path.stem] = Article(path.stem, where, when, body, title, outlet)
        self.normalized[path.stem] = collapse_space(body)

    # --- entries --------------------------------------------------------------------------------

    def read_entries(self, document: YamlMapping, where: str) -> None:
        if "show" in document:
            show = document["show"]
            if isinstance(show, YamlMapping):
                self.read_show(show, where)
            else:
                self.problem(where, document.line_of("show"), "'show' must be a mapping")
        for section, reader in (
            ("facts", self.read_fact),
            ("people", self.read_person),
            ("quotes", self.read_quote),
            ("rumors", self.read_rumor),
        ):
            for item in self.as_list(document, section, where):
                entry = reader(item, where)
                if entry is not None:
                    self.add(entry)
        if "thesaurus" in document:
            self.read_thesaurus(document, where)

    def add(self, entry: Entry) -> None:
        other = self.ids.get(entry.id)
        if other is not None:
            self.problem(entry.origin.path, entry.origin.line, f"duplicate id {entry.id!r} (first at {other.origin})")
            return
        self.ids[entry.id] = entry
        self.entries.append(entry)

    def common(self, item: YamlMapping, where: str, *, history: bool = False) -> dict[str, Any] | None:
        """Read id, status, as_of and cites; None if any is wrong (problems are recorded)."""
        entry_id = self.string(item, "id", where)
        if entry_id is not None and not SLUG.match(entry_id):
            self.problem(where, item.line_of("id"), f"id {entry_id!r} is not a lowercase slug like 'some-name'")
            entry_id = None
        if history:
            return {"id": entry_id} if entry_id else None
        status = self.status(item, where)
        as_of = self.read_date(item, "as_of", where)
        cites = self.cites(item, where)
        if entry_id is None or status is None or as_of is None or cites is None:
            return None
        return {"id": entry_id, "status": status, "as_of": as_of, "cites": cites, "origin": Origin(where, item.line)}

    def read_show(self, item: YamlMapping, where: str) -> Show | None:
        self.fields(item, where, (*_COMMON, "title", "summary"), ("aliases",), "show")
        common = self.common(item, where)
        name = self.string(item, "title", where)
        summary = self.string(item, "summary", where)
        aliases: list[Alias] = []
        for alias in self.as_list(item, "aliases", where):
            self.fields(alias, where, ("name", "cites"), (), "alias")
            alias_name = self.string(alias, "name", where)
            alias_cites = self.cites(alias, where)
            if alias_name is not None and alias_cites is not None:
                aliases.append(Alias(alias_name, alias_cites))
        if common is None or name is None or summary is None:
            return None
        if any(isinstance(e, Show) for e in self.entries):
            self.problem(where, item.line, "a second 'show': the seeds describe one show")
            return None
        show = Show(name=name, summary=summary, aliases=tuple(aliases), **common)
        self.add(show)
        return show

    def read_fact(self, item: YamlMapping, where: str) -> Fact | None:
        self.fields(item, where, (*_COMMON, "text"), ("topic", "when", "glance", "about"), "fact")
        common = self.common(item, where)
        statement = self.string(item, "text", where)
        topic = self.string(item, "topic", where, required=False) or ""
        when = self.string(item, "when", where, required=False) or ""
        glance = self.string(item, "glance", where, required=False) or ""
        about = self.person_ids(item, "about", where)
        if common is None or statement is None or about is None:
            return None
        return Fact(statement=statement, topic=topic, when=when, glance=glance, about=about, **common)

    def read_person(self, item: YamlMapping, where: str) -> Person | None:
        self.fields(item, where, (*_COMMON, "name", "role"), ("character",), "person")
        common = self.common(item, where)
        name = self.string(item, "name", where)
        role = self.string(item, "role", where)
        character = self.string(item, "character", where, required=False) or ""
        if common is None or name is None or role is None:
            return None
        if common["id"] != slugify(name):
            self.problem(
                where, item.line_of("id"), f"a person's id is the slug of the name: expected {slugify(name)!r}"
            )
            return None
        return Person(name=name, role=role, character=character, **common)

    def read_quote(self, item: YamlMapping, where: str) -> Quote | None:
        required = (*_COMMON, "speaker", "text")
        self.fields(item, where, required, ("outlet", "setting", "about"), "quote")
        common = self.common(item, where)
        words = self.string(item, "text", where)
        speaker = self.string(item, "speaker", where)
        outlet = self.string(item, "outlet", where, required=False) or ""
        setting = self.string(item, "setting", where, required=False) or ""
        about = self.string(item, "about", where, required=False) or ""
        if speaker is not None:
            self.pending_people.append((speaker, Origin(where, item.line_of("speaker"))))
        if common is None or words is None or speaker is None:
            return None
        return Quote(words=words, speaker=speaker, outlet=outlet, setting=setting, about=about, **common)

    def read_rumor(self, item: YamlMapping, where: str) -> Rumor | None:
        self.fields(item, where, ("id", "claim", "history"), ("reported_by", "about"), "rumor")
        common = self.common(item, where, history=True)
        claim = self.string(item, "claim", where)
        reported_by = self.string(item, "reported_by", where, required=False) or ""
        about = self.person_ids(item, "about", where)
        step_items = self.as_list(item, "history", where)
        steps = [self.read_step(step, where) for step in step_items]
        if not steps and "history" in item and isinstance(item["history"], list):
            self.problem(where, item.line_of("history"), "'history' needs at least one step")
        if common is None or claim is None or about is None or not steps or None in steps:
            return None
        history = tuple(step for step in steps if step is not None)
        for (earlier, _), (later, later_item) in pairwise(zip(history, step_items, strict=True)):
            if later.as_of < earlier.as_of:
                self.problem(where, later_item.line_of("as_of"), "history steps must be in date order")
                return None
        cites = tuple(dict.fromkeys(c for step in history for c in step.cites))
        last = history[-1]
        return Rumor(
            claim=claim,
            reported_by=reported_by,
            about=about,
            history=history,
            status=last.status,
            as_of=last.as_of,
            cites=cites,
            origin=Origin(where, item.line),
            **common,
        )

    def read_step(self, item: object, where: str) -> Step | None:
        if not isinstance(item, YamlMapping):
            return None
        self.fields(item, where, ("status", "as_of", "cites"), ("note",), "history step")
        status = self.status(item, where)
        as_of = self.read_date(item, "as_of", where)
        cites = self.cites(item, where)
        note = self.string(item, "note", where, required=False) or ""
        if status is None or as_of is None or cites is None:
            return None
        return Step(status, as_of, cites, note)

    def read_thesaurus(self, document: YamlMapping, where: str) -> None:
        groups = document["thesaurus"]
        if not isinstance(groups, list):
            self.problem(where, document.line_of("thesaurus"), "'thesaurus' must be a list of groups of words")
            return
        for number, group in enumerate(groups):
            line = line_of_item(groups, number, document.line_of("thesaurus"))
            if not isinstance(group, list) or len(group) < 2:
                self.problem(where, line, "each thesaurus group must be a list of at least two words or phrases")
                continue
            phrases: list[str] = []
            for index, value in enumerate(group):
                at = Origin(where, line_of_item(group, index, line))
                phrase = " ".join(words(value)) if isinstance(value, str) else ""
                if not phrase or len(phrase.split()) > MAX_PHRASE_WORDS:
                    shown = _short(value) if isinstance(value, str) else _type_name(value)
                    self.problem(at.path, at.line, f"a thesaurus entry must be 1 to {MAX_PHRASE_WORDS} words: {shown}")
                elif (first := self.phrases.get(phrase)) is not None:
                    self.problem(at.path, at.line, f"{phrase!r} is already in the thesaurus (at {first})")
                else:
                    self.phrases[phrase] = at
                    phrases.append(phrase)
            if len(phrases) >= 2:
                self.thesaurus.append(tuple(phrases))

    # --- references -----------------------------------------------------------------------------

    def check_references(self) -> None:
        for person_id, origin in self.pending_people:
            if not isinstance(self.ids.get(person_id), Person):
                self.problem(origin.path, origin.line, f"unknown person {person_id!r}")
        for citation, origin, article_line in self.pending_cites:
            normalized = self.normalized.get(citation.article)
            if normalized is None:
                if citation.article not in self.unreadable_articles:
                    self.problem(origin.path, article_line, f"cites unknown article {citation.article!r}")
            elif collapse_space(citation.passage) not in normalized:
                self.problem(
                    origin.path,
                    origin.line,
                    f"passage not found in article {citation.article!r}: {_short(citation.passage)}",
                )

    # --- field readers: each records a problem and returns None when the value is wrong ----------

    def fields(
        self, item: object, where: str, required: tuple[str, ...], optional: tuple[str, ...], what: str
    ) -> YamlMapping | None:
        """Report unknown and missing fields; None when `item` is not a mapping or lacks a field."""
        if not isinstance(item, YamlMapping):
            line = getattr(item, "line", 0)
            self.problem(where, line, f"each {what} must be a mapping, not {_type_name(item)}")
            return None
        for key in item:
            if key not in required and key not in optional:
                self.problem(where, item.line_of(key), f"unknown field {key!r} in {what}")
        missing = [key for key in required if key not in item]
        for key in missing:
            self.problem(where, item.line, f"{what} is missing {key!r}")
        return None if missing else item

    def as_list(self, item: YamlMapping, key: str, where: str) -> list[Any]:
        value = item.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(where, item.line_of(key), f"{key!r} must be a list, not {_type_name(value)}")
            return []
        for index, element in enumerate(value):
            if not isinstance(element, YamlMapping):
                line = line_of_item(value, index, item.line_of(key))
                self.problem(where, line, f"each item of {key!r} must be a mapping, not {_type_name(element)}")
        return [element for element in value if isinstance(element, YamlMapping)]

    def string(self, item: YamlMapping, key: str, where: str, *, required: bool = True) -> str | None:
        value = item.get(key)
        if value is None:
            if required and key in item:
                self.problem(where, item.line_of(key), f"{key!r} is empty")
            return None
        if not isinstance(value, str):
            self.problem(where, item.line_of(key), f"{key!r} must be text, not {_type_name(value)}")
            return None
        if required and not value.strip():
            self.problem(where, item.line_of(key), f"{key!r} is empty")
            return None
        return value

    def status(self, item: YamlMapping, where: str) -> str | None:
        value = self.string(item, "status", where)
        if value is not None and value not in STATUSES:
            self.problem(where, item.line_of("status"), f"unknown status {value!r}; known: {', '.join(STATUSES)}")
            return None
        return value

    def read_date(self, item: YamlMapping, key: str, where: str) -> date | None:
        value = item.get(key)
        if value is None and key not in item:
            return None  # missing: fields() said so
        if isinstance(value, date) and not hasattr(value, "hour"):
            return value
        if isinstance(value, str):
            return self.parse_date(value, where, item.line_of(key))
        self.problem(where, item.line_of(key), f"{key!r} must be a date like 2025-04-16, not {_type_name(value)}")
        return None

    def parse_date(self, value: str, where: str, line: int) -> date | None:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            self.problem(where, line, f"not a date: {_short(value)} (expected YYYY-MM-DD)")
            return None

    def person_ids(self, item: YamlMapping, key: str, where: str) -> tuple[str, ...] | None:
        value = item.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(where, item.line_of(key), f"{key!r} must be a list of person ids")
            return None
        for index, person_id in enumerate(value):
            self.pending_people.append((person_id, Origin(where, line_of_item(value, index, item.line_of(key)))))
        return tuple(value)

    def cites(self, item: YamlMapping, where: str) -> tuple[Citation, ...] | None:
        value = item.get("cites")
        if value is None and "cites" not in item:
            return None  # missing: fields() said so
        if not isinstance(value, list) or not value:
            self.problem(where, item.line_of("cites"), "'cites' must be a list of at least one {article, passage}")
            return None
        cites: list[Citation] = []
        complete = True
        for index, element in enumerate(value):
            if not isinstance(element, YamlMapping):
                line = line_of_item(value, index, item.line_of("cites"))
                self.problem(where, line, f"each citation must be a mapping, not {_type_name(element)}")
                complete = False
                continue
            if self.fields(element, where, ("article", "passage"), (), "citation") is None:
                complete = False
                continue
            article = self.string(element, "article", where)
            passage = self.string(element, "passage", where)
            if article is None or passage is None:
                complete = False
                continue
            citation = Citation(article.removesuffix(".txt"), passage)
            self.pending_cites.append((citation, Origin(where, element.line_of("passage")), element.line_of("article")))
            cites.append(citation)
        return tuple(cites) if complete else None


def _type_name(value: object) -> str:
    names = {
        dict: "a mapping",
        YamlMapping: "a mapping",
        list: "a list",
        YamlList: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }
    if value is None:
        return "nothing"
    return names.get(type(value), type(value).__name__)


def _short(text: str, width: int = 60) -> str:
    flat = collapse_space(text)
    return repr(flat if len(flat) <= width else flat[: width - 1] + "…")


def _not_a_file(path: Path) -> str | None:
    """Why a seeds file named like one cannot be read as one (a directory, a FIFO, a device, a
    symlink loop or to nothing), or None. Such a file is never opened: a FIFO would block."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        return f"cannot read: {error.strerror or error}"
    return None if stat.S_ISREG(mode) else f"{kind_of_file(mode)}, not a file"
