"""The bot state machine: every (status, event) pair of the transition table, legal and illegal."""

import itertools
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from bots.models import Bot, BotEvent, BotStatus, EndReason
from bots.states import TERMINAL, TRANSITIONS, IllegalTransition, bot_apply_event, can_apply
from common.errors import ValidationError
from meetings.models import MeetingEvent
from tests.factories import BotFactory

S = BotStatus

# What each event does from each status, written out from the documented lifecycle (README, bots/states.py
# docstring) rather than read from the table: a change of the table that this does not expect fails below.
EXPECTED: dict[str, dict[str, str]] = {
    S.SCHEDULED: {"dispatch": S.QUEUED, "leave_started": S.LEAVING, "failed": S.FAILED},
    S.QUEUED: {"requeued": S.QUEUED, "join_started": S.JOINING, "leave_started": S.LEAVING, "failed": S.FAILED},
    S.JOINING: {
        "entered_waiting_room": S.WAITING_ROOM,
        "admitted": S.IN_CALL,
        "leave_started": S.LEAVING,
        "failed": S.FAILED,
    },
    S.WAITING_ROOM: {"admitted": S.IN_CALL, "leave_started": S.LEAVING, "failed": S.FAILED},
    S.IN_CALL: {"recording_changed": S.IN_CALL, "leave_started": S.LEAVING, "failed": S.FAILED},
    # A bot never admitted goes leaving -> ended; one that was in the call goes through post_processing.
    S.LEAVING: {"left": S.POST_PROCESSING, "ended": S.ENDED, "failed": S.FAILED},
    S.POST_PROCESSING: {"ended": S.ENDED, "failed": S.FAILED},
    S.ENDED: {},
    S.FAILED: {},
}
EVENTS = sorted({event for moves in EXPECTED.values() for event in moves})
ENDING_EVENTS = {"leave_started", "failed"}  # these carry the end_reason the bot finishes with
FINAL = {S.ENDED, S.FAILED}

PAIRS = list(itertools.product(BotStatus.values, EVENTS))
LEGAL = [(s, e) for s, e in PAIRS if e in EXPECTED[s]]
ILLEGAL = [(s, e) for s, e in PAIRS if e not in EXPECTED[s]]


def _kwargs(event: str) -> dict:
    kwargs = {}
    if event in ENDING_EVENTS:
        kwargs["end_reason"] = EndReason.EVERYONE_LEFT if event != "failed" else EndReason.BOT_CRASHED
    if event == "recording_changed":
        kwargs["recording_state"] = "recording"
    return kwargs


def test_the_expectation_speaks_of_every_status_and_every_event():
    """A status or an event added to the code is described above before the pairs below cover it."""
    assert set(EXPECTED) == set(BotStatus.values)
    assert set(EVENTS) == set(TRANSITIONS)
    assert {e for e, t in TRANSITIONS.items() if t.needs_end_reason} == ENDING_EVENTS


def _outcome(status: str, event: str) -> str | None:
    """The status a bot in `status` has after `event`, or None when the event is refused."""
    bot = BotFactory(status=status)
    try:
        with transaction.atomic():
            return bot_apply_event(bot, event, **_kwargs(event)).status
    except IllegalTransition:
        return None


@pytest.mark.django_db
def test_every_status_is_reachable_from_scheduled_and_terminal_states_are_final():
    reached, frontier = {S.SCHEDULED}, [S.SCHEDULED]
    moves_from = {}
    while frontier:
        status = frontier.pop()
        moves_from[status] = {event: _outcome(status, event) for event in TRANSITIONS}
        for target in moves_from[status].values():
            if target is not None and target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(BotStatus.values)
    assert set(TERMINAL) == FINAL
    for final in FINAL:
        assert moves_from[final] == dict.fromkeys(TRANSITIONS), final
    # Every active status can fail, and nothing ends without passing through leaving (or failing).
    for status in set(BotStatus.values) - FINAL:
        assert moves_from[status]["failed"] == S.FAILED, status
        if status not in (S.LEAVING, S.POST_PROCESSING):
            assert S.ENDED not in moves_from[status].values(), status


