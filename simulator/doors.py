"""A simulated meeting's front doors: the identifiers a real platform would give it, and its join links
in every shape the platform publishes, under the simulator's own host.

The simulator answers each platform's path layout under `/simulator/<platform>/` (docs/simulator.md,
"Front doors"): `/simulator/zoom/j/85012345678?pwd=...` is to the simulator what
`https://zoom.us/j/85012345678?pwd=...` is to Zoom, so a bot follows the same launcher pages,
redirects and dialogs it meets on the real platform, and meetings/meeting_urls.py reads both with
the same rules.
"""

import base64
import json
import secrets
import string
import uuid
from urllib.parse import quote, urlencode

from simulator.models import SimMeeting

LOWER = string.ascii_lowercase
SITE = "sim"


def _digits(n: int) -> str:
    return "".join(secrets.choice(string.digits) for _ in range(n))


def _letters(n: int) -> str:
    return "".join(secrets.choice(LOWER) for _ in range(n))


def doors_new(platform: str) -> dict:
    """Fresh identifiers of a new meeting, shaped as the platform shapes them."""
    if platform == "zoom":
        return {
            "number": "8" + _digits(10),
            # The link's pwd is an encoded passcode; the passcode itself is what people type.
            "pwd": secrets.token_urlsafe(24).replace("-", "a").replace("_", "b") + ".1",
            "passcode": _digits(6),
            "vanity": f"sim.{_letters(8)}",
        }
    if platform == "google_meet":
        return {"code": f"{_letters(3)}-{_letters(4)}-{_letters(3)}"}
    if platform == "teams":
        meeting = "+"
        while "+" in meeting or "/" in meeting:  # as in Teams' own ids: letters and digits only
            meeting = base64.b64encode(str(uuid.uuid4()).encode()).decode().rstrip("=")
        return {
            "thread": f"19:meeting_{meeting}@thread.v2",
            "tenant": str(uuid.uuid4()),
            "organizer": str(uuid.uuid4()),
            "meet_id": "2" + _digits(13),
            "passcode": secrets.token_urlsafe(9).replace("-", "x").replace("_", "y"),
        }
    if platform == "webex":
        return {
            "site": SITE,
            "room": f"sim.{_letters(8)}",
            "mtid": "m" + secrets.token_hex(16),
            "key": secrets.token_hex(16),
        }
    return {}


def teams_context(doors: dict) -> str:
    return json.dumps({"Tid": doors["tenant"], "Oid": doors["organizer"]}, separators=(",", ":"))


def teams_meetup_path(doors: dict) -> str:
    thread = quote(doors["thread"], safe="._-").replace("%3A", "%3a")
    return f"/l/meetup-join/{thread}/0?" + urlencode({"context": teams_context(doors)})


def teams_coords(doors: dict) -> str:
    """Light meetings' coords: the meeting as base64 JSON."""
    coords = {
        "conversationId": doors["thread"],
        "tenantId": doors["tenant"],
        "organizerId": doors["organizer"],
        "messageId": "0",
    }
    return base64.b64encode(json.dumps(coords, separators=(",", ":")).encode()).decode()


def door_links(meeting: SimMeeting, base_url: str) -> dict[str, str]:
    """Every published shape of the meeting's join link, by name, pointing at the simulator."""
    root = f"{base_url.rstrip('/')}/simulator/{meeting.platform}"
    d = meeting.doors or {}
    if not d:
        return {}
    if meeting.platform == "zoom":
        pwd = quote(d["pwd"])
        return {
            "meeting": f"{root}/j/{d['number']}?pwd={pwd}",
            "webinar": f"{root}/w/{d['number']}?pwd={pwd}",
            "start": f"{root}/s/{d['number']}?pwd={pwd}",
            "personal": f"{root}/my/{d['vanity']}",
            "web_client": f"{root}/wc/join/{d['number']}?pwd={pwd}",
        }
    if meeting.platform == "google_meet":
        return {
            "meeting": f"{root}/{d['code']}",
            "authuser": f"{root}/{d['code']}?authuser=0",
            "calendar": f"{root}/{d['code']}?hs=122&authuser=1",
        }
    if meeting.platform == "teams":
        meetup = teams_meetup_path(d)
        coords = quote(teams_coords(d))
        launcher_url = quote("/_#" + meetup, safe="")
        return {
            "meetup_join": root + meetup,
            "meet": f"{root}/meet/{d['meet_id']}?p={quote(d['passcode'])}",
            "personal": f"{root}/meet/{d['meet_id']}",
            "new_client": f"{root}/v2/?meetingjoin=true#{meetup}",
            "launcher": f"{root}/dl/launcher/launcher.html?url={launcher_url}&type=meetup-join&directDl=true"
            "&msLaunch=true&enableMobilePage=true&suppressPrompt=true",
            "light_meetings": f"{root}/light-meetings/launch?agent=web&version=25010000000&coords={coords}",
        }
    if meeting.platform == "webex":
        return {
            "personal_room": f"{root}/meet/{d['room']}",
            "join": f"{root}/join/{d['room']}",
            "j_php": f"{root}/{d['site']}/j.php?MTID={d['mtid']}",
        }
    return {}


def sim_meeting_by_door(platform: str, key: str, value: str) -> SimMeeting | None:
    """The meeting of `platform` whose door `key` (number, vanity, code, thread, meet_id, room, mtid,
    key) is `value`."""
    if not value:
        return None
    return SimMeeting.objects.filter(platform=platform, **{f"doors__{key}": value}).first()
