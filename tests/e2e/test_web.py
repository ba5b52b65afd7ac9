"""`aoad-tui serve --web`, in a real browser: the system's Chromium driven by Playwright, against the
installed command started here on loopback and stopped by its pid. The screen is read from what
the page's terminal draws."""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from support.browser import Tab, browser, chromium
from support.nginx import Nginx, nginx
from support.ptyharness import PtyApp
from support.served import Server, client_env, client_key, ssh_argv
from support.sshd import SshdError, missing_tools

from aoad_tui.model.loader import load_knowledge
from aoad_tui.model.paths import bundled_seeds

pytest.importorskip("asyncssh", reason="aoad-tui serve needs the serve extra (asyncssh)")
pytest.importorskip("aiohttp", reason="aoad-tui serve --web needs the web extra (aiohttp)")
pytest.importorskip("playwright", reason="the browser tests drive Chromium with Playwright")

REQUIRE = "AOAD_TUI_REQUIRE_CHROMIUM"  # CI sets it: the browser tests must run, not skip
FIRST_SCREEN = ("Season 1 was released on Netflix", "Quit")
CAST = "Yoon Chan-young"  # on the Cast tab
PEOPLE = [person.name for person in load_knowledge(bundled_seeds()).people]  # the Cast tab's rows, in order
FIRST_OF_CAST = PEOPLE[0]  # the row the Cast tab starts on
WAIT = 20.0


def _give_up(reason: str) -> None:
    if os.environ.get(REQUIRE):
        pytest.fail(f"{reason} ({REQUIRE}=1: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


def start_server(root: Path, *options: str) -> Server:
    if chromium() is None:
        _give_up("no chromium installed (apt-get install chromium)")
    server = Server(root, *options, web=True)
    try:
        server.start()
    except SshdError as error:
        pytest.fail(str(error), pytrace=False)
    return server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    served = start_server(tmp_path_factory.mktemp("web"))
    try:
        yield served
    finally:
        served.stop()


def first_screen(tab: Tab) -> None:
    tab.wait_for(*FIRST_SCREEN, timeout=WAIT)


def bookmark_first_of_cast(tab: Tab) -> None:
    tab.press("2")
    tab.wait_for(CAST, "Lomon")
    tab.press("b")
    tab.wait_for("★")


def bookmarks_tab(tab: Tab) -> str:
    tab.press("5")
    tab.wait_for("Bookmarks", timeout=WAIT)
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:  # the tab's list, or its empty line, once drawn
        shown = tab.text()
        if "No bookmarks yet" in shown or "added " in shown:  # (a bookmark's row says when it was added)
            return shown
        tab.page.wait_for_timeout(50)
    return tab.text()


def test_a_whole_session_in_a_browser_asks_nothing_of_any_other_host(server: Server) -> None:
    with browser() as chrome:
        context = chrome.new_context(viewport={"width": 1000, "height": 640})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url.rstrip("/"))
        tab = Tab(context, server.url)
        first_screen(tab)
        bookmark_first_of_cast(tab)
        tab.press("/")
        tab.type("cheongsn")  # a typo for Cheongsan
        tab.wait_for("person Yoon Chan-young", "cheongsn")
        tab.press("Escape")  # (alone: an escape with a key right behind it reads as alt+key, as in any terminal)
        tab.wait_gone("cheongsn")
        tab.press("3")
        tab.wait_for("TV Guide")
        tab.press("y")  # OSC 52: the browser's clipboard
        tab.wait_for("Copied")
        copied = tab.evaluate("() => navigator.clipboard.readText()")
        assert "Yoon Chan-young" in copied and "“" in copied, copied
        shown = bookmarks_tab(tab)
        assert FIRST_OF_CAST in shown and "No bookmarks yet" not in shown, shown
        # Resizing the window resizes the app.
        before = tab.size()
        tab.page.set_viewport_size({"width": 1400, "height": 800})
        tab.wait_for("Bookmarks")
        deadline = time.monotonic() + WAIT
        while tab.size() == before and time.monotonic() < deadline:
            tab.page.wait_for_timeout(50)
        assert tab.size()[0] > before[0]
        wide = tab.size()[0]
        deadline = time.monotonic() + WAIT
        while max(len(line) for line in tab.text().splitlines()) <= before[0] and time.monotonic() < deadline:
            tab.page.wait_for_timeout(50)
        assert max(len(line) for line in tab.text().splitlines()) > before[0], (before, wide, tab.text())
        tab.press("q")
        tab.wait_for("ended", where=tab.status)
        requests = list(tab.requests)
    origin = urlsplit(server.url)
    others = [url for url in requests if urlsplit(url).netloc != origin.netloc]
    assert not others, f"requests to other hosts: {others}"
    assert any(url.startswith("ws://") for url in requests), requests
    lines = server.wait_log("session")
    assert any(line.get("kind") == "web" and line.get("end") == "quit" for line in lines), lines


