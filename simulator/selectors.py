"""Reads of simulated meetings: lookups scoped to an organization, and the two views of a meeting
(what the control API reports, what the meeting page needs)."""

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from accounts.models import Organization
from common.errors import NotFound
from simulator.chat import BOT, chat_visible_to
from simulator.clock import clock_s, is_present
from simulator.doors import door_links, sim_meeting_by_door
from simulator.models import SimMeeting, SimStatus
from simulator.services import sim_meeting_tick


def sim_meeting_get(*, organization: Organization, meeting_id: str) -> SimMeeting:
    """The organization's simulated meeting, with the scenario's rules applied as of now (404 otherwise)."""
    meeting = SimMeeting.objects.filter(organization=organization, pk=meeting_id).first()
    if meeting is None:
        raise NotFound(f"No simulated meeting {meeting_id!r}.")
    return sim_meeting_tick(meeting=meeting)


def sim_meeting_for_page(*, platform: str, code: str) -> SimMeeting | None:
    """The meeting behind a simulator link (its id, or a Meet code), or None (the page then says the
    meeting does not exist)."""
    meeting = SimMeeting.objects.filter(platform=platform, pk=code).first()
    if meeting is None and platform == "google_meet":
        meeting = sim_meeting_by_door(platform, "code", code)
    return sim_meeting_tick(meeting=meeting) if meeting else None


def sim_meeting_at_door(*, platform: str, key: str, value: str) -> SimMeeting | None:
    """The meeting behind a front-door link (a Zoom number, a Teams thread...), rules applied; or None."""
    meeting = sim_meeting_by_door(platform, key, value)
    return sim_meeting_tick(meeting=meeting) if meeting else None


def sim_meeting_url(*, meeting: SimMeeting, base_url: str | None = None) -> str:
    """The join link: on the host the request came to, else on NOTULA_PUBLIC_URL."""
    base = (base_url or settings.PUBLIC_URL).rstrip("/")
    return f"{base}/simulator/{meeting.platform}/{meeting.pk}"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def sim_meeting_view(*, meeting: SimMeeting, base_url: str | None = None) -> dict:
    """What the meeting saw: participants, the bot's state in it, chat received, the bot's camera."""
    t = clock_s(meeting, timezone.now())
    camera = meeting.bot_camera or None
    return {
        "id": meeting.pk,
        "platform": meeting.platform,
        "url": sim_meeting_url(meeting=meeting, base_url=base_url),
        # The meeting's join link in each shape the platform publishes (a Zoom /j/ link, a Teams
        # meetup-join link...): what a user would paste.
        "links": door_links(meeting, base_url or settings.PUBLIC_URL),
        "title": meeting.scenario["title"],
        "status": meeting.status,
        "clock_s": round(t, 3) if t is not None else None,
        "scenario": meeting.scenario,
        "bot": {
            "name": meeting.bot_name,
            "state": meeting.bot_state,
            "mic_on": meeting.bot_mic_on,
            "camera_on": meeting.bot_camera_on,
            "camera_showed_image": bool(camera and camera.get("has_image")),
            "camera": camera,
            "opened_at": _iso(meeting.opened_at),
            "knocked_at": _iso(meeting.knocked_at),
            "admitted_at": _iso(meeting.admitted_at),
            "left_at": _iso(meeting.bot_left_at),
            # The Zoom token the web client was opened with (a simulator: shown, to check it arrived).
            "auth": meeting.bot_auth,
            "recording_permission": meeting.bot_recording or None,
        },
        "participants": [{**person, "present": is_present(person, t)} for person in meeting.people],
        "lines": meeting.lines,
        "chat": meeting.chat,
        # Each participant's own chat list: a private message shows only to its sender and recipient.
        "chat_seen_by": {
            person["name"]: [m["text"] for m in meeting.chat if chat_visible_to(m, person["id"])]
            for person in meeting.people
        },
        "created_at": _iso(meeting.created_at),
        "ended_at": _iso(meeting.ended_at),
    }


def sim_page_state(*, meeting: SimMeeting, signed_in: bool = False) -> dict:
    """What the meeting page polls: status, the bot's state, the clock, who is here, what is said.
    A meeting for signed-in users only is open to a browser signed in to its provider, or to a Zoom web
    client opened with a token."""
    authorized = signed_in or bool(meeting.bot_auth)
    access = meeting.scenario["access"]
    t = clock_s(meeting, timezone.now())
    present = [p for p in meeting.people if is_present(p, t)]
    ids = {p["name"]: p["id"] for p in present}
    in_call = meeting.admitted_at is not None
    return {
        "status": meeting.status,
        "access": "open" if authorized and access == "login_required" else access,
        # The host's permission to record, where the meeting asks for one: "" (not asked), asked, granted, denied.
        "recording": {"required": bool(meeting.scenario.get("recording_permission")), "state": meeting.bot_recording},
        # Which screen a bot that asked to join sees: the lobby, or "waiting for the host to start".
        "waiting": "not_started" if meeting.scenario["lobby"]["policy"] == "not_started" else "lobby",
        "title": meeting.scenario["title"],
        "captions": meeting.scenario["captions"],
        "bot": {"name": meeting.bot_name, "state": meeting.bot_state},
        "clock_s": t,
        "participants": [{"id": p["id"], "name": p["name"], "is_host": p["is_host"]} for p in present],
        # Only lines of people present, and only once the bot is in: nobody speaks to the lobby.
        "lines": [
            {**line, "speaker_id": ids[line["speaker"]]}
            for line in meeting.lines
            if in_call and line["speaker"] in ids and line["at_s"] >= (t or 0.0) - 30
        ],
        # The bot's chat list: messages to everyone, and those it sent or received privately.
        "chat": [m for m in meeting.chat if chat_visible_to(m, BOT)][-50:],
        "next_change_s": next_change_s(meeting, t),
    }


def next_change_s(meeting: SimMeeting, t: float | None) -> float | None:
    """The clock time of the next change the scenario schedules (someone joins or leaves, the meeting
    ends), so a page that polls seldom in the call still shows it on time; None when none is due."""
    if t is None or meeting.status == SimStatus.ENDED:
        return None
    times = [p["joins_at_s"] for p in meeting.people] + [p.get("leaves_at_s") for p in meeting.people]
    times.append(meeting.scenario.get("ends_at_s"))
    due = [at for at in times if at is not None and at > t]
    return min(due) if due else None
