"""The system's Chromium, driven by Playwright for Python (its wheel, no browser downloaded), for
the tests and benchmarks of `aoad-tui serve --web`. The screen is read from the page's terminal
(xterm.js's buffer: the text it draws), keys are typed as a user types them.

Not a test module; imports Playwright only where it is used."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

# As the machine's notes say: without the background-networking flags, Chromium tries hosts this
# closed network refuses; the tests' own check is that the page asks for nothing beyond the server.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# The page's terminal's screen as text, one line per row: a script for page.evaluate.
SCREEN = """() => {
  const term = window.aoadTerminal; if (!term) return "";
  const lines = [];
  for (let y = 0; y < term.rows; y++) {
    const line = term.buffer.active.getLine(term.buffer.active.viewportY + y);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}"""


def chromium() -> str | None:
    """The system's Chromium, if it is installed (AOAD_TUI_CHROMIUM names another)."""
    return os.environ.get("AOAD_TUI_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@contextmanager
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    executable = chromium()
    assert executable is not None, "no chromium: install it (apt-get install chromium)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()


class Tab:
    """One page of the app in a browser context (a browser's cookies are its context's)."""

    def __init__(self, context: BrowserContext, url: str) -> None:
        self.context = context
        self.page: Page = context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("websocket", lambda socket: self.requests.append(socket.url))
        self.url = url
        self.opened_at = time.monotonic()
        self.page.goto(url)

    def text(self) -> str:
        """The terminal's screen, one line per row ("" while the page is being replaced)."""
        from playwright.sync_api import Error

        try:
            return str(self.page.evaluate(SCREEN))
        except Error:  # (a reload between two looks)
            return ""

    def status(self) -> str:
        """The line the page shows below the terminal (what the server said, or why it closed)."""
        return str(self.page.evaluate("() => document.getElementById('status').textContent"))

    def size(self) -> tuple[int, int]:
        columns, rows = self.page.evaluate("() => [window.aoadTerminal.cols, window.aoadTerminal.rows]")
        return int(columns), int(rows)

    def wait_for(self, *texts: str, timeout: float = 15.0, where: Callable[[], str] | None = None) -> float:
        """Seconds until every text is on the screen (or in `where`); AssertionError with the screen
        if not within `timeout`."""
        read = where or self.text
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            shown = read()
            if all(text in shown for text in texts):
                return time.monotonic() - start
            self.page.wait_for_timeout(20)
        raise AssertionError(f"not shown within {timeout:g} s: {texts}\n--- screen ---\n{read()}\n{self.status()}")

    def wait_gone(self, text: str, timeout: float = 15.0) -> None:
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if text not in self.text():
                return
            self.page.wait_for_timeout(20)
        raise AssertionError(f"still shown after {timeout:g} s: {text!r}\n{self.text()}")

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def evaluate(self, script: str) -> Any:
        return self.page.evaluate(script)
