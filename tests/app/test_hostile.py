"""Data that attacks the terminal: markup, ANSI and OSC escapes, control characters, bidi overrides.

tests/data/hostile_seeds/ is a valid seeds directory (made by tests/data/make_hostile_seeds.py) whose
names, quotes, claims, notes, titles and articles are full of them. Everything must reach the
screen as inert, visible text: `[bold]` drawn as the six characters `[bold]`, ESC as ␛, and no raw
control character in anything a widget renders.
"""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from support.helpers import (
    CONTROL,
    HOSTILE_SEEDS,
    active_tab,
    flat,
    highlighted_passages,
    knowledge_from,
    make_app,
    press,
    screen_text,
    settle,
    wait_for,
)
from textual.content import Content
from textual.geometry import Region
from textual.widgets import OptionList

from aoad_tui.__main__ import main
from aoad_tui.app import AoadApp
from aoad_tui.model.entries import Citation, KnowledgeBase, Origin, Person, Quote, Rumor
from aoad_tui.model.inert import inert_line as safe
from aoad_tui.model.text import collapse_space
from aoad_tui.screens.detail import DetailScreen
from aoad_tui.widgets.render import entry_detail, entry_row, literal
from aoad_tui.widgets.source_view import SourceView

ESC = "\x1b"
# What the hostile data holds, and how each piece must look once drawn.
STAND_INS = {
    "[bold]": "[bold]",
    "[/]": "[/]",
    "[link=x]": "[link=x]",
    f"{ESC}[31m": "␛[31m",
    f"{ESC}]0;pwned\x07": "␛]0;pwned␇",
    f"{ESC}]52;c;AAAA\x07": "␛]52;c;AAAA␇",
    "\x08": "␈",
    "\x9b": "<U+009B>",
    "\u202e": "<U+202E>",
}


# --- the data really is hostile, and valid ----------------------------------------------------------


def test_hostile_seeds_pass_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(HOSTILE_SEEDS)]) == 0
    out = capsys.readouterr().out
    assert "OK, 2 articles" in out
    assert "5 people, 2 quotes, 2 rumors" in out


def test_hostile_seeds_hold_every_kind_of_attack() -> None:
    knowledge = knowledge_from(HOSTILE_SEEDS)
    names = " ".join(p.name for p in knowledge.people)
    quotes = " ".join(q.words for q in knowledge.quotes)
    claims = " ".join(r.claim for r in knowledge.rumors)
    article = knowledge.articles["000_hostile"].body
    for where, text in (("names", names), ("quotes", quotes), ("claims", claims), ("article", article)):
        assert "[bold]" in text or "[link=x]" in text, f"{where}: markup"
        assert f"{ESC}[" in text, f"{where}: an ANSI (CSI) escape"
        assert f"{ESC}]" in text, f"{where}: an OSC sequence"
        assert "\x07" in text or "\x08" in text, f"{where}: BEL or BS"
        assert "\u202e" in text, f"{where}: a right-to-left override"
        assert "\x9b" in text or where == "quotes", f"{where}: a C1 control"
    for raw in STAND_INS:
        assert raw in article, f"the article lacks {raw!r}"
    assert "\x07" in names
    assert "\x08" in names
    assert "\x9b" in names
    assert "\u202e" in names
    assert f"{ESC}]52;c;AAAA\x07" in quotes


def test_committed_hostile_seeds_match_their_generator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The generator and the committed files agree: whoever edits one re-runs the other."""
    script = HOSTILE_SEEDS.parent / "make_hostile_seeds.py"
    spec = importlib.util.spec_from_file_location("make_hostile_seeds", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path / "out")
    module.main()
    made = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    committed = {p.name: p.read_bytes() for p in HOSTILE_SEEDS.iterdir()}
    assert made == committed


# --- the app draws it all as inert text -------------------------------------------------------------


def rendered_lines(app: AoadApp) -> list[str]:
    """What every displayed widget of the current screen renders, strip by strip, segment by segment."""
    lines = []
    for widget in app.screen.walk_children(with_self=True):
        if not widget.display or not widget.region:
            continue
        width, height = widget.outer_size
        for strip in widget.render_lines(Region(0, 0, width, height)):
            lines.append("".join(segment.text for segment in strip))
    return lines


def data_texts(app: AoadApp) -> list[str]:
    """The Content of every Static and every list option on the screen, before rendering."""
    texts = []
    for widget in app.screen.walk_children(with_self=True):
        if isinstance(widget, OptionList):
            texts += [str(getattr(o.prompt, "plain", o.prompt)) for o in widget.options]
        else:
            visual = widget.render()
            if isinstance(visual, Content):
                texts.append(visual.plain)
    return texts


def assert_inert(app: AoadApp, where: str) -> str:
    """No raw control character anywhere on screen or in any widget; the screen's text."""
    svg = app.export_screenshot()
    raw = sorted({f"U+{ord(c):04X}" for c in CONTROL.findall(svg)})
    assert not raw, f"{where}: the screenshot holds raw control characters {raw}"
    for line in rendered_lines(app):
        assert not CONTROL.search(line), f"{where}: a widget renders {line!r}"
    for text in data_texts(app):
        assert not CONTROL.search(text), f"{where}: a widget holds {text!r}"
    return screen_text(app)


