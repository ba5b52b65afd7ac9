"""What the app shows and copies says what the source says: a quote is on record, a rumor's copy
names who reported it."""

from __future__ import annotations

from support.helpers import make_app, press, screen_text, settle
from textual.widgets import TabbedContent

from aoad_tui.widgets.entry_list import EntryList

SIZE = (80, 24)


async def test_quotes_read_on_record_not_confirmed() -> None:
    app = make_app(tab="quotes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "[on record]" in text and "[confirmed]" not in text


async def test_copying_a_rumor_names_who_reported_it() -> None:
    app = make_app(tab="rumors")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rumors = app.query_one(TabbedContent).query_one("#rumors").query_one(EntryList)
        assert rumors.highlight_entry("postponement-reason")
        await press(pilot, "y")
        assert "The reason behind the postponement" in app.clipboard and "reported by Star News" in app.clipboard