@pytest.mark.django_db
@pytest.mark.parametrize("status,event", LEGAL, ids=[f"{s}-{e}" for s, e in LEGAL])
def test_legal_transition_applies(status, event):
    bot = BotFactory(status=status)
    bot.meeting.refresh_from_db()
    seq_before = bot.meeting.event_seq
    target = EXPECTED[status][event]

    saved = bot_apply_event(bot, event, message="because", source="test", **_kwargs(event))

    assert saved.status == target
    bot.refresh_from_db()
    assert bot.status == target
    assert can_apply(status, event)

    bot_event = BotEvent.objects.get(bot=bot)
    assert (bot_event.event, bot_event.old_status, bot_event.new_status) == (event, status, target)
    assert bot_event.data == {"source": "test"}

    published = MeetingEvent.objects.get(meeting=bot.meeting)
    assert published.type == "bot.status_changed"
    assert published.bot_id == bot.id
    assert published.sequence == seq_before + 1
    bot.meeting.refresh_from_db()
    assert bot.meeting.event_seq == seq_before + 1
    payload = published.payload
    assert payload["old_status"] == status
    assert payload["new_status"] == target
    assert payload["bot_id"] == bot.id
    assert payload["message"] == "because"
    expected_reason = _kwargs(event).get("end_reason")
    assert payload["end_reason"] == expected_reason
    assert bot.end_reason == (expected_reason or "")
    if event in ENDING_EVENTS:
        assert bot_event.end_reason == expected_reason
    if target in FINAL:
        assert bot.ended_at is not None
    else:
        assert bot.ended_at is None
    if event == "admitted":
        assert bot.joined_at is not None
    if event == "recording_changed":
        assert bot.recording_state == payload["recording_state"] == "recording"


@pytest.mark.django_db
@pytest.mark.parametrize("status,event", ILLEGAL, ids=[f"{s}-{e}" for s, e in ILLEGAL])
def test_illegal_transition_is_refused_and_changes_nothing(status, event):
    bot = BotFactory(status=status)
    before = Bot.objects.filter(pk=bot.pk).values().get()

    with pytest.raises(IllegalTransition) as info:
        bot_apply_event(bot, event, **_kwargs(event))

    assert info.value.status_code == 409
    assert info.value.extra == {"bot_id": bot.id, "status": status}
    assert not can_apply(status, event)
    assert Bot.objects.filter(pk=bot.pk).values().get() == before
    assert not BotEvent.objects.filter(bot=bot).exists()
    assert not MeetingEvent.objects.filter(meeting=bot.meeting).exists()
    bot.meeting.refresh_from_db()
    assert bot.meeting.event_seq == 0


@pytest.mark.django_db
@pytest.mark.parametrize("event", sorted(ENDING_EVENTS))
def test_events_that_end_a_bot_need_an_end_reason(event):
    bot = BotFactory(status=BotStatus.IN_CALL)
    with pytest.raises(ValidationError) as info:
        bot_apply_event(bot, event)
    assert "end_reason" in info.value.fields
    bot.refresh_from_db()
    assert bot.status == BotStatus.IN_CALL
    assert not BotEvent.objects.exists() and not MeetingEvent.objects.exists()


@pytest.mark.django_db
def test_unknown_event_and_unknown_end_reason_are_refused():
    bot = BotFactory(status=BotStatus.IN_CALL)
    with pytest.raises(ValidationError) as info:
        bot_apply_event(bot, "teleported")
    assert "event" in info.value.fields
    with pytest.raises(ValidationError) as info:
        bot_apply_event(bot, "failed", end_reason="bored")
    assert "end_reason" in info.value.fields
    bot.refresh_from_db()
    assert bot.status == BotStatus.IN_CALL
    assert not BotEvent.objects.exists() and not MeetingEvent.objects.exists()


