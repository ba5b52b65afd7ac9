"""`aoad-tui serve --web` in the system's Chromium (headless, Playwright), on loopback.

    python tests/bench/bench_web.py [--rounds N] [--keys N] [--storm N] [--json out.json]

Starts the installed `aoad-tui serve --web` (tests/support/served.py: SSH and web listeners, limits
raised: every client comes from one address) and measures, in the page itself (performance.now(),
the page's terminal polled every animation frame):

- first screen: from navigation (the page's time origin) to the Overview's first screen drawn by
  the page's terminal; --rounds fresh browser contexts (no cache, no cookie), one at a time;
- keystroke to screen: from a key reaching the page's terminal (2 or 3, in turn) to the terminal
  having parsed the output that shows its tab (checked after each write it parses), --keys times in
  one page, after each tab's first visit (which builds its pane: shown apart); p50, p95, max; the
  browser's painting of it afterwards (a frame, ~16 ms) is not included;
- memory: a browser's session process against an SSH session's (PSS, /proc/PID/smaps_rollup), each
  on its first screen, --rounds pairs;
- a storm: --storm browser contexts (default 20) opened at once in one Chromium: first screen p50,
  p95, max, from the moment they were all asked to navigate.

Not covered: a real network (loopback only), browsers other than Chromium, the browser's own
rendering time after the terminal has the text.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the support package
from support.browser import FLAGS, SCREEN, chromium
from support.ptyharness import PtyApp
from support.served import Server, client_env, client_key, percentile, pss_kib, ssh_argv

RAISED = (
    "--max-per-address", "1000", "--max-per-minute", "10000", "--max-per-user", "1000", "--max-sessions", "1000",
    "--max-logging-in-per-address", "1000",
)  # fmt: skip
SHOWS = "Season 1 was released on Netflix"
TAB_SHOWS = {"2": "Cast of the 2022 series", "3": "TV Guide"}  # each on its tab alone


# Resolves with performance.now() once the terminal's screen shows `text` (checked after each write
# it parses): no polling interval in the figure.
WAIT_FOR_TEXT = f"""(text) => new Promise((resolve) => {{
  const term = window.aoadTerminal;
  const check = () => {{
    if (({SCREEN})().includes(text)) {{ watch.dispose(); resolve(performance.now()); }}
  }};
  const watch = term.onWriteParsed(check);
}})"""


async def first_screen_ms(page: object, url: str) -> float:
    """Navigate and wait for the first screen: ms since the page's time origin."""
    await page.goto(url)  # type: ignore[attr-defined]
    shows = f"() => ({SCREEN})().includes({json.dumps(SHOWS)})"
    await page.wait_for_function(shows, polling="raf", timeout=30_000)  # type: ignore[attr-defined]
    return float(await page.evaluate("() => performance.now()"))  # type: ignore[attr-defined]


