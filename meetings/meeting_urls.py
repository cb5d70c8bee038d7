"""Meeting URL validation and platform detection.

`parse_meeting_url` answers the platform, a meeting code and the address the bot opens for a Zoom,
Google Meet, Teams or Webex join link (each platform's forms: meetings/join_links.py), or raises
InvalidMeetingUrl with a message that says what is wrong. Simulator links are accepted only while the
simulator is enabled (settings.SIMULATOR_ENABLED).
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.conf import settings

from meetings.join_links import join_link
from meetings.models import Platform


class InvalidMeetingUrl(ValueError):
    pass


@dataclass(frozen=True)
class MeetingUrl:
    platform: str
    url: str  # the link as given (trimmed)
    code: str
    simulated: bool = False
    # What the bot opens: the web client's address where the link has one (Zoom's /wc/join/<id>),
    # the canonical link where the pasted one was a wrapper (Teams' launcher), else the link itself.
    join_url: str = ""


# A simulator link: `/simulator/<platform>/` followed by the platform's own path layout
# (`/simulator/zoom/j/85012345678?pwd=...`), or by a simulated meeting's id (`/simulator/zoom/sim_...`).
SIMULATOR_PATH = re.compile(r"^/simulator/(google_meet|teams|zoom|webex)(/.*)$")
SIMULATOR_ID = re.compile(r"^/([A-Za-z0-9_-]{4,64})/?$")
TEAMS_PERSONAL_HOST = "teams.live.com"

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
    link = join_link(
        platform,
        parts.path,
        parse_qs(parts.query),
        parts.fragment,
        teams_host="personal" if host == TEAMS_PERSONAL_HOST else "work",
    )
    if link is None:
        raise InvalidMeetingUrl(f"'{url}' is a {Platform(platform).label} address but not a meeting join link. " + HELP)
    origin = f"https://{parts.netloc.lower()}"
    return MeetingUrl(platform=platform, url=url, code=link.code, join_url=origin + link.path)


def _parse_simulator(url: str, parts) -> MeetingUrl | None:
    match = SIMULATOR_PATH.match(parts.path or "")
    if not match:
        return None
    if not settings.SIMULATOR_ENABLED:
        raise InvalidMeetingUrl("Simulator meeting links are refused: the simulator is disabled on this server.")
    platform, rest = match.groups()
    base = f"{parts.scheme}://{parts.netloc}/simulator/{platform}"
    # The simulator serves a platform's links under its own host, Teams' work and personal ones alike.
    link = join_link(platform, rest, parse_qs(parts.query), parts.fragment, teams_host="any")
    if link is not None:
        return MeetingUrl(platform=platform, url=url, code=link.code, simulated=True, join_url=base + link.path)
    legacy = SIMULATOR_ID.match(rest)
    if legacy is None:
        raise InvalidMeetingUrl(f"'{url}' is a simulator address but not a meeting join link. " + HELP)
    return MeetingUrl(platform=platform, url=url, code=legacy.group(1), simulated=True, join_url=url)


def meeting_join_url(raw: str) -> str:
    """What the bot opens for this meeting link: its join_url, or the link itself when it is not one
    Notula knows (a test page, a simulator turned off since the bot was created)."""
    try:
        return parse_meeting_url(raw).join_url
    except InvalidMeetingUrl:
        return raw