def test_two_browsers_have_their_own_bookmarks_and_a_reload_keeps_the_user(server: Server) -> None:
    with browser() as chrome:
        first = Tab(chrome.new_context(), server.url)
        first_screen(first)
        bookmark_first_of_cast(first)
        second = Tab(chrome.new_context(), server.url)
        first_screen(second)
        assert "No bookmarks yet" in bookmarks_tab(second)
        before = len(server.log_lines("session"))
        first.page.reload()  # the page's websocket dropped mid-session, as a closed laptop drops it
        first_screen(first)
        shown = bookmarks_tab(first)
        assert FIRST_OF_CAST in shown and "No bookmarks yet" not in shown, shown
        ended = server.wait_log("session", count=before + 1)[before:]
        assert any(line.get("kind") == "web" and line.get("end") == "client-gone" for line in ended), ended


def test_a_code_from_the_app_over_ssh_makes_a_browser_that_key_s_user(server: Server, tmp_path: Path) -> None:
    missing = [name for name in missing_tools() if name != "sshd"]
    if missing:
        pytest.skip(f"OpenSSH client programs missing: {', '.join(missing)}")
    key = client_key(tmp_path / "keys", "fan")
    home = tmp_path / "home"
    home.mkdir()
    with PtyApp(ssh_argv(server.port, key), client_env(home), cols=100, rows=30) as ssh:
        ssh.wait_settled("Overview", "Quit", timeout=WAIT, quiet=0.25)
        ssh.press("2")
        ssh.wait_settled(CAST, timeout=WAIT, quiet=0.25)
        ssh.press("j")  # the second person: not what a fresh browser would bookmark
        ssh.settle(quiet=0.25)
        ssh.press("b")
        ssh.wait_settled("★", timeout=WAIT, quiet=0.25)
        ssh.press("ctrl+p")
        ssh.settle(quiet=0.25)
        ssh.send(b"Link a browser")
        ssh.wait_settled("Link a browser", timeout=WAIT, quiet=0.25)
        ssh.press("enter")
        ssh.wait_settled("under 'Link to SSH key'", timeout=WAIT, quiet=0.25)
        found = re.search(r"Type ([0-9A-Z]{4}-[0-9A-Z]{4})", ssh.text().replace("\n", " "))
        assert found is not None, ssh.text()
        code = found.group(1)
        ssh.press("q")
    with browser() as chrome:
        tab = Tab(chrome.new_context(), server.url)
        first_screen(tab)
        assert "No bookmarks yet" in bookmarks_tab(tab)
        tab.page.once("dialog", lambda dialog: dialog.accept(code.lower().replace("-", " ")))
        with tab.page.expect_navigation(timeout=WAIT * 1000):  # linked, the page starts again
            tab.page.click("#link")
            tab.wait_for("linked", where=tab.status)
        first_screen(tab)  # the page reloads: a new session, as the key's user
        shown = bookmarks_tab(tab)
        assert PEOPLE[1] in shown and FIRST_OF_CAST not in shown, shown  # the key's bookmark, none of its own
        # A code works once.
        other = Tab(chrome.new_context(), server.url)
        first_screen(other)
        other.page.once("dialog", lambda dialog: dialog.accept(code))
        other.page.click("#link")
        other.wait_for("unknown, used", where=other.status)


def test_a_websocket_from_another_origin_is_refused_and_bad_messages_close_it(server: Server) -> None:
    import aiohttp

    url = f"ws://127.0.0.1:{server.web_port}/session"

    async def attempts() -> tuple[int, int | None, int | None]:
        async with aiohttp.ClientSession() as client:
            try:
                await client.ws_connect(url, origin="http://evil.example")
                refused = 101
            except aiohttp.WSServerHandshakeError as error:
                refused = error.status
            own = f"http://127.0.0.1:{server.web_port}"
            socket = await client.ws_connect(url, origin=own)
            await socket.send_str("not a size")
            await socket.receive()
            text_code = socket.close_code
            socket = await client.ws_connect(url, origin=own, max_msg_size=0)
            await socket.send_bytes(b"x" * (1 << 20))  # a megabyte in one frame
            await socket.receive()
            big_code = socket.close_code
            return refused, text_code, big_code

    refused, text_code, big_code = asyncio.run(attempts())
    assert refused == 403
    assert text_code == 1007  # invalid data: not a size
    assert big_code == 1009  # too big
    assert any("another origin" in line.get("why", "") for line in server.log_lines("refused")), server.log()