async def measure(server: Server, rounds: int, keys: int, storm: int, home: Path) -> dict[str, list[float]]:
    from playwright.async_api import async_playwright

    results: dict[str, list[float]] = {
        "first_ms": [], "key_ms": [], "web_pss": [], "ssh_pss": [], "storm_ms": [], "storm_loaded_ms": [],
        "storm_session_ms": [], "first_visit_ms": [], "reply_ms": [],
    }  # fmt: skip
    executable = chromium()
    assert executable is not None, "no chromium: apt-get install chromium"
    async with async_playwright() as playwright:
        chrome = await playwright.chromium.launch(executable_path=executable, headless=True, args=FLAGS)
        # First screens, one browser at a time; each session's memory against an SSH session's.
        key = client_key(home / "keys", "bench")
        for _ in range(rounds):
            context = await chrome.new_context(viewport={"width": 1000, "height": 640})
            page = await context.new_page()
            before = server.sessions()
            results["first_ms"].append(await first_screen_ms(page, server.url))
            await asyncio.sleep(1.0)  # the session settles (its collector resumed, its writes done)
            web_pids = server.sessions() - before
            with PtyApp(ssh_argv(server.port, key), client_env(home), cols=100, rows=30) as ssh:
                ssh.wait_settled("Overview", "Quit", timeout=30, quiet=0.25)
                await asyncio.sleep(1.0)
                ssh_pids = server.sessions() - before - web_pids
                results["web_pss"].append(sum(pss_kib(pid) for pid in web_pids) / 1024)
                results["ssh_pss"].append(sum(pss_kib(pid) for pid in ssh_pids) / 1024)
                ssh.press("q")
            await context.close()
        # Keystroke to screen, in one page.
        context = await chrome.new_context(viewport={"width": 1000, "height": 640})
        page = await context.new_page()
        await first_screen_ms(page, server.url)
        for n in range(keys + 2):  # the first two: each tab's first visit, which builds its pane
            key_name = "2" if n % 2 == 0 else "3"
            # In the page: the moment the terminal has parsed output that shows the tab.
            shown = page.evaluate(WAIT_FOR_TEXT, TAB_SHOWS[key_name])
            await asyncio.sleep(0.05)  # (the watch is in place)
            await page.keyboard.press(key_name)
            took = float(await shown) - float(await page.evaluate("() => window.aoadTimes.key"))
            results["first_visit_ms" if n < 2 else "key_ms"].append(took)
            if n >= 2:  # from the key leaving the page to the first bytes of its answer
                reply = await page.evaluate("() => window.aoadTimes.reply - window.aoadTimes.key")
                results["reply_ms"].append(float(reply))
        await context.close()
        # The storm.
        contexts = [await chrome.new_context(viewport={"width": 1000, "height": 640}) for _ in range(storm)]
        pages = [await context.new_page() for context in contexts]
        started = time.monotonic()

        async def one(page: object) -> tuple[float, float, float]:
            await page.goto(server.url)  # type: ignore[attr-defined]
            loaded = (time.monotonic() - started) * 1000
            shows = f"() => ({SCREEN})().includes({json.dumps(SHOWS)})"
            await page.wait_for_function(shows, polling=25, timeout=60_000)  # type: ignore[attr-defined]
            # From the websocket's opening to the first screen: the server's part (and drawing it).
            session = await page.evaluate("() => performance.now() - window.aoadTimes.opened")  # type: ignore[attr-defined]
            return loaded, (time.monotonic() - started) * 1000, float(session)

        timings = await asyncio.gather(*(one(page) for page in pages))
        results["storm_loaded_ms"] = [loaded for loaded, _, _ in timings]
        results["storm_ms"] = [shown for _, shown, _ in timings]
        results["storm_session_ms"] = [session for _, _, session in timings]
        for context in contexts:
            await context.close()
        await chrome.close()
    return results


def spread(values: list[float], unit: str) -> str:
    return f"median {statistics.median(values):.0f} {unit} (min {min(values):.0f}, max {max(values):.0f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("--storm", type=int, default=20)
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aoad-web-bench-") as folder:
        root = Path(folder)
        with Server(root / "serve", *RAISED, web=True) as server:
            results = asyncio.run(measure(server, args.rounds, args.keys, args.storm, root / "home"))
    first, key, storm = results["first_ms"], results["key_ms"], results["storm_ms"]
    web_pss, ssh_pss = results["web_pss"], results["ssh_pss"]
    print(f"first screen in the browser, from navigation ({args.rounds} fresh browsers; target <= 1000 ms):")
    print(f"  {spread(first, 'ms')}")
    print(f"keystroke to screen ({len(key)} keys; target p95 <= 50 ms):")
    print(f"  p50 {percentile(key, 0.5):.0f} ms, p95 {percentile(key, 0.95):.0f} ms, max {max(key):.0f} ms")
    reply = results["reply_ms"]
    reply_p50, reply_p95 = percentile(reply, 0.5), percentile(reply, 0.95)
    print(f"  of which the key sent to its answer's first bytes back: p50 {reply_p50:.0f} ms, p95 {reply_p95:.0f} ms")
    visits = ", ".join(f"{ms:.0f}" for ms in results["first_visit_ms"])
    print(f"  (not counted: the Cast and Quotes tabs' first visits, which build their panes: {visits} ms)")
    ratio = statistics.median(web_pss) / statistics.median(ssh_pss)
    print(f"memory per session, PSS ({args.rounds} pairs; target: browser within 10% of SSH):")
    print(f"  browser {spread(web_pss, 'MiB')}; SSH {spread(ssh_pss, 'MiB')}; browser/SSH {ratio:.2f}")
    print(f"a storm of {args.storm} browsers at once (target p95 <= 3000 ms):")
    print(f"  p50 {percentile(storm, 0.5):.0f} ms, p95 {percentile(storm, 0.95):.0f} ms, max {max(storm):.0f} ms")
    loaded = results["storm_loaded_ms"]
    print(f"  of which the pages loading in Chromium: p50 {percentile(loaded, 0.5):.0f} ms, max {max(loaded):.0f} ms")
    session = results["storm_session_ms"]
    print(
        f"  and from each websocket's opening to its first screen: p50 {percentile(session, 0.5):.0f} ms, "
        f"p95 {percentile(session, 0.95):.0f} ms, max {max(session):.0f} ms"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
