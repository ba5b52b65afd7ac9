"""Any text, through every path out: inert() and inert_line() leave no raw control in it, JSON
keeps it exactly, and the listing and both exports of any bookmark have no raw control either.
(The installed command on the hostile seeds, under four locales: tests/e2e/test_output_inert.py.)
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from aoad_tui.model.bookmarks import Bookmark
from aoad_tui.model.export import export_json, export_markdown, listing
from aoad_tui.model.inert import UNSAFE, inert, inert_json, inert_line
from aoad_tui.model.loader import load_knowledge
from aoad_tui.model.paths import bundled_seeds

ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)


@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT)
def test_inert_text_has_no_raw_control_and_json_round_trips(text: str) -> None:
    for made in (inert(text), inert_line(text)):
        assert not UNSAFE.search(made)
        made.encode("utf-8")  # never a lone surrogate
    dumped = inert_json({"text": text})
    assert not UNSAFE.search(dumped)
    assert json.loads(dumped) == {"text": text}  # escaped, never changed


KNOWLEDGE = load_knowledge(bundled_seeds())


@settings(max_examples=100, deadline=None)
@given(note=ANY_TEXT, added=ANY_TEXT, entry_id=ANY_TEXT)
def test_exports_of_any_bookmark_have_no_raw_control(note: str, added: str, entry_id: str) -> None:
    bookmarks = [Bookmark("person", "lomon", added, note), Bookmark("source", entry_id or "x", added, note)]
    for export in (listing, export_markdown, export_json):
        made = export(KNOWLEDGE, bookmarks)
        assert not UNSAFE.search(made)
        made.encode("utf-8")
