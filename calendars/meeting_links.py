"""The meeting link of a calendar event: the first join link Notula knows, looked for in the places the
providers put it, in this order: conference data (Google's video entry point and hangoutLink, Graph's
onlineMeeting.joinUrl, an ICS URL or X-GOOGLE-CONFERENCE), then the location, then the description or
body. Outlook's SafeLinks wrappers (`https://*.safelinks.protection.outlook.com/?url=<link>&...`) are
unwrapped first: Microsoft rewrites links in invitations so, and the wrapped link is the meeting's.
"""

import html
import re
from collections.abc import Iterable
from urllib.parse import parse_qs, urlsplit

from meetings.meeting_urls import InvalidMeetingUrl, parse_meeting_url

URL = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)
SAFELINKS_HOST = re.compile(r"(^|\.)safelinks\.protection\.outlook\.com$", re.IGNORECASE)


def safelinks_unwrap(url: str) -> str:
    """The link an Outlook SafeLinks wrapper stands for; any other URL as it is."""
    parts = urlsplit(url)
    if parts.hostname and SAFELINKS_HOST.search(parts.hostname):
        wrapped = parse_qs(parts.query).get("url")
        if wrapped:
            return wrapped[0]
    return url


def _urls(text: str) -> Iterable[str]:
    for match in URL.finditer(html.unescape(text or "")):
        yield safelinks_unwrap(match.group(0).rstrip(".,;"))


def meeting_link_find(sources: Iterable[str | None]) -> str:
    """The first known join link in `sources` (texts, most trusted first), or ""."""
    for text in sources:
        for url in _urls(text or ""):
            try:
                return parse_meeting_url(url).url
            except InvalidMeetingUrl:
                continue
    return ""