def test_the_limits_give_their_line_and_a_forwarded_address_is_believed_only_from_a_proxy(tmp_path: Path) -> None:
    import aiohttp

    served = start_server(tmp_path / "serve", "--max-per-address", "1")
    try:
        with browser() as chrome:
            first = Tab(chrome.new_context(), served.url)
            first_screen(first)
            second = Tab(chrome.new_context(), served.url)
            second.wait_for("too many connections from your address", where=second.status)

            async def spoofed() -> str:  # another address, says a header no proxy of this server set
                origin = f"http://127.0.0.1:{served.web_port}"
                async with aiohttp.ClientSession() as client:
                    socket = await client.ws_connect(
                        f"{origin}/session", origin=origin, headers={"X-Forwarded-For": "203.0.113.9"}
                    )
                    said = await socket.receive_json(timeout=10)
                    await socket.close()
                    return str(said.get("said"))

            # (in a thread of its own: Playwright's event loop runs in this one)
            with ThreadPoolExecutor(1) as thread:
                said = thread.submit(asyncio.run, spoofed()).result(timeout=30)
            assert "too many connections from your address" in said
    finally:
        served.stop()


def test_behind_nginx_with_tls_under_a_path_prefix(tmp_path: Path) -> None:
    if nginx() is None:
        _give_up("no nginx installed (apt-get install nginx-light)")
    served = start_server(tmp_path / "serve", "--trusted-proxy", "127.0.0.1")
    try:
        with Nginx(tmp_path / "nginx", served.web_port) as proxy, browser() as chrome:
            context = chrome.new_context(ignore_https_errors=True)
            tab = Tab(context, proxy.url)
            first_screen(tab)
            bookmark_first_of_cast(tab)
            socket_url = f"wss://127.0.0.1:{proxy.port}/aoad/session"
            assert any(url.startswith(socket_url) for url in tab.requests), tab.requests
            [cookie] = [c for c in context.cookies() if c["name"] == "aoad_tui"]
            assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Strict", cookie
            tab.page.reload()
            first_screen(tab)
            shown = bookmarks_tab(tab)
            assert FIRST_OF_CAST in shown, shown  # the same browser, the same user, through the proxy
    finally:
        served.stop()


def test_an_idle_browser_is_warned_then_its_session_ends_with_a_line(tmp_path: Path) -> None:
    served = start_server(tmp_path / "serve", "--idle-timeout", "4s", "--warning", "2s")
    try:
        with browser() as chrome:
            tab = Tab(chrome.new_context(), served.url)
            first_screen(tab)
            tab.wait_for("unless you press a key", timeout=WAIT)  # the app's warning, in the page
            tab.wait_for("idle too long", where=tab.status, timeout=WAIT)
        assert any(line.get("end") == "idle" and line.get("kind") == "web" for line in served.wait_log("session"))
    finally:
        served.stop()


def test_a_keystroke_flood_from_a_browser_is_paced_and_its_session_yields_the_cpu(server: Server) -> None:
    import aiohttp

    from aoad_tui.serve.lifetime import FLOODING_NICE

    origin = f"http://127.0.0.1:{server.web_port}"

    async def flood() -> int:
        async with aiohttp.ClientSession() as client:
            before = server.sessions()
            socket = await client.ws_connect(f"{origin}/session", origin=origin)
            await socket.send_str('{"size": [80, 24]}')
            await socket.receive(timeout=20)  # the first screen's first bytes: the app is up
            mine = server.sessions() - before
            for _ in range(16):  # 16 KiB of keys at once (they wait in the socket: the server reads on
                await socket.send_bytes(b"j" * 1024)  # only as the pty takes them, 1 KiB/s past 8 KiB)
            await asyncio.sleep(1.0)
            niced = max((os.getpriority(os.PRIO_PROCESS, pid) for pid in mine), default=0)
            await socket.close()
            return niced

    assert asyncio.run(flood()) == FLOODING_NICE  # keys past the rate: the session runs niced from then on


def test_web_only_serves_browsers_and_listens_for_no_ssh(tmp_path: Path) -> None:
    import socket

    served = start_server(tmp_path / "serve", "--web-only")
    try:
        assert served.log_lines("start") and "port" not in served.log_lines("start")[0]
        with pytest.raises(OSError), socket.create_connection(("127.0.0.1", served.port), timeout=2):
            pass  # nothing listens where SSH would have
        with browser() as chrome:
            first_screen(Tab(chrome.new_context(), served.url))
    finally:
        served.stop()
