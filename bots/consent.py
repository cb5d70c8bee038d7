"""The host's permission to record, where a meeting asks for it (Zoom: "ask the host for permission to
record"). The bot asks as soon as it is in the call, records nothing meanwhile, and leaves with
recording_permission_denied when the host refuses or does not answer within
`automatic_leave.recording_permission_denied_timeout` (MeetStream's field; default 300 s)."""

import time

from bots.models import EndReason, RecordingState
from bots.states import bot_apply_event


def recording_consent(session) -> tuple[str, str] | None:
    """For BotSession._join, with its ticks, commands and heartbeat while waiting. None when the bot may
    record (no permission needed, or granted), else (end_reason, end_message).
    A bot that waits is `in_call` with recording_state `not_recording`."""
    adapter, bot = session.adapter, session.bot
    ask = getattr(adapter, "recording_permission", None)
    if ask is None or ask() == "not_needed":
        return None
    bot_apply_event(bot, "admitted", recording_state=RecordingState.NOT_RECORDING, waiting_for="recording_permission")
    session.admitted_before_recording = True
    adapter.request_recording_permission()
    timeout = (bot.settings.get("automatic_leave") or {}).get("recording_permission_denied_timeout") or 300
    deadline = time.monotonic() + timeout
    answer = "pending"
    while time.monotonic() < deadline:
        answer = ask()
        if answer == "granted":
            return None
        if answer == "denied":
            break
        if session._leave_asked():
            return EndReason.LEFT_BY_REQUEST, ""
        session._discard_audio()
        session._sleep()
    detail = "the host refused" if answer == "denied" else f"no answer within {timeout} s"
    return session._ending(EndReason.RECORDING_PERMISSION_DENIED, detail)
