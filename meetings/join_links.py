"""Each platform's join links as people paste them, and the address its web client needs.

`join_link(platform, path, query, fragment)` reads the path, query and fragment of a link (the host
was already checked) and answers the meeting's code and the path the bot opens, or None when the link
is not a join link of that platform. The sources of each form are in docs/bots.md (Join links).

- Zoom: `/j/<id>`, `/w/<id>` (webinars), `/s/<id>`, `/wc/join/<id>`, `/wc/<id>/join` open the web
  client at `/wc/join/<id>` with the passcode (`pwd`) and a webinar registration token (`tk`) kept;
  `/my/<name>` (personal links) stays as it is: Zoom redirects it to the meeting's launcher page.
- Google Meet: `/<abc-defg-hij>` and `/_meet/<code>`, with `?authuser=`, `?hs=`, `?pli=` dropped (they
  describe the browser the link was copied from, not the meeting).
- Teams: `/l/meetup-join/<thread>/<message>?context=`, and the wrappers around it: the launcher
  (`/dl/launcher/launcher.html?url=...`), the new client's fragment (`/v2/?meetingjoin=true#/l/...`)
  and light meetings (`/light-meetings/launch?coords=<base64 JSON>`), all opened as the canonical
  meetup-join link; `/meet/<id>?p=<passcode>` as it is.
- Webex: `/meet/<name>`, `/join/<name>` and `[/<site>]/j.php?MTID=<id>`, as they are: the launcher page
  in front of them is passed by the adapter.
"""

import base64
import binascii
import json
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlencode

from meetings.models import Platform


@dataclass(frozen=True)
class JoinLink:
    code: str
    path: str  # path, query and fragment the bot opens, on the link's own host


MEET_CODE = re.compile(r"^/(?:_meet/)?([a-z]{3}-[a-z]{4}-[a-z]{3})/?$", re.IGNORECASE)
ZOOM_MEETING = [
    re.compile(r"^/(?:j|w|s)/(\d{9,11})/?$"),
    re.compile(r"^/wc/join/(\d{9,11})/?$"),
    re.compile(r"^/wc/(\d{9,11})/(?:join|start)/?$"),
]
ZOOM_PERSONAL = re.compile(r"^/my/([A-Za-z0-9._-]{3,64})/?$")
# What the web client needs from a link's query: the passcode, and a webinar registrant's token.
ZOOM_KEPT = ("pwd", "tk")
# The thread id is percent-encoded in most links (19%3ameeting_...%40thread.v2) but not in all;
# channel meetings use thread.tacv2 and a message id instead of 0.
TEAMS_MEETUP_JOIN = re.compile(
    r"^/l/meetup-join/(19(?:%3a|:)[^/]{6,}?(?:%40|@)thread\.[a-z0-9]+)/(\d+)/?$", re.IGNORECASE
)
TEAMS_MEET_ID = re.compile(r"^/meet/(\d{6,20})/?$")
# Paths that carry a meetup-join path in their fragment: the new web client and the old one.
TEAMS_FRAGMENT_PATHS = ("/", "/_", "/v2", "/v2/")
TEAMS_LAUNCHER = "/dl/launcher/launcher.html"
TEAMS_LIGHT = re.compile(r"^/light-meetings/launch/?$")
WEBEX_ROOM = re.compile(r"^/(meet|join)/([A-Za-z0-9._-]{1,100})/?$")
WEBEX_JPHP = re.compile(r"^(?:/[A-Za-z0-9_-]+)?/j\.php$")
WEBEX_MTID = re.compile(r"^m[0-9a-z]{8,64}$", re.IGNORECASE)


def _first(query: dict[str, list[str]], name: str) -> str:
    values = query.get(name) or [""]
    return values[0]


def zoom_link(path: str, query: dict, fragment: str) -> JoinLink | None:
    kept = [(name, _first(query, name)) for name in ZOOM_KEPT if _first(query, name)]
    suffix = ("?" + urlencode(kept)) if kept else ""
    for pattern in ZOOM_MEETING:
        match = pattern.match(path)
        if match:
            return JoinLink(code=match.group(1), path=f"/wc/join/{match.group(1)}{suffix}")
    match = ZOOM_PERSONAL.match(path)
    if match:
        return JoinLink(code=match.group(1), path=f"/my/{match.group(1)}{suffix}")
    return None


def meet_link(path: str, query: dict, fragment: str) -> JoinLink | None:
    match = MEET_CODE.match(path)
    if match is None:
        return None
    code = match.group(1).lower()
    return JoinLink(code=code, path=f"/{code}")


