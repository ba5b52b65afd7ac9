"""Make the README's SVG screenshots: every tab at 100x30, one person's detail, a question, and
What's new for a returning fan (the two states of tests/data/news). Each app keeps its data in a
folder of its own, never yours.

Run from the repository root, with aoad-tui installed: python screenshots/make.py
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import date
from pathlib import Path

from aoad_tui.app import AoadApp
from aoad_tui.model.loader import load_knowledge
from aoad_tui.model.paths import bundled_seeds
from aoad_tui.model.visits import VisitStore, visit_of
from aoad_tui.model.vocabulary import TABS

OUT = Path(__file__).parent
SIZE = (100, 30)
TODAY = date(2026, 11, 23)  # pinned, so the freshness line does not change between runs


async def shoot(name: str, keys: list[str], *, search: bool = False, seeds: Path | None = None, data: Path) -> None:
    app = AoadApp(load_knowledge(seeds or bundled_seeds()), data_dir=data, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        if search:  # the index is built in a thread, half a second after start
            while app.search_index is None:
                await pilot.pause(0.05)
        await pilot.press(*keys)
        await pilot.pause(0.3 if search else 0)
        app.save_screenshot(filename=f"{name}.svg", path=str(OUT))
    print(OUT / f"{name}.svg")


async def main() -> None:
    with tempfile.TemporaryDirectory(prefix="aoad-screenshots-") as folder:
        data = Path(folder)
        for tab in TABS:
            await shoot(f"{tab.key}-{tab.id}", [tab.key], data=data)
        await shoot("7-person-detail", ["2", "j", "enter"], data=data)
        await shoot("8-search-question", ["slash", *"when does s2 come out"], search=True, data=data)
        news = Path(__file__).resolve().parent.parent / "tests" / "data" / "news"
        returning = data / "returning"
        VisitStore(returning).save(visit_of(load_knowledge(news / "before"), date(2026, 11, 2)))
        await shoot("9-whats-new", ["w"], seeds=news / "after", data=returning)


if __name__ == "__main__":
    asyncio.run(main())