@pytest.mark.django_db
def test_full_lifecycle_sequences_and_end_reason_kept_from_leaving():
    bot = BotFactory(status=BotStatus.SCHEDULED)
    bot_apply_event(bot, "dispatch")
    bot_apply_event(bot, "join_started")
    bot_apply_event(bot, "entered_waiting_room")
    bot_apply_event(bot, "admitted")
    bot_apply_event(bot, "recording_changed", recording_state="recording")
    bot_apply_event(bot, "leave_started", end_reason=EndReason.EVERYONE_LEFT)
    bot_apply_event(bot, "left")
    bot_apply_event(bot, "ended")
    bot.refresh_from_db()
    assert bot.status == BotStatus.ENDED and bot.end_reason == EndReason.EVERYONE_LEFT
    events = list(MeetingEvent.objects.filter(meeting=bot.meeting).order_by("sequence"))
    assert [e.sequence for e in events] == list(range(1, 9))
    assert [e.payload["new_status"] for e in events] == [
        "queued",
        "joining",
        "waiting_room",
        "in_call",
        "in_call",
        "leaving",
        "post_processing",
        "ended",
    ]
    assert events[-1].payload["end_reason"] == "everyone_left"
    assert list(BotEvent.objects.filter(bot=bot).values_list("event", flat=True)) == [
        "dispatch",
        "join_started",
        "entered_waiting_room",
        "admitted",
        "recording_changed",
        "leave_started",
        "left",
        "ended",
    ]


@pytest.mark.django_db
def test_failure_while_leaving_overrides_the_end_reason():
    bot = BotFactory(status=BotStatus.IN_CALL)
    bot_apply_event(bot, "leave_started", end_reason=EndReason.LEFT_BY_REQUEST)
    bot_apply_event(bot, "failed", end_reason=EndReason.BOT_CRASHED)
    bot.refresh_from_db()
    assert (bot.status, bot.end_reason) == (BotStatus.FAILED, EndReason.BOT_CRASHED)


@pytest.mark.django_db
def test_a_bot_never_admitted_ends_without_post_processing():
    bot = BotFactory(status=BotStatus.WAITING_ROOM)
    bot_apply_event(bot, "leave_started", end_reason=EndReason.WAITING_ROOM_TIMEOUT)
    bot_apply_event(bot, "ended")
    bot.refresh_from_db()
    assert bot.status == BotStatus.ENDED and bot.joined_at is None
    statuses = list(BotEvent.objects.filter(bot=bot).values_list("new_status", flat=True))
    assert "post_processing" not in statuses and "in_call" not in statuses


# --- through the API: a change the state does not allow is a 409 -----------------------------------


def _api_bot(api, status):
    from tests.factories import MeetingFactory

    meeting = MeetingFactory(organization=api.organization)
    return BotFactory(meeting=meeting, status=status, join_at=timezone.now() + timedelta(hours=1))


@pytest.mark.parametrize("status", [s for s in BotStatus.values if s != BotStatus.SCHEDULED])
def test_patch_and_delete_refused_unless_scheduled(api, status):
    bot = _api_bot(api, status)
    response = api.patch(f"/api/v1/bots/{bot.id}", {"bot_name": "Other"}, format="json")
    assert response.status_code == 409, response.content
    assert response.json()["error"]["code"] == "bot_not_scheduled"
    assert response.json()["error"]["status"] == status
    response = api.delete(f"/api/v1/bots/{bot.id}")
    assert response.status_code == 409
    bot.refresh_from_db()
    assert bot.bot_name == "Notula" and bot.status == status


@pytest.mark.parametrize("status", sorted(FINAL))
def test_leave_on_a_finished_bot_is_409(api, status):
    bot = _api_bot(api, status)
    response = api.post(f"/api/v1/bots/{bot.id}/leave")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "bot_finished"
    assert not BotEvent.objects.filter(bot=bot).exists()


@pytest.mark.django_db
def test_illegal_transition_error_reaches_the_api_as_409(api, monkeypatch):
    """A runner command racing a finished bot: the IllegalTransition becomes a 409 in the one error shape."""
    bot = _api_bot(api, BotStatus.ENDED)
    from bots import services

    def leave_through_state_machine(*, bot):
        return bot_apply_event(bot, "leave_started", end_reason=EndReason.LEFT_BY_REQUEST)

    monkeypatch.setattr(services, "bot_request_leave", leave_through_state_machine)
    response = api.post(f"/api/v1/bots/{bot.id}/leave")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "illegal_transition" and error["bot_id"] == bot.id and error["status"] == "ended"
