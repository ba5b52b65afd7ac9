"""Write tests/data/hostile_seeds/: a valid seeds directory whose every text tries to attack the terminal.

Names, quotes, rumor claims, notes, titles, outlets and the articles themselves hold Rich/Textual
markup ([bold], [/], [link=x]), ANSI colour and screen-clearing escapes, OSC sequences that retitle
the terminal or write its clipboard, other C0/C1 control characters and the right-to-left override.
The app must show all of it as inert, visible text.

The YAML files spell every control character as a double-quoted escape ("\\e", "\\x9b", "\\u202e"),
since YAML does not allow them raw; the articles are written as exact UTF-8 bytes.

Run from anywhere: python tests/data/make_hostile_seeds.py  (the result is committed; re-run only
to change it, then check it with: aoad-tui check tests/data/hostile_seeds)
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

OUT = Path(__file__).parent / "hostile_seeds"

ESC = "\x1b"
RED = f"{ESC}[31m"
RESET = f"{ESC}[0m"
CLEAR = f"{ESC}[2J"
TITLE = f"{ESC}]0;pwned\x07"  # OSC 0: set the window title
CLIPBOARD = f"{ESC}]52;c;AAAA\x07"  # OSC 52: write the clipboard
CSI8 = "\x9b"  # the 8-bit CSI, a C1 control
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE

# The hostile names. A person's id must be the slug of the name (see slug() below).
BOB = f"Evil [bold]Bob[/] {RED}Red{RESET}"
RTL = f"{RLO}Evil RTL"
BEEP = "Beep\x07Back\x08 Space"
TITLER = f"Title{TITLE} Setter"
CSI_PERSON = f"{CSI8}31mCSI Person"

QUOTE = f"I am {RED}red{RESET} and [bold]bold[/] {CLIPBOARD} copy me."
QUOTE_2 = f"{RLO}Ring the bell\x07 and [link=x]follow[/link] me{TITLE}."
CLAIM = f"[link=x]The show[/link] will {CLEAR}clear the screen {CSI8} and \x08\x08 back up."
CLAIM_2 = f"{RLO}Reversed text and [bold]markup[/bold] in a claim{CLIPBOARD}."
FACT = f"Backspace\x08 and bell\x07 and NUL\x00 and DEL\x7f in a fact {CSI8}."
DENIED = f"{RLO}Denied{CSI8} loudly\x07"
PARAGRAPH_BREAK = "\n\n"

# Paragraphs of the main article. The second-to-last paragraph puts a right-to-left override and
# an 8-bit CSI before the quoted words, so that a highlight computed on the raw text but drawn on
# the escaped text would land in the wrong place.
ARTICLE = [
    f"The series [bold]Not Markup[/] [link=x]click[/link] is a test show.{TITLE} It set the title.",
    f"The cast includes {BOB}, {BEEP}, {RTL}, {TITLER} and {CSI_PERSON}.",
    f'{RLO}Reversed{CSI8} text comes first in this paragraph, then {BOB} said: "{QUOTE}"',
    f'Later {RTL} said: "{QUOTE_2}" Fans claim that {CLAIM} Others add: {CLAIM_2}',
]
ARTICLE_DATE = "2025-04-16"

# A second, calm article, so that [ and ] have somewhere to go.
CALM = ["A calm second article with a lone [/] and nothing else.", "Its second paragraph is plain."]
CALM_DATE = "2025-03-01"


def slug(name: str) -> str:
    from aoad_tui.model.text import slugify

    return slugify(name)


_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_. -]*")


def q(text: str) -> str:
    """A YAML scalar: plain when harmless, else double-quoted with every control character escaped."""
    if _PLAIN.fullmatch(text) and not text.endswith(" "):
        return text
    names = {"\x1b": "\\e", "\x07": "\\a", "\x08": "\\b", "\x00": "\\0", "\t": "\\t", "\n": "\\n"}
    out = []
    for char in text:
        code = ord(char)
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char in names:
            out.append(names[char])
        elif code < 0x20 or 0x7F <= code <= 0x9F:
            out.append(f"\\x{code:02x}")
        elif code in (0x200E, 0x200F) or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def dump(value: object, indent: int = 0) -> str:
    """Block-style YAML for nested dicts, lists and strings (enough for seeds, and readable)."""
    pad = "  " * indent
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:\n{dump(item, indent + 1)}")
            else:
                lines.append(f"{pad}{key}: {q(item) if isinstance(item, str) else '[]'}\n")
        return "".join(lines)
    assert isinstance(value, list)
    out = ""
    for item in value:
        if isinstance(item, dict):
            block = dump(item, indent + 1)
            out += f"{pad}- {block[len(pad) + 2 :]}"
        else:
            out += f"{pad}- {q(item)}\n"
    return out


def cites(*passages: str, article: str = "000_hostile") -> list[dict[str, str]]:
    return [{"article": article, "passage": passage} for passage in passages]


COMMON = {"status": "confirmed", "as_of": ARTICLE_DATE}


def person(name: str, role: str, character: str = "") -> dict[str, object]:
    entry: dict[str, object] = {"id": slug(name), "name": name, "role": role}
    if character:
        entry["character"] = character
    return {**entry, **COMMON, "cites": cites(name)}


FILES: dict[str, tuple[str, dict[str, object]]] = {
    "articles.yaml": (
        "Article metadata, itself hostile: the title and outlet carry markup and escapes.",
        {
            "articles": [
                {
                    "file": "000_hostile.txt",
                    "title": f"[bold]Hostile[/] Bulletin {TITLE}",
                    "outlet": f"{RED}Evil Times{RESET} [link=x]",
                    "date": ARTICLE_DATE,
                },
                {"file": "001_calm.txt", "title": "Calm [i]Gazette[/i]"},
            ]
        },
    ),
    "show.yaml": (
        "The show and its facts, with markup and escapes everywhere.",
        {
            "show": {
                "id": "hostile-show",
                "title": f"[bold]Not Markup[/] {TITLE}",
                "summary": f"A [link=x]test[/link] show{CLEAR} whose {RED}summary{RESET} is hostile {RLO}.",
                "aliases": [{"name": "[bold]Not Markup[/]", "cites": cites("[bold]Not Markup[/]")}],
                **COMMON,
                "cites": cites(ARTICLE[0]),
            },
            "facts": [
                {
                    "id": "hostile-timeline",
                    "topic": "timeline",
                    "when": f"{RED}2026{RESET}",
                    "glance": f"[bold]soon[/] {RLO}maybe",
                    "text": f"The show [link=x]sets[/link] the terminal title{TITLE}.",
                    "status": "announced",
                    "as_of": ARTICLE_DATE,
                    "about": [slug(TITLER)],
                    "cites": cites(ARTICLE[0]),
                },
                {
                    "id": "hostile-fact",
                    "topic": "show",
                    "text": FACT,
                    "status": "reported",
                    "as_of": ARTICLE_DATE,
                    "cites": cites(ARTICLE[1]),
                },
            ],
        },
    ),
    "people.yaml": (
        "People whose names carry markup, escapes, control characters and a right-to-left override.",
        {
            "people": [
                person(BOB, f"Cast member {CLEAR}[bold]", f"[i]Villain[/i] {TITLE}"),
                person(RTL, f"Director {RLO}"),
                person(BEEP, "Cast member"),
                person(TITLER, f"Writer {CLIPBOARD}"),
                person(CSI_PERSON, "Cast member"),
            ]
        },
    ),
    "quotes.yaml": (
        "Quotes that try to colour, retitle and write the clipboard.",
        {
            "quotes": [
                {
                    "id": "evil-bob-red",
                    "speaker": slug(BOB),
                    "text": QUOTE,
                    "outlet": "TV Guide",
                    "setting": f"An [bold]interview[/] {RED}live{RESET}",
                    "about": f"Whether {RLO}escapes escape",
                    **COMMON,
                    "cites": cites(f'then {BOB} said: "{QUOTE}"'),
                },
                {
                    "id": "evil-rtl-bell",
                    "speaker": slug(RTL),
                    "text": QUOTE_2,
                    "outlet": f"{TITLE}Ten Asia",
                    "status": "reported",
                    "as_of": ARTICLE_DATE,
                    "cites": cites(QUOTE_2),
                },
            ]
        },
    ),
    "rumors.yaml": (
        "Rumors whose claims, reporters and notes are hostile.",
        {
            "rumors": [
                {
                    "id": "clear-screen",
                    "claim": CLAIM,
                    "reported_by": f"{TITLE}Fans [bold]",
                    "about": [slug(BOB), slug(CSI_PERSON)],
                    "history": [
                        {
                            "status": "speculated",
                            "as_of": ARTICLE_DATE,
                            "note": f"First {CLIPBOARD}whispers [/]",
                            "cites": cites(CLAIM),
                        },
                        {
                            "status": "denied",
                            "as_of": ARTICLE_DATE,
                            "note": DENIED,
                            "cites": cites(f"Fans claim that {CLAIM}"),
                        },
                    ],
                },
                {
                    "id": "reversed-claim",
                    "claim": CLAIM_2,
                    "reported_by": "Others",
                    "history": [{"status": "unconfirmed", "as_of": ARTICLE_DATE, "cites": cites(CLAIM_2)}],
                },
            ]
        },
    ),
}


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    # Articles: exact bytes, the first line starting with the date.
    (OUT / "000_hostile.txt").write_bytes(f"date {ARTICLE_DATE} {PARAGRAPH_BREAK.join(ARTICLE)}\n".encode())
    (OUT / "001_calm.txt").write_bytes(f"date {CALM_DATE} {PARAGRAPH_BREAK.join(CALM)}\n".encode())
    for name, (comment, document) in FILES.items():
        (OUT / name).write_text(f"# {comment}\n{dump(document)}", encoding="utf-8")
    print(OUT)


if __name__ == "__main__":
    main()