async def test_every_tab_and_detail_shows_hostile_text_inert_and_visible() -> None:
    app = make_app(HOSTILE_SEEDS)
    seen: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        steps: list[tuple[str, list[str]]] = [
            ("overview", ["1"]),
            ("cast", ["2"]),
            ("quotes", ["3"]),
            ("rumors", ["4"]),
            ("bookmarks", ["5"]),
            ("source", ["6"]),
            ("show detail", ["1", "enter"]),
            ("person detail", ["escape", "2", "enter"]),
            ("quote detail", ["escape", "3", "enter"]),
            ("rumor detail", ["escape", "4", "enter"]),
            ("cited source", ["escape", "3", "j", "s"]),
            ("calm article", ["right_square_bracket"]),
            ("help", ["f1"]),
        ]
        for where, keys in steps:
            await press(pilot, *keys)
            await settle(pilot)
            assert app.is_running, where
            if where in ("overview", "cast", "quotes", "rumors", "bookmarks", "source"):
                assert active_tab(app) == where
            if where.endswith("detail"):
                assert isinstance(app.screen, DetailScreen), where
            seen.append(assert_inert(app, where))
    shown = "\n".join(seen)
    for raw, stand_in in STAND_INS.items():
        assert stand_in in shown, f"{raw!r} is not shown as {stand_in!r}"
    assert "␇" in shown
    assert "Evil [bold]Bob[/] ␛[31mRed␛[0m" in shown  # a name, exactly as written
    assert "“I am ␛[31mred␛[0m and [bold]bold[/] ␛]52;c;AAAA␇ copy me.”" in shown  # a quote
    assert "[link=x]The show[/link] will ␛[2Jclear the screen <U+009B> and ␈␈ back up." in shown  # a claim
    assert "<U+202E>Ring the bell␇ and [link=x]follow[/link] me␛]0;pwned␇." in shown
    assert "A calm second article with a lone [/] and nothing else." in shown


async def test_hostile_person_detail_and_copy() -> None:
    app = make_app(HOSTILE_SEEDS, tab="cast")
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await settle(pilot)
        text = assert_inert(app, "person detail")
        assert "Evil [bold]Bob[/] ␛[31mRed␛[0m" in text
        assert "I am ␛[31mred␛[0m and [bold]bold[/]" in flat(text)
        await press(pilot, "y")
        await settle(pilot)
        assert "[bold]" in app.clipboard  # the notification about it is on screen, inert too
        assert_inert(app, "after copying")


async def test_hostile_search_results_are_inert() -> None:
    app = make_app(HOSTILE_SEEDS)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "slash", *"pwned")
        results = app.query_one("#results", OptionList)
        await wait_for(pilot, lambda: results.option_count > 0 and results.region.height > 0, "search results")
        text = assert_inert(app, "search results")
        assert "␛]0;pwned␇" in text


async def test_highlight_covers_the_cited_words_after_escaped_characters() -> None:
    app = make_app(HOSTILE_SEEDS, tab="quotes")
    async with app.run_test(size=(100, 30)) as pilot:
        quote = app.knowledge.quotes[0]
        await press(pilot, "s")
        await settle(pilot)
        highlighted = highlighted_passages(app.query_one(SourceView))
        assert collapse_space(" ".join(highlighted)) == collapse_space(safe(quote.cites[0].passage))


# --- safe() and literal(), for any text -------------------------------------------------------------

