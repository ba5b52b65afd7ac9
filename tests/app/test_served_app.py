"""The app as `aoad-tui serve` runs it for someone over SSH (AoadApp(served=Served(...)), served.py):
a guest is told what they have, nothing reaches the server's machine (no suspend, no browser, no
file), and the server's signals (SIGUSR1 and SIGUSR2: a warning, SIGTERM: quit) are heard.

Signals go to this very process: a test only sends one after checking that the app's handler is
in place (the default action would end the test run), takes the handlers off its loop when it is
done, and an autouse fixture checks that every test leaves the process's handlers as it found them.

Notices are read from the Toast widgets on screen (run_test(notifications=True)).
"""

from __future__ import annotations

import asyncio
import io
import os
import signal
import time
import webbrowser
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from support.helpers import TODAY, flat, knowledge_from, press, settle, toasts

import aoad_tui.hosted
from aoad_tui.app import AoadApp
from aoad_tui.hosted import GUEST_NOTICE, NOT_HERE, Served
from aoad_tui.model.paths import bundled_seeds

SIZE = (80, 24)
SIGNALS = (signal.SIGTERM, signal.SIGUSR1, signal.SIGUSR2)
WARNING = "Zombie-proof notice 7f3a: this session ends in a minute unless you press a key."
LENGTH_WARNING = "Hyosan notice 91c2: this session reaches its time limit in a minute."


def app_of(served: Served | None) -> AoadApp:
    app = AoadApp(knowledge_from(bundled_seeds()), today=TODAY, served=served)
    app.animation_level = "none"
    return app


def shown(app: AoadApp, words: str) -> bool:
    return any(flat(words) in toast for toast in toasts(app))


async def until(condition: Callable[[], bool], what: str, timeout: float = 5.0) -> None:
    """Wait on the loop itself (the app may have stopped meanwhile, and its pilot with it)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


def handlers() -> dict[int, object]:
    return {number: signal.getsignal(number) for number in SIGNALS}


@pytest.fixture(autouse=True)
def quick_welcome(monkeypatch: pytest.MonkeyPatch) -> None:
    """The welcome a moment after the first frame, as served, but not 3 s of each test's time."""
    monkeypatch.setattr(aoad_tui.hosted, "WELCOME_DELAY", 0.3)


@pytest.fixture(autouse=True)
def signals_left_alone() -> Iterator[None]:
    """Every test leaves the process's handlers of the server's signals as it found them."""
    before = handlers()
    yield
    assert handlers() == before


@contextmanager
def server_signals() -> Iterator[None]:
    """While a served app runs on this loop: afterwards, its handlers off the loop and the
    process's own back (the loop would only drop them when it closes)."""
    before = handlers()
    try:
        yield
    finally:
        loop = asyncio.get_running_loop()
        for number in SIGNALS:
            loop.remove_signal_handler(number)
            signal.signal(number, before[number])  # type: ignore[arg-type]


def send(number: signal.Signals) -> None:
    """The signal to this process, once something other than its default action is ready for it."""
    assert signal.getsignal(number) not in (signal.SIG_DFL, signal.SIG_IGN, None), f"nobody handles {number.name}"
    os.kill(os.getpid(), number)


# --- a guest ------------------------------------------------------------------------------------


async def test_a_guest_is_told_that_bookmarks_need_an_ssh_key() -> None:
    app = app_of(Served(guest=True))
    at_first_frame: list[list[str]] = []
    app.after_first_frame(lambda: at_first_frame.append(toasts(app)))
    with server_signals():
        async with app.run_test(size=SIZE, notifications=True):
            await until(lambda: bool(at_first_frame), "the first frame")
            assert at_first_frame == [[]]  # not in the first frame: a moment after it
            await until(lambda: shown(app, GUEST_NOTICE), "the guest notice")
            assert any("SSH key" in toast for toast in toasts(app))


async def test_a_user_with_a_key_is_told_which_key_and_the_name_stays_text() -> None:
    served = Served(guest=False, name="[bold]fan\x1b[31m", key="SHA256:Zq1x")
    app = app_of(served)
    with server_signals():
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            await until(lambda: bool(toasts(app)), "the welcome")
            said = " ".join(toasts(app))
            assert "SHA256:Zq1x" in said and "[bold]fan" in said, said  # markup shown as text
            assert "\x1b" not in said
            assert not shown(app, GUEST_NOTICE)


async def test_nobody_is_welcomed_when_not_served() -> None:
    app = app_of(None)
    with server_signals():
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.pause(aoad_tui.hosted.WELCOME_DELAY + 0.3)  # past the moment a served app would say it
            assert app.is_running
            assert not any("SSH key" in toast for toast in toasts(app)), toasts(app)


# --- nothing reaches the server's machine -------------------------------------------------------


@pytest.fixture
def saves(tmp_path: Path) -> Path:
    """An empty folder for files the app is asked to save."""
    folder = tmp_path / "saves"
    folder.mkdir()
    return folder


