"""The machine-wide turn to start a browser and join (bots/join_gate.py)."""

import multiprocessing
import threading
import time

import pytest

from bots.join_gate import join_slot_take


@pytest.fixture
def gate(settings, tmp_path):
    settings.BOT_JOINS_AT_ONCE = 2
    settings.BOT_JOIN_WAIT_MAX_S = 30
    settings.BOT_JOIN_SLOTS_DIR = str(tmp_path / "slots")
    return settings


def _waits_until(release, why: str):
    """Take a slot from another thread: it must wait while `why` holds, and get one once `release()`
    frees a slot. Returns that slot."""
    taken: list = []
    waiting = threading.Thread(target=lambda: taken.append(join_slot_take()), daemon=True)
    waiting.start()
    time.sleep(0.6)
    assert taken == [], why
    release()
    waiting.join(timeout=5)
    assert len(taken) == 1
    return taken[0]


def test_a_third_bot_waits_until_one_of_two_has_joined(gate):
    first, second = join_slot_take(), join_slot_take()
    third = _waits_until(first.release, "both slots are held: the third bot waits")
    first.release()  # a second release is harmless and frees nothing more
    fourth = _waits_until(second.release, "the second and third bots still hold both slots")
    third.release()
    fourth.release()


def _hold_until_killed(slots_dir: str, ready) -> None:
    import django
    from django.conf import settings

    django.setup()
    settings.BOT_JOINS_AT_ONCE, settings.BOT_JOIN_SLOTS_DIR = 1, slots_dir
    join_slot_take()
    ready.set()
    time.sleep(60)


def test_a_slot_held_by_a_process_that_died_is_free_again(gate):
    gate.BOT_JOINS_AT_ONCE = 1
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    holder = context.Process(target=_hold_until_killed, args=(gate.BOT_JOIN_SLOTS_DIR, ready), daemon=True)
    holder.start()
    assert ready.wait(60), "the other process took the only slot"
    # The holder is killed mid-join (out of memory, kill -9): the kernel frees its slot.
    _waits_until(holder.kill, "the only slot is another process's").release()


def test_waiting_keeps_the_bot_alive_and_ends_after_the_longest_wait(gate):
    gate.BOT_JOINS_AT_ONCE, gate.BOT_JOIN_WAIT_MAX_S = 1, 1
    held = join_slot_take()
    calls: list = []
    began = time.monotonic()
    slotless = join_slot_take(on_wait=lambda: calls.append(time.monotonic()), every_s=0.3)
    waited = time.monotonic() - began
    assert 1.0 <= waited < 3.0, "the bot goes ahead once the longest wait is over"
    assert len(calls) >= 2, "the heartbeat was called while waiting"
    slotless.release()  # nothing to give back
    held.release()
    began = time.monotonic()
    join_slot_take().release()
    assert time.monotonic() - began < 0.5, "the slot given back is free at once"


def test_no_limit_takes_no_turn(gate, tmp_path):
    gate.BOT_JOINS_AT_ONCE = 0
    slots = [join_slot_take() for _ in range(5)]
    assert not (tmp_path / "slots").exists(), "no lock files when there is no limit"
    for slot in slots:
        slot.release()


def test_a_wait_told_to_stop_ends_at_once_without_a_turn(gate):
    gate.BOT_JOINS_AT_ONCE = 1
    held = join_slot_take()
    began = time.monotonic()
    slot = join_slot_take(on_wait=lambda: True, every_s=0.2)
    assert slot.given_up and time.monotonic() - began < 2.0, "the wait ends on the first call that says stop"
    held.release()
    assert not join_slot_take().given_up


def test_a_bot_asked_to_leave_while_waiting_for_its_turn_ends_without_a_browser(gate, db):
    # Imported here: the module's other tests start processes that import it before Django is set up.
    from bots import lifecycle
    from bots.services.dispatch import bot_request_leave
    from bots.session import BotSession
    from tests.factories import BotFactory

    gate.BOT_JOINS_AT_ONCE, gate.BOT_JOIN_WAIT_MAX_S = 1, 60
    held = join_slot_take()  # another bot is starting its browser the whole time
    bot = lifecycle.bot_claim(bot_id=BotFactory(status="queued").id, worker="w:1")
    bot_request_leave(bot=bot)
    began = time.monotonic()
    BotSession(bot).run()
    # A browser could only have started after the 60 s wait; the heartbeat (every 5 s) ends it first.
    assert time.monotonic() - began < 15
    bot.refresh_from_db()
    assert (bot.status, bot.end_reason) == ("ended", "left_by_request") and bot.joined_at is None
    held.release()