C0 = [chr(c) for c in range(0x20) if c != 0x0A] + ["\x7f"]
C1 = [chr(c) for c in range(0x80, 0xA0)]
BIDI = [chr(c) for c in (0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))]
MARKUP = ["[bold]", "[/]", "[/bold]", "[link=x]", "[link='javascript:x']", "[@click=app.quit]", "[$accent]"]
MARKUP += ["\\[", "[", "]", "[b]x[/b]"]
ESCAPES = [f"{ESC}[31m", f"{ESC}[0m", f"{ESC}[2J", f"{ESC}]0;pwned\x07", f"{ESC}]52;c;AAAA\x07", f"{ESC}]8;;x{ESC}\\"]

hostile_text = st.lists(
    st.sampled_from(C0 + C1 + BIDI + MARKUP + ESCAPES + ["\n", " ", "a", "é", "한", "😀"]) | st.text(max_size=8),
    max_size=24,
).map("".join)
any_text = st.text() | hostile_text


def forbidden(text: str) -> list[str]:
    bad = set(C0) | set(C1) | {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
    return sorted({f"U+{ord(c):04X}" for c in text if c in bad})


@given(any_text)
@example("[bold]x[/] \x1b[31mred\x1b]0;t\x07 \x9b\u202e\u2066")
@example("\x00\x08\x09\x0b\x0d\x1b\x7f\x85\x9f")
def test_safe_leaves_no_control_or_bidi_character(text: str) -> None:
    shown = safe(text)
    assert not forbidden(shown)
    assert shown.count("\n") == text.count("\n")
    assert safe(shown) == shown  # the stand-ins are themselves safe


@given(any_text)
def test_safe_changes_only_control_characters(text: str) -> None:
    if not CONTROL.search(text):
        assert safe(text) == text
    # Every character that is not a control survives, in order.
    kept = "".join(c for c in text if not CONTROL.match(c))
    remaining = iter(safe(text))
    assert all(c in remaining for c in kept)


@pytest.mark.parametrize("char", C0 + C1 + BIDI)
def test_every_control_character_has_a_visible_stand_in(char: str) -> None:
    shown = safe(f"a{char}b")
    assert shown.startswith("a")
    assert shown.endswith("b")
    middle = shown[1:-1]
    assert middle, f"U+{ord(char):04X} vanished"
    assert middle == " " or middle.isprintable()


@given(any_text, st.sampled_from(["", "bold", "italic", "$text-muted", "bold $warning"]))
@example("[bold]not bold[/]", "")
@example("[link=x]click[/link] [@click=app.quit]quit[/]", "bold")
def test_literal_never_parses_markup(text: str, style: str) -> None:
    content = literal(text, style)
    assert content.plain == safe(text)
    assert Content(safe(text)).plain == safe(text)
    if "[bold]" in text:
        assert "[bold]" in content.plain
    # Only the style asked for, over the whole text: nothing in the text added a span.
    assert all(span.style == style for span in content.spans)


def one_of_each(name: str, words: str, claim: str) -> KnowledgeBase:
    """A person, their quote and a rumor about them, every text field taken from the arguments."""
    common = {"status": "confirmed", "as_of": date(2025, 4, 16), "origin": Origin("hypothesis.yaml", 1)}
    cites = (Citation("000_hostile", words),)
    person = Person(id="p", name=name, role=words, character=claim, cites=cites, **common)
    quote = Quote(id="q", words=words, speaker="p", outlet=name, setting=claim, about=name, cites=cites, **common)
    rumor = Rumor(id="r", claim=claim, reported_by=name, about=("p",), cites=cites, **common)
    articles = knowledge_from(HOSTILE_SEEDS).articles
    return KnowledgeBase(articles=articles, show=None, facts=[], people=[person], quotes=[quote], rumors=[rumor])


@given(hostile_text, hostile_text, hostile_text)
@example("Evil [bold]Bob[/]", "\x1b]52;c;AAAA\x07", "\u202e[link=x]x[/link]")
def test_rows_and_details_of_any_entry_are_safe(name: str, words: str, claim: str) -> None:
    knowledge = one_of_each(name, words, claim)
    for entry in knowledge.entries():
        for content in (entry_row(knowledge, entry), entry_detail(knowledge, entry)):
            assert not forbidden(content.plain), (entry.kind, content.plain)
    if "[bold]" in name:
        assert "[bold]" in entry_row(knowledge, knowledge.people[0]).plain