def _meetup_join(thread: str, message: str, context: str) -> JoinLink:
    """The canonical meetup-join link of a thread, as Teams writes it in invitations."""
    thread = unquote(thread)
    encoded = quote(thread, safe="._-").replace("%3A", "%3a")
    suffix = ("?" + urlencode({"context": context})) if context else ""
    return JoinLink(code=thread[:200], path=f"/l/meetup-join/{encoded}/{message}{suffix}")


def _teams_meetup_path(path: str, context: str = "") -> JoinLink | None:
    match = TEAMS_MEETUP_JOIN.match(path)
    return _meetup_join(match.group(1), match.group(2), context) if match else None


def _teams_fragment(inner: str) -> JoinLink | None:
    """`/l/meetup-join/...?context=...`, the part after a launcher's or client's `#`."""
    inner_path, _, inner_query = inner.partition("?")
    context = next(
        (unquote(value) for name, _, value in (p.partition("=") for p in inner_query.split("&")) if name == "context"),
        "",
    )
    return _teams_meetup_path(inner_path, context)


def _teams_light_coords(raw: str) -> JoinLink | None:
    """Light meetings carry the meeting as base64 JSON: conversationId, tenantId, organizerId, messageId."""
    try:
        padded = raw + "=" * (-len(raw) % 4)
        coords = json.loads(base64.urlsafe_b64decode(padded.replace("+", "-").replace("/", "_")))
    except (ValueError, binascii.Error):
        return None
    if not isinstance(coords, dict):
        return None
    thread = str(coords.get("conversationId") or "")
    if not TEAMS_MEETUP_JOIN.match(f"/l/meetup-join/{thread}/0"):
        return None
    context = {"Tid": coords.get("tenantId"), "Oid": coords.get("organizerId")}
    context_json = json.dumps({k: v for k, v in context.items() if v}, separators=(",", ":"))
    return _meetup_join(thread, str(coords.get("messageId") or "0"), context_json if context_json != "{}" else "")


def teams_link(path: str, query: dict, fragment: str, *, teams_host: str = "work") -> JoinLink | None:
    personal_host = teams_host == "personal"
    match = TEAMS_MEET_ID.match(path)
    if match:
        passcode = _first(query, "p")
        # Work-account /meet/<id> links carry their passcode in ?p=; personal (teams.live.com) ones may not.
        if not passcode and teams_host == "work":
            return None
        suffix = f"?p={quote(passcode)}" if passcode else ""
        return JoinLink(code=match.group(1), path=f"/meet/{match.group(1)}{suffix}")
    if personal_host:
        return None
    link = _teams_meetup_path(path, _first(query, "context"))
    if link is not None:
        return link
    if path in TEAMS_FRAGMENT_PATHS and fragment:
        return _teams_fragment(fragment)
    if path == TEAMS_LAUNCHER and _first(query, "url"):
        # url=/_#/l/meetup-join/19%3ameeting_...%40thread.v2/0?context=...
        inner = _first(query, "url")
        return _teams_fragment(inner.split("#", 1)[1]) if "#" in inner else None
    if TEAMS_LIGHT.match(path) and _first(query, "coords"):
        return _teams_light_coords(_first(query, "coords"))
    return None


def webex_link(path: str, query: dict, fragment: str) -> JoinLink | None:
    match = WEBEX_ROOM.match(path)
    if match:
        return JoinLink(code=match.group(2), path=f"/{match.group(1)}/{match.group(2)}")
    mtid = _first(query, "MTID")
    if WEBEX_JPHP.match(path) and WEBEX_MTID.match(mtid):
        return JoinLink(code=mtid, path=f"{path}?MTID={mtid}")
    return None


def join_link(platform: str, path: str, query: dict, fragment: str, *, teams_host: str = "work"):
    """The meeting code and the path to open, or None when this is not a join link of `platform`.

    `teams_host`: "work" (teams.microsoft.com), "personal" (teams.live.com: only /meet/ links, which may
    lack a passcode) or "any" (the simulator, which serves both).
    """
    path = path or "/"
    if platform == Platform.ZOOM:
        return zoom_link(path, query, fragment)
    if platform == Platform.GOOGLE_MEET:
        return meet_link(path, query, fragment)
    if platform == Platform.TEAMS:
        return teams_link(path, query, fragment, teams_host=teams_host)
    if platform == Platform.WEBEX:
        return webex_link(path, query, fragment)
    return None
