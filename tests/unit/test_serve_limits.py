"""The server's limits (serve/limits.py, with a clock the test moves) and the line of sessions
waiting to start (start_queue.StartQueue)."""

from __future__ import annotations

import asyncio
import os

import pytest

from aoad_tui.serve.limits import CROWDED_GRACE, FORGET_AFTER, Gate, Limits, Window, address_key
from aoad_tui.serve.memory import default_budget_mib, machine_mib, over_budget, pss_mib, pss_of
from aoad_tui.serve.start_queue import StartQueue


class Clock:
    """A monotonic clock that only moves when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def gate_of(clock: Clock | None = None, chance: float = 1.0, **limits: float) -> Gate:
    """A gate whose random draws are all `chance` (1.0: no early drop ever happens)."""
    return Gate(Limits(**limits), clock=clock or Clock(), random=lambda: chance)  # type: ignore[arg-type]


def refused(line: str | None) -> bool:
    assert line is None or (isinstance(line, str) and line.strip()), line
    return line is not None


# --- connections --------------------------------------------------------------------------------


def test_connections_from_one_address_are_limited_and_a_disconnect_frees_one() -> None:
    gate = gate_of(per_address=3)
    for _ in range(3):
        assert not refused(gate.connect("10.0.0.1"))
        gate.logged_in("10.0.0.1")
    line = gate.connect("10.0.0.1")
    assert refused(line)
    assert "3" in str(line)  # the limit is said
    assert not refused(gate.connect("10.0.0.2"))  # another address is not held back
    gate.disconnect("10.0.0.1")  # the refused one goes
    gate.disconnect("10.0.0.1")  # and one that was in
    assert not refused(gate.connect("10.0.0.1"))


def test_new_connections_per_minute_from_one_address_are_limited_until_they_are_a_minute_old() -> None:
    clock = Clock()
    gate = gate_of(clock, per_address_per_minute=5)
    for _ in range(5):
        assert not refused(gate.connect("10.0.0.1"))
        gate.logged_in("10.0.0.1")  # short connections: none at once
        gate.disconnect("10.0.0.1")
        clock.now += 1
    assert refused(gate.connect("10.0.0.1"))
    gate.disconnect("10.0.0.1")
    assert not refused(gate.connect("10.0.0.9"))  # per address
    gate.logged_in("10.0.0.9")
    gate.disconnect("10.0.0.9")
    clock.now += 30  # the first ones are not a minute old yet
    assert refused(gate.connect("10.0.0.1"))
    gate.disconnect("10.0.0.1")
    clock.now += 31  # now they are
    assert not refused(gate.connect("10.0.0.1"))


def test_connections_still_logging_in_are_limited_and_logging_in_frees_a_place() -> None:
    gate = gate_of(unauthenticated=2)
    assert not refused(gate.connect("10.0.0.1"))
    assert not refused(gate.connect("10.0.0.2"))
    assert refused(gate.connect("10.0.0.3"))
    gate.disconnect("10.0.0.3")  # refused: it held no place
    gate.logged_in("10.0.0.1")  # the first has logged in: no longer counts
    assert not refused(gate.connect("10.0.0.4"))
    assert refused(gate.connect("10.0.0.5"))
    gate.disconnect("10.0.0.5")
    gate.logged_in("10.0.0.2")  # 10.0.0.2 gave up logging in: its place goes with it
    gate.disconnect("10.0.0.2")
    assert not refused(gate.connect("10.0.0.6"))
    assert gate.logging_in == 2


def test_one_address_holds_at_most_its_share_of_the_login_places() -> None:
    gate = gate_of(unauthenticated=100, logging_in_per_address=3)
    for _ in range(3):
        assert not refused(gate.connect("10.0.0.1"))
    line = gate.connect("10.0.0.1")
    assert refused(line) and "logging in" in str(line) and "3" in str(line)
    assert not refused(gate.connect("10.0.0.2"))  # everyone else still gets in
    gate.logged_in("10.0.0.1")
    assert not refused(gate.connect("10.0.0.1"))  # a place of its own came free


@pytest.mark.parametrize(("taken", "drop"), [(0, 0.0), (49, 0.0), (50, 0.3), (75, 0.65), (99, 0.986)])
def test_from_half_the_login_places_new_connections_are_dropped_at_random_more_as_they_fill(
    taken: int, drop: float
) -> None:
    gate = gate_of(unauthenticated=100)
    for number in range(taken):
        assert not refused(gate.connect(f"10.0.1.{number}"))
    assert gate.early_drop() == pytest.approx(drop, abs=0.001)
    assert gate.login_grace() == (CROWDED_GRACE if taken >= 50 else 30.0)  # and logging in must be quick
    if drop:
        gate.random = lambda: drop - 0.001
        assert refused(gate.connect("10.0.2.1"))
    gate.random = lambda: drop + 0.001
    assert not refused(gate.connect("10.0.2.2"))


def test_a_refused_connection_takes_no_login_place() -> None:
    gate = gate_of(unauthenticated=2, per_address=1)
    assert not refused(gate.connect("10.0.0.1"))
    for _ in range(10):  # one address over its own limit...
        assert refused(gate.connect("10.0.0.1"))
    assert gate.logging_in == 1
    assert not refused(gate.connect("10.0.0.2"))  # ...takes no place of anyone else's
    assert refused(gate.connect("10.0.0.3"))  # the two places are the two accepted ones


def test_a_logged_in_connection_that_goes_does_not_free_a_login_place_twice() -> None:
    gate = gate_of(unauthenticated=1)
    assert not refused(gate.connect("10.0.0.1"))
    gate.logged_in("10.0.0.1")
    assert not refused(gate.connect("10.0.0.2"))  # logging in now
    gate.disconnect("10.0.0.1")  # was in: the caller frees no login place for it
    assert refused(gate.connect("10.0.0.3"))  # 10.0.0.2 still holds the only place


def test_an_address_far_over_its_limit_is_flooding() -> None:
    gate = gate_of(per_address=2)
    for _ in range(8):
        gate.connect("10.0.0.1")
    assert not gate.flooding("10.0.0.1")  # four times the limit: still told why
    gate.connect("10.0.0.1")
    assert gate.flooding("10.0.0.1")
    assert not gate.flooding("10.0.0.2")  # per address
    gate.disconnect("10.0.0.1")
    assert not gate.flooding("10.0.0.1")


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:0DB8:0001:0002:0000:0000:0000:0009", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("?", "?"),
    ],
)
def test_a_limit_counts_an_ipv4_address_or_an_ipv6_64_block(address: str, key: str) -> None:
    assert address_key(address) == key


def test_addresses_of_one_ipv6_block_share_its_limits() -> None:
    gate = gate_of(per_address=2)
    for number in range(2):
        assert not refused(gate.connect(address_key(f"2001:db8::{number + 1}")))
    assert refused(gate.connect(address_key("2001:db8::ffff")))
    assert not refused(gate.connect(address_key("2001:db8:0:1::1")))  # the next block


# --- sessions -----------------------------------------------------------------------------------


def test_sessions_of_one_user_are_limited_and_closing_one_frees_it() -> None:
    gate = gate_of(per_user=2)
    assert not refused(gate.open_session("alice", "10.0.0.1"))
    assert not refused(gate.open_session("alice", "10.0.0.2"))
    line = gate.open_session("alice", "10.0.0.3")  # wherever it comes from
    assert refused(line)
    assert "2" in str(line)
    assert not refused(gate.open_session("bob", "10.0.0.1"))  # per user
    gate.close_session("alice", "10.0.0.1")
    assert not refused(gate.open_session("alice", "10.0.0.3"))


def test_sessions_of_everyone_together_are_limited_and_closing_one_frees_it() -> None:
    gate = gate_of(sessions=3, per_user=8)
    for number, user in enumerate(("alice", "bob", "guest@10.0.0.3")):
        assert not refused(gate.open_session(user, f"10.0.0.{number + 1}"))
    line = gate.open_session("carol", "10.0.0.4")
    assert refused(line)
    assert "3" in str(line)
    gate.close_session("bob", "10.0.0.2")
    assert not refused(gate.open_session("carol", "10.0.0.4"))
    assert refused(gate.open_session("dave", "10.0.0.5"))


def test_a_refused_session_takes_no_place() -> None:
    gate = gate_of(sessions=2, per_user=1)
    assert not refused(gate.open_session("alice", "10.0.0.1"))
    for _ in range(5):
        assert refused(gate.open_session("alice", "10.0.0.1"))
    assert not refused(gate.open_session("bob", "10.0.0.1"))  # the refusals did not fill the server
    gate.close_session("alice", "10.0.0.1")
    assert not refused(gate.open_session("alice", "10.0.0.1"))  # one close frees alice's one place
    assert gate.running == 2


def test_sessions_from_one_address_are_limited_whoever_opens_them() -> None:
    gate = gate_of(per_address=2, per_user=8)
    assert not refused(gate.open_session("alice", "10.0.0.1"))
    assert not refused(gate.open_session("bob", "10.0.0.1"))
    line = gate.open_session("carol", "10.0.0.1")  # a key of its own each: still one address
    assert refused(line)
    assert "2" in str(line)
    assert not refused(gate.open_session("carol", "10.0.0.2"))  # per address
    gate.close_session("alice", "10.0.0.1")
    assert not refused(gate.open_session("carol", "10.0.0.1"))
    assert refused(gate.open_session("dave", "10.0.0.1"))


def test_new_sessions_per_minute_from_one_address_are_limited_until_they_are_a_minute_old() -> None:
    clock = Clock()
    gate = gate_of(clock, per_address_per_minute=3)
    for number in range(3):
        assert not refused(gate.open_session(f"user{number}", "10.0.0.1"))
        gate.close_session(f"user{number}", "10.0.0.1")  # short sessions: none at once
        clock.now += 1
    assert refused(gate.open_session("alice", "10.0.0.1"))
    assert not refused(gate.open_session("alice", "10.0.0.2"))  # per address
    clock.now += 30  # the first ones are not a minute old yet
    for _ in range(5):  # and refusals do not count as new sessions
        assert refused(gate.open_session("bob", "10.0.0.1"))
    clock.now += 28  # the first is a minute old: one more
    assert not refused(gate.open_session("bob", "10.0.0.1"))
    assert refused(gate.open_session("carol", "10.0.0.1"))
    clock.now += 61
    assert not refused(gate.open_session("carol", "10.0.0.1"))
    assert gate.running == 3


def test_addresses_that_went_away_long_ago_are_forgotten() -> None:
    clock = Clock()
    gate = gate_of(clock, sessions=10 * FORGET_AFTER)
    most = 0
    for number in range(3 * FORGET_AFTER):
        address = f"2001:db8::{number:x}"
        assert not refused(gate.connect(address))
        assert not refused(gate.open_session(address, address))
        gate.close_session(address, address)
        gate.logged_in(address)
        gate.disconnect(address)
        most = max(most, len(gate.recent.times), len(gate.started.times))
        clock.now += 0.5
    assert most <= FORGET_AFTER + 1  # the tables never grow with every address that ever connected
    clock.now += 3600
    gate.connect("10.0.0.1")
    gate.open_session("10.0.0.1", "10.0.0.1")
    assert len(gate.recent.times) <= FORGET_AFTER + 1
    assert len(gate.started.times) <= FORGET_AFTER + 1


def test_a_window_counts_the_last_minute_and_looking_adds_nothing() -> None:
    clock = Clock()
    window = Window(clock)
    assert window.count("10.0.0.1", add=False) == 0
    assert window.count("10.0.0.1", add=True) == 1
    clock.now += 59
    assert window.count("10.0.0.1", add=True) == 2
    assert window.count("10.0.0.1", add=False) == 2
    assert window.count("10.0.0.2", add=False) == 0
    clock.now += 2
    assert window.count("10.0.0.1", add=False) == 1


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


# --- the memory of all sessions -------------------------------------------------------------------


def test_past_the_budget_the_largest_is_named_and_not_before() -> None:
    used = [("a", 10.0), ("b", 30.0), ("c", 20.0)]
    assert over_budget(used, 100) == (60.0, None)
    assert over_budget(used, 60) == (60.0, None)  # at the budget: nothing to end yet
    assert over_budget(used, 59) == (60.0, "b")
    assert over_budget(used, 0) == (60.0, None)  # no budget
    assert over_budget([], 1) == (0.0, None)


def test_a_process_has_a_proportional_set_size_and_the_machine_a_default_budget() -> None:
    assert pss_mib(os.getpid()) > 1
    assert pss_mib(2**22 + 7) == 0.0  # no such process
    assert pss_of({"me": os.getpid(), "gone": 2**22 + 7})["gone"] == 0.0
    assert 0 < default_budget_mib() < machine_mib()
    assert Limits().total_memory == default_budget_mib()
