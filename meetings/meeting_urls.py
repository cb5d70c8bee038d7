"""Meeting URL validation and platform detection.

`parse_meeting_url` answers the platform and a meeting code for a Zoom, Google Meet, Teams or Webex
join link, or raises InvalidMeetingUrl with a message that says what is wrong. Simulator links are
accepted only while the simulator is enabled (settings.SIMULATOR_ENABLED).
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings

from meetings.models import Platform


class InvalidMeetingUrl(ValueError):
    pass


@dataclass(frozen=True)
class MeetingUrl:
    platform: str
    url: str
    code: str
    simulated: bool = False


MEET_CODE = re.compile(r"^/([a-z]{3}-[a-z]{4}-[a-z]{3})/?$", re.IGNORECASE)
ZOOM_PATHS = [
    re.compile(r"^/(?:j|w|s)/(\d{9,11})/?$"),
    re.compile(r"^/wc/join/(\d{9,11})/?$"),
    re.compile(r"^/wc/(\d{9,11})/(?:join|start)/?$"),
    re.compile(r"^/my/([A-Za-z0-9._-]{3,64})/?$"),
]
# The thread id is percent-encoded in most links (19%3ameeting_...%40thread.v2) but not in all;
# channel meetings use thread.tacv2 and a message id instead of 0.
TEAMS_MEETUP_JOIN = re.compile(r"^/l/meetup-join/(19(?:%3a|:)[^/]{6,}(?:%40|@)thread\.[a-z0-9]+)/\d+/?$", re.IGNORECASE)
TEAMS_MEET_ID = re.compile(r"^/meet/(\d{6,20})/?$")
# The new web client (teams.microsoft.com/v2/?meetingjoin=true#/l/meetup-join/...) puts the
# meetup-join path in the fragment.
TEAMS_FRAGMENT_PATHS = ("/", "/_", "/v2", "/v2/", "/dl/launcher/launcher.html")
WEBEX_MEET = re.compile(r"^/(?:meet|join)/([A-Za-z0-9._-]{1,100})/?$")
WEBEX_JPHP = re.compile(r"^(?:/[A-Za-z0-9_-]+)?/j\.php$")
WEBEX_MTID = re.compile(r"^m[0-9a-z]{8,64}$", re.IGNORECASE)
SIMULATOR_PATH = re.compile(r"^/simulator/(google_meet|teams|zoom|webex)/([A-Za-z0-9_-]{4,64})/?$")

PLATFORM_HOSTS = {
    Platform.GOOGLE_MEET: "meet.google.com",
    Platform.TEAMS: "teams.microsoft.com, teams.live.com",
    Platform.ZOOM: "zoom.us (and <company>.zoom.us)",
    Platform.WEBEX: "<site>.webex.com",
}
HELP = (
    "Use a join link from Zoom (https://zoom.us/j/<id>), Google Meet (https://meet.google.com/abc-defg-hij), "
    "Microsoft Teams (https://teams.microsoft.com/l/meetup-join/...) or Webex (https://<site>.webex.com/meet/<name>)."
)


def _platform_for_host(host: str) -> str | None:
    if host == "meet.google.com":
        return Platform.GOOGLE_MEET
    if host in ("teams.microsoft.com", "teams.live.com", "teams.microsoft.us", "gov.teams.microsoft.us"):
        return Platform.TEAMS
    if host in ("zoom.us", "zoomgov.com") or host.endswith(".zoom.us") or host.endswith(".zoomgov.com"):
        return Platform.ZOOM
    if host.endswith(".webex.com") and host != ".webex.com":
        return Platform.WEBEX
    return None


def parse_meeting_url(raw: str) -> MeetingUrl:
    """Validate a meeting join link and detect its platform; raises InvalidMeetingUrl."""
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidMeetingUrl("A meeting URL is required. " + HELP)
    url = raw.strip()
    if len(url) > 2000:
        raise InvalidMeetingUrl("The meeting URL is longer than 2000 characters.")
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise InvalidMeetingUrl(f"'{url}' is not a URL ({exc}). " + HELP) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidMeetingUrl(f"'{url}' is not an http(s) URL. " + HELP)
    if any(ch.isspace() for ch in url):
        raise InvalidMeetingUrl(f"'{url}' contains spaces. " + HELP)
    if parts.username is not None or parts.password is not None:
        # https://zoom.us@evil.example/... reads like Zoom but goes elsewhere; no join link carries credentials.
        raise InvalidMeetingUrl("Meeting URLs must not contain a user name or password before the host. " + HELP)
    host = parts.hostname.lower()
    simulated = _parse_simulator(url, parts)
    if simulated:
        return simulated
    platform = _platform_for_host(host)
    if platform is None:
        raise InvalidMeetingUrl(f"'{host}' is not a supported meeting platform. " + HELP)
    if parts.scheme != "https":
        raise InvalidMeetingUrl(f"{Platform(platform).label} links must use https://, not http://.")
    code = _code_for(platform, host, parts)
    if code is None:
        raise InvalidMeetingUrl(f"'{url}' is a {Platform(platform).label} address but not a meeting join link. " + HELP)
    return MeetingUrl(platform=platform, url=url, code=code)


def _code_for(platform: str, host: str, parts) -> str | None:
    path = parts.path or "/"
    query = parse_qs(parts.query)
    if platform == Platform.GOOGLE_MEET:
        match = MEET_CODE.match(path)
        return match.group(1).lower() if match else None
    if platform == Platform.ZOOM:
        for pattern in ZOOM_PATHS:
            match = pattern.match(path)
            if match:
                return match.group(1)
        return None
    if platform == Platform.TEAMS:
        match = TEAMS_MEET_ID.match(path)
        if match:
            # Work-account /meet/<id> links carry their passcode in ?p=; personal (teams.live.com) ones may not.
            if host != "teams.live.com" and not query.get("p"):
                return None
            return match.group(1)
        if host == "teams.live.com":
            return None
        match = TEAMS_MEETUP_JOIN.match(path)
        if match is None and path in TEAMS_FRAGMENT_PATHS and parts.fragment:
            match = TEAMS_MEETUP_JOIN.match(parts.fragment.split("?", 1)[0])
        return unquote(match.group(1))[:200] if match else None
    if platform == Platform.WEBEX:
        match = WEBEX_MEET.match(path)
        if match:
            return match.group(1)
        mtid = query.get("MTID", [""])[0]
        if WEBEX_JPHP.match(path) and WEBEX_MTID.match(mtid):
            return mtid
        return None
    return None


def _parse_simulator(url: str, parts) -> MeetingUrl | None:
    match = SIMULATOR_PATH.match(parts.path or "")
    if not match:
        return None
    if not settings.SIMULATOR_ENABLED:
        raise InvalidMeetingUrl("Simulator meeting links are refused: the simulator is disabled on this server.")
    return MeetingUrl(platform=match.group(1), url=url, code=match.group(2), simulated=True)
