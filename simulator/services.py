"""Writes to simulated meetings: creation, the host's controls, and what the meeting page reports.

Every write locks the meeting row: the page (up to 4 polls a second) and the control API touch the same
JSON fields. `sim_meeting_tick` applies the scenario's own rules (lobby policy, scheduled end) lazily,
on each read by the page or the API, so no timer process is needed.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Organization
from common.errors import Conflict, NotFound, ValidationError
from simulator.clock import clock_s, find_person, is_present
from simulator.doors import doors_new
from simulator.models import BotSimState, SimMeeting, SimPlatform, SimStatus
from simulator.permissions import recording_rule
from simulator.scenario import scenario_normalize, validate_name, validate_text, validate_voice

GONE = (BotSimState.DENIED, BotSimState.REMOVED, BotSimState.LEFT)
MAX_CHAT = 200


def _new_line(meeting: SimMeeting, *, at_s: float, speaker: str, text: str, **clip: object) -> dict:
    """A line to say (`clip`: a recorded line's clip, duration_s and where it came from)."""
    return {"id": f"l{len(meeting.lines) + 1}", "at_s": round(at_s, 3), "speaker": speaker, "text": text, **clip}


def _new_person(meeting: SimMeeting, person: dict) -> dict:
    return {"id": f"p{len(meeting.people) + 1}", **person}


def sim_meeting_create(
    *, organization: Organization, platform: str, scenario: dict | None, clips: dict[str, bytes] | None = None
) -> SimMeeting:
    """Create a simulated meeting for `platform` from a scenario (validated; 400 naming the bad field).
    `clips`: uploaded audio files by name, which the script's recorded lines name in their `audio`."""
    if platform not in SimPlatform.values:
        raise ValidationError(
            f"Unknown platform {platform!r}; use one of {SimPlatform.values}.",
            fields={"platform": [f"one of {SimPlatform.values}"]},
        )
    normalized = scenario_normalize(scenario, clips)
    meeting = SimMeeting(organization=organization, platform=platform, scenario=normalized, doors=doors_new(platform))
    for person in normalized["participants"]:
        meeting.people.append(_new_person(meeting, person))
    for line in normalized["script"]:
        meeting.lines.append(_new_line(meeting, **line))
    meeting.save()
    return meeting


def _locked(meeting_id: str) -> SimMeeting:
    meeting = SimMeeting.objects.select_for_update().filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound("No such simulated meeting.")
    return meeting


def _apply_rules(meeting: SimMeeting, now: datetime) -> list[str]:
    changed: list[str] = []
    lobby = meeting.scenario["lobby"]
    knocked_at = meeting.knocked_at
    waits = lobby["policy"] in ("never", "not_started")  # only the control API lets the bot in
    if meeting.bot_state == BotSimState.LOBBY and meeting.status != SimStatus.ENDED and not waits:
        if knocked_at is not None and now - knocked_at >= timedelta(seconds=lobby["after_s"]):
            if lobby["policy"] == "admit":
                meeting.bot_state, meeting.admitted_at, meeting.status = BotSimState.IN_CALL, now, SimStatus.LIVE
                changed += ["bot_state", "admitted_at", "status"]
            else:
                meeting.bot_state, meeting.bot_left_at = BotSimState.DENIED, now
                changed += ["bot_state", "bot_left_at"]
    changed += recording_rule(meeting, now)
    ends_at_s = meeting.scenario.get("ends_at_s")
    if meeting.status == SimStatus.LIVE and ends_at_s is not None and meeting.admitted_at is not None:
        end = meeting.admitted_at + timedelta(seconds=ends_at_s)
        if now >= end:
            meeting.status, meeting.ended_at = SimStatus.ENDED, end
            changed += ["status", "ended_at"]
    return changed


def sim_meeting_tick(*, meeting: SimMeeting) -> SimMeeting:
    """Apply the scenario's lobby policy and scheduled end as of now; returns the fresh meeting."""
    now = timezone.now()
    # Cheap check first: most polls change nothing and must not take a lock.
    probe = SimMeeting(**{f.attname: getattr(meeting, f.attname) for f in SimMeeting._meta.concrete_fields})
    if not _apply_rules(probe, now):
        return meeting
    with transaction.atomic():
        locked = _locked(meeting.pk)
        changed = _apply_rules(locked, now)
        if changed:
            locked.save(update_fields=sorted(set(changed)))
    return locked


# --- The host's controls (the control API) -----------------------------------------------------------


@transaction.atomic
def sim_meeting_admit(*, meeting: SimMeeting) -> SimMeeting:
    """Let the bot in now; before it asks, admit it as soon as it does."""
    meeting = _locked(meeting.pk)
    _check_not_over(meeting, "admit the bot")
    if meeting.bot_state == BotSimState.LOBBY:
        meeting.bot_state, meeting.admitted_at, meeting.status = BotSimState.IN_CALL, timezone.now(), SimStatus.LIVE
    elif meeting.bot_state in (BotSimState.ABSENT, BotSimState.PREJOIN):
        meeting.scenario["lobby"] = {"policy": "admit", "after_s": 0.0}
    elif meeting.bot_state in GONE:
        raise Conflict(f"The bot cannot be admitted: it is {meeting.bot_state}.")
    meeting.save()
    return meeting


@transaction.atomic
def sim_meeting_deny(*, meeting: SimMeeting) -> SimMeeting:
    """Refuse the bot's request to join (now, or as soon as it asks)."""
    meeting = _locked(meeting.pk)
    _check_not_over(meeting, "deny the bot")
    if meeting.bot_state == BotSimState.LOBBY:
        meeting.bot_state, meeting.bot_left_at = BotSimState.DENIED, timezone.now()
    elif meeting.bot_state in (BotSimState.ABSENT, BotSimState.PREJOIN):
        meeting.scenario["lobby"] = {"policy": "deny", "after_s": 0.0}
    else:
        raise Conflict(f"The bot cannot be denied: it is {meeting.bot_state}.")
    meeting.save()
    return meeting


@transaction.atomic
def sim_meeting_remove_bot(*, meeting: SimMeeting) -> SimMeeting:
    """Remove the bot from the call (or from the lobby)."""
    meeting = _locked(meeting.pk)
    _check_not_over(meeting, "remove the bot")
    if meeting.bot_state not in (BotSimState.IN_CALL, BotSimState.LOBBY):
        raise Conflict(f"The bot is not in the meeting: it is {meeting.bot_state}.")
    meeting.bot_state, meeting.bot_left_at = BotSimState.REMOVED, timezone.now()
    meeting.save(update_fields=["bot_state", "bot_left_at"])
    return meeting


@transaction.atomic
def sim_meeting_end(*, meeting: SimMeeting) -> SimMeeting:
    """End the meeting for everyone."""
    meeting = _locked(meeting.pk)
    if meeting.status != SimStatus.ENDED:
        meeting.status, meeting.ended_at = SimStatus.ENDED, timezone.now()
        meeting.save(update_fields=["status", "ended_at"])
    return meeting


def _check_not_over(meeting: SimMeeting, action: str) -> None:
    if meeting.status == SimStatus.ENDED:
        raise Conflict(f"Cannot {action}: the meeting has ended.")


def _now_s(meeting: SimMeeting) -> float:
    return clock_s(meeting, timezone.now()) or 0.0


@transaction.atomic
def sim_meeting_say(*, meeting: SimMeeting, participant: str, text: str) -> dict:
    """Have a present participant say a line now (at t=0 when the bot is not in yet); returns the line."""
    meeting = _locked(meeting.pk)
    _check_not_over(meeting, "say a line")
    text = validate_text(text, "text")
    t = _now_s(meeting)
    person = find_person(meeting, participant, t)
    # Well-formed but not possible in the meeting as it is now (nobody of that name, or gone): a 409.
    if person is None or not is_present(person, t):
        raise Conflict(
            f"No participant named {participant!r} is in the meeting.", fields={"participant": ["not present"]}
        )
    # A little ahead so the page has fetched and decoded the audio by the time it is due.
    line = _new_line(meeting, at_s=t + 0.5 if meeting.admitted_at else 0.0, speaker=person["name"], text=text)
    meeting.lines.append(line)
    meeting.save(update_fields=["lines"])
    return line


@transaction.atomic
def sim_participant_add(*, meeting: SimMeeting, name: str, voice: str | None = None) -> dict:
    """A new participant joins now; returns them."""
    meeting = _locked(meeting.pk)
    _check_not_over(meeting, "add a participant")
    name = validate_name(name, "name")
    voice = validate_voice(voice, "voice")
    t = _now_s(meeting)
    existing = find_person(meeting, name, t)
    if existing is not None:
        raise Conflict(f"{name!r} is already in the meeting.", fields={"name": ["already present"]})
    person = _new_person(
        meeting, {"name": name, "voice": voice, "joins_at_s": t, "leaves_at_s": None, "is_host": False}
    )
    meeting.people.append(person)
    meeting.save(update_fields=["people"])
    return person


@transaction.atomic
def sim_participant_leave(*, meeting: SimMeeting, name: str) -> dict:
    """A present participant leaves now; returns them."""
    meeting = _locked(meeting.pk)
    _check_not_over(meeting, "send a participant away")
    t = _now_s(meeting)
    person = find_person(meeting, name, t)
    if person is None:
        raise NotFound(f"No participant named {name!r} is in the meeting.")
    person["leaves_at_s"] = round(t, 3)
    if person["joins_at_s"] >= person["leaves_at_s"]:
        person["joins_at_s"] = person["leaves_at_s"]  # scheduled to come later: now never comes
    meeting.save(update_fields=["people"])
    return person


# --- What the meeting page reports (the bot's side) ------------------------------------------------------


@transaction.atomic
def sim_bot_open(*, meeting: SimMeeting) -> SimMeeting:
    """The meeting page was opened: the bot is on the pre-join screen."""
    meeting = _locked(meeting.pk)
    if meeting.bot_state == BotSimState.ABSENT:
        meeting.bot_state, meeting.opened_at = BotSimState.PREJOIN, timezone.now()
        meeting.save(update_fields=["bot_state", "opened_at"])
    return meeting


@transaction.atomic
def sim_bot_knock(
    *, meeting: SimMeeting, name: str, mic_on: bool, camera_on: bool, signed_in: bool = False
) -> SimMeeting:
    """The bot asked to join with this name and these mic and camera states (`signed_in`: its browser
    holds a session of the platform's provider, which a sign-in-only meeting requires)."""
    meeting = _locked(meeting.pk)
    if meeting.status == SimStatus.ENDED:
        raise Conflict("The meeting has ended.")
    access = meeting.scenario["access"]
    authorized = signed_in or bool(meeting.bot_auth)  # a provider's session, or a Zoom token
    if access != "open" and not (access == "login_required" and authorized):
        raise Conflict("This meeting cannot be joined.", code="join_refused")
    if meeting.bot_state not in (BotSimState.ABSENT, BotSimState.PREJOIN):
        raise Conflict(f"The bot already asked to join: it is {meeting.bot_state}.")
    meeting.bot_name = validate_name(name, "name")
    meeting.bot_mic_on, meeting.bot_camera_on = bool(mic_on), bool(camera_on)
    meeting.bot_state, meeting.knocked_at = BotSimState.LOBBY, timezone.now()
    meeting.opened_at = meeting.opened_at or meeting.knocked_at
    meeting.save()
    return sim_meeting_tick(meeting=meeting)


@transaction.atomic
def sim_bot_media(*, meeting: SimMeeting, mic_on: bool | None = None, camera_on: bool | None = None) -> SimMeeting:
    """The bot toggled its microphone or camera."""
    meeting = _locked(meeting.pk)
    if mic_on is not None:
        meeting.bot_mic_on = bool(mic_on)
    if camera_on is not None:
        meeting.bot_camera_on = bool(camera_on)
    meeting.save(update_fields=["bot_mic_on", "bot_camera_on"])
    return meeting


@transaction.atomic
def sim_bot_camera_frame(*, meeting: SimMeeting, has_image: bool, mean_rgb: list, stddev: float) -> SimMeeting:
    """What the page saw in the bot's camera; an image once seen stays recorded."""
    meeting = _locked(meeting.pk)
    seen = meeting.bot_camera or {}
    if has_image or not seen.get("has_image"):
        meeting.bot_camera = {
            "has_image": bool(has_image),
            "mean_rgb": [round(float(c), 1) for c in mean_rgb[:3]],
            "stddev": round(float(stddev), 2),
            "at": timezone.now().isoformat(),
        }
        meeting.save(update_fields=["bot_camera"])
    return meeting


@transaction.atomic
def sim_bot_leave(*, meeting: SimMeeting) -> SimMeeting:
    """The bot left through the page's leave control (or cancelled its request in the lobby)."""
    meeting = _locked(meeting.pk)
    if meeting.bot_state in (BotSimState.IN_CALL, BotSimState.LOBBY, BotSimState.PREJOIN):
        meeting.bot_state, meeting.bot_left_at = BotSimState.LEFT, timezone.now()
        meeting.save(update_fields=["bot_state", "bot_left_at"])
    return meeting