@pytest.fixture
def stops(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every signal anything sends to stop or end this process (none is delivered)."""
    sent: list[int] = []
    real_kill = os.kill

    def kill(pid: int, number: int) -> None:
        if number in (signal.SIGTSTP, signal.SIGSTOP, signal.SIGTERM):
            sent.append(number)
        else:
            real_kill(pid, number)

    monkeypatch.setattr(os, "kill", kill)
    return sent


async def test_ctrl_z_served_says_why_and_the_app_keeps_running(stops: list[int]) -> None:
    app = app_of(Served())
    with server_signals():
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await press(pilot, "ctrl+z")
            await settle(pilot)
            assert app.is_running
            assert shown(app, NOT_HERE), toasts(app)
            await press(pilot, "ctrl+z")  # and again: still here
            await settle(pilot)
            assert app.is_running
    assert stops == []


async def test_ctrl_z_not_served_does_not_say_so(stops: list[int]) -> None:
    app = app_of(None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await press(pilot, "ctrl+z")
        await settle(pilot)
        assert not shown(app, NOT_HERE)


async def test_saving_a_file_served_writes_nothing_and_says_why(saves: Path) -> None:
    app = app_of(Served())
    with server_signals():
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            text = app.deliver_text(io.StringIO("x"), save_directory=saves, save_filename="x.svg")
            binary = app.deliver_binary(io.BytesIO(b"x"), save_directory=saves, save_filename="x.bin")
            app.action_screenshot("screen.svg", str(saves))  # what the palette's Screenshot does
            await pilot.pause(0.2)
            assert text is None and binary is None
            assert shown(app, NOT_HERE), toasts(app)
    assert list(saves.iterdir()) == []


async def test_saving_a_file_not_served_writes_it(saves: Path) -> None:
    app = app_of(None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        text = app.deliver_text(io.StringIO("x"), save_directory=saves, save_filename="x.svg")
        app.action_screenshot("screen.svg", str(saves))
        assert text is not None
        await until(lambda: (saves / "x.svg").exists() and (saves / "screen.svg").exists(), "the files")
        await until(lambda: (saves / "x.svg").read_text() == "x", "the file's text")
        await settle(pilot)
        assert not shown(app, NOT_HERE)


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every URL anything asks the system's web browser to open (none is opened)."""
    opened: list[str] = []

    def open_url(url: str, *args: object, **kwargs: object) -> bool:
        opened.append(url)
        return True

    for name in ("open", "open_new", "open_new_tab"):
        monkeypatch.setattr(webbrowser, name, open_url)
    return opened


async def test_opening_a_url_served_opens_nothing_and_says_why(browser: list[str]) -> None:
    app = app_of(Served())
    with server_signals():
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            app.open_url("https://example.org/aoad")
            app.open_url("https://example.org/other", new_tab=False)
            await settle(pilot)
            assert shown(app, NOT_HERE), toasts(app)
    assert browser == []


async def test_opening_a_url_not_served_goes_to_the_browser(browser: list[str]) -> None:
    app = app_of(None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.open_url("https://example.org/aoad")
        await settle(pilot)
        assert not shown(app, NOT_HERE)
    assert browser == ["https://example.org/aoad"]


# --- the server's signals -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "said", "not_said"),
    [(signal.SIGUSR1, WARNING, LENGTH_WARNING), (signal.SIGUSR2, LENGTH_WARNING, WARNING)],
    ids=["idle", "length"],
)
async def test_a_warning_signal_shows_its_warning_and_the_app_keeps_running(
    number: signal.Signals, said: str, not_said: str
) -> None:
    app = app_of(Served(warning=WARNING, length_warning=LENGTH_WARNING))
    with server_signals():
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            assert not shown(app, said)
            send(number)
            await until(lambda: shown(app, said), "the warning")
            assert not shown(app, not_said)
            assert app.is_running
            await press(pilot, "2")  # a key: the session goes on
            await settle(pilot)
            assert app.is_running


async def test_sigterm_quits_the_app_cleanly() -> None:
    app = app_of(Served())
    with server_signals():
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            assert app.is_running
            send(signal.SIGTERM)
            await until(lambda: not app.is_running, "the app to quit")
    assert app.return_code == 0


async def test_told_to_quit_while_it_starts_the_app_quits_once_it_is_up() -> None:
    """Quitting halfway through the start made Textual print an error on the user's screen: a
    quit asked for before the first frame waits for it."""
    app = app_of(Served())
    asked_while_starting: list[bool] = []

    def ask() -> None:
        asked_while_starting.append(app.is_running and not app.up_for_server)
        app.quit_for_server()

    app.call_later(ask)  # runs as the app starts, before its first frame
    with server_signals():
        async with app.run_test(size=SIZE, notifications=True):
            await until(lambda: not app.is_running, "the app to quit")
    assert asked_while_starting == [True]
    assert app.return_code == 0


async def test_an_app_not_served_does_not_take_the_server_s_signals() -> None:
    before = handlers()
    app = app_of(None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert handlers() == before


def test_the_handlers_live_on_the_app_s_loop_and_go_with_it() -> None:
    """As a session runs it (app.run(): a loop of its own), nothing is left once it returns."""
    before = handlers()

    async def run() -> dict[int, object]:
        app = app_of(Served())
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            during = handlers()
            await press(pilot, "q")
        return during

    during = asyncio.run(run())
    assert all(during[number] != before[number] for number in SIGNALS), during
    assert handlers() == before


async def test_served_the_palette_offers_no_screenshot() -> None:
    """Not offered to a guest at all (and refused if asked for: above); offered locally."""
    for served, offered in ((Served(), False), (None, True)):
        app = app_of(served)
        with server_signals():
            async with app.run_test(size=SIZE) as pilot:
                await settle(pilot)
                titles = [command.title for command in app.get_system_commands(app.screen)]
                assert ("Screenshot" in titles) is offered, titles
                assert "Keys" in titles
