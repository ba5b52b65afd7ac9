"""The server's limits (serve/limits.py, with a clock the test moves) and the line of sessions
waiting to start (server.StartQueue)."""

from __future__ import annotations

import asyncio

from aoad_tui.serve.limits import FORGET_AFTER, Gate, Limits
from aoad_tui.serve.server import StartQueue


class Clock:
    """A monotonic clock that only moves when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def gate_of(clock: Clock | None = None, **limits: float) -> Gate:
    return Gate(Limits(**limits), clock=clock or Clock())  # type: ignore[arg-type]


def refused(line: str | None) -> bool:
    assert line is None or (isinstance(line, str) and line.strip()), line
    return line is not None


# --- connections --------------------------------------------------------------------------------


def test_connections_from_one_address_are_limited_and_a_disconnect_frees_one() -> None:
    gate = gate_of(per_address=3)
    for _ in range(3):
        assert not refused(gate.connect("10.0.0.1"))
        gate.logged_in()
    line = gate.connect("10.0.0.1")
    assert refused(line)
    assert "3" in str(line)  # the limit is said
    assert not refused(gate.connect("10.0.0.2"))  # another address is not held back
    gate.disconnect("10.0.0.1", logged_in=False)  # the refused one goes
    gate.disconnect("10.0.0.1", logged_in=True)  # and one that was in
    assert not refused(gate.connect("10.0.0.1"))


def test_new_connections_per_minute_from_one_address_are_limited_until_they_are_a_minute_old() -> None:
    clock = Clock()
    gate = gate_of(clock, per_address_per_minute=5)
    for _ in range(5):
        assert not refused(gate.connect("10.0.0.1"))
        gate.disconnect("10.0.0.1", logged_in=False)  # short connections: none at once
        clock.now += 1
    assert refused(gate.connect("10.0.0.1"))
    gate.disconnect("10.0.0.1", logged_in=False)
    assert not refused(gate.connect("10.0.0.9"))  # per address
    gate.disconnect("10.0.0.9", logged_in=False)
    clock.now += 30  # the first ones are not a minute old yet
    assert refused(gate.connect("10.0.0.1"))
    gate.disconnect("10.0.0.1", logged_in=False)
    clock.now += 31  # now they are
    assert not refused(gate.connect("10.0.0.1"))


def test_connections_still_logging_in_are_limited_and_logging_in_frees_a_place() -> None:
    gate = gate_of(unauthenticated=2)
    assert not refused(gate.connect("10.0.0.1"))
    assert not refused(gate.connect("10.0.0.2"))
    assert refused(gate.connect("10.0.0.3"))
    gate.disconnect("10.0.0.3", logged_in=False)
    gate.logged_in()  # the first has logged in: no longer counts
    assert not refused(gate.connect("10.0.0.4"))
    assert refused(gate.connect("10.0.0.5"))
    gate.disconnect("10.0.0.5", logged_in=False)
    gate.disconnect("10.0.0.2", logged_in=False)  # gave up logging in
    assert not refused(gate.connect("10.0.0.6"))


def test_a_logged_in_connection_that_goes_does_not_free_a_login_place_twice() -> None:
    gate = gate_of(unauthenticated=1)
    assert not refused(gate.connect("10.0.0.1"))
    gate.logged_in()
    assert not refused(gate.connect("10.0.0.2"))  # logging in now
    gate.disconnect("10.0.0.1", logged_in=True)
    assert refused(gate.connect("10.0.0.3"))  # 10.0.0.2 still holds the only place


# --- sessions -----------------------------------------------------------------------------------


def test_sessions_of_one_user_are_limited_and_closing_one_frees_it() -> None:
    gate = gate_of(per_user=2)
    assert not refused(gate.open_session("alice"))
    assert not refused(gate.open_session("alice"))
    line = gate.open_session("alice")
    assert refused(line)
    assert "2" in str(line)
    assert not refused(gate.open_session("bob"))  # per user
    gate.close_session("alice")
    assert not refused(gate.open_session("alice"))


def test_sessions_of_everyone_together_are_limited_and_closing_one_frees_it() -> None:
    gate = gate_of(sessions=3, per_user=8)
    for user in ("alice", "bob", "guest@10.0.0.1"):
        assert not refused(gate.open_session(user))
    line = gate.open_session("carol")
    assert refused(line)
    assert "3" in str(line)
    gate.close_session("bob")
    assert not refused(gate.open_session("carol"))
    assert refused(gate.open_session("dave"))


def test_a_refused_session_takes_no_place() -> None:
    gate = gate_of(sessions=2, per_user=1)
    assert not refused(gate.open_session("alice"))
    for _ in range(5):
        assert refused(gate.open_session("alice"))
    assert not refused(gate.open_session("bob"))  # the refusals did not fill the server
    gate.close_session("alice")
    assert not refused(gate.open_session("alice"))  # one close frees alice's one place


def test_addresses_that_went_away_long_ago_are_forgotten() -> None:
    clock = Clock()
    gate = gate_of(clock)
    most = 0
    for number in range(3 * FORGET_AFTER):
        address = f"2001:db8::{number:x}"
        assert not refused(gate.connect(address))
        gate.disconnect(address, logged_in=False)
        most = max(most, len(gate.recent))
        clock.now += 0.5
    assert most <= FORGET_AFTER + 1  # the table never grows with every address that ever connected
    clock.now += 3600
    gate.connect("10.0.0.1")
    gate.disconnect("10.0.0.1", logged_in=False)
    assert len(gate.recent) <= FORGET_AFTER + 1


# --- the line of sessions waiting to start ------------------------------------------------------


class Waiter:
    """One session waiting its turn: the places it was told, and whether its turn came."""

    def __init__(self, queue: StartQueue) -> None:
        self.places: list[int] = []
        self.task = asyncio.ensure_future(queue.turn(self.places.append))

    @property
    def started(self) -> bool:
        return self.task.done() and not self.task.cancelled()


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_with_one_at_a_time_the_others_wait_and_are_told_their_places() -> None:
    queue = StartQueue(1)
    first = Waiter(queue)
    await settle()
    assert first.started and first.places == []  # no wait, nothing said
    second, third = Waiter(queue), Waiter(queue)
    await settle()
    assert not second.started and not third.started
    assert second.places == [1] and third.places == [2]

    queue.done()  # the first has started: the second's turn
    await settle()
    assert second.started and not third.started
    assert third.places == [2, 1]

    queue.done()
    await settle()
    assert third.started
    queue.done()
    fourth = Waiter(queue)  # nobody in line: straight in
    await settle()
    assert fourth.started and fourth.places == []


async def test_turns_are_handed_over_in_order() -> None:
    queue = StartQueue(1)
    started: list[int] = []

    async def session(number: int) -> None:
        await queue.turn(lambda place: None)
        started.append(number)

    tasks = [asyncio.ensure_future(session(number)) for number in range(5)]
    await settle()
    assert started == [0]
    for count in range(2, 6):
        queue.done()
        await settle()
        assert started == list(range(count))
    await asyncio.gather(*tasks)


async def test_a_waiter_that_gives_up_leaves_the_line_and_the_others_move_up() -> None:
    queue = StartQueue(1)
    first = Waiter(queue)
    waiting = [Waiter(queue) for _ in range(3)]
    await settle()
    assert [w.places for w in waiting] == [[1], [2], [3]]

    waiting[0].task.cancel()
    await settle()
    assert waiting[0].task.cancelled()
    assert waiting[1].places[-1] == 1 and waiting[2].places[-1] == 2

    queue.done()  # the first started: the turn goes to the next one still waiting
    await settle()
    assert first.started and waiting[1].started and not waiting[2].started
    assert waiting[2].places[-1] == 1


async def test_a_turn_handed_to_a_waiter_that_just_gave_up_goes_to_the_next() -> None:
    queue = StartQueue(1)
    Waiter(queue)
    second, third = Waiter(queue), Waiter(queue)
    await settle()
    queue.done()  # the second's turn...
    second.task.cancel()  # ...which it gives up before it could take it
    await settle()
    assert second.task.cancelled()
    assert third.started  # the turn was not lost


async def test_more_at_once_start_together() -> None:
    queue = StartQueue(2)
    waiters = [Waiter(queue) for _ in range(3)]
    await settle()
    assert [w.started for w in waiters] == [True, True, False]
    assert waiters[2].places == [1]
    queue.done()
    await settle()
    assert waiters[2].started
