"""Meeting URL validation and platform detection, on real-shaped join links good and bad."""

import re
from urllib.parse import urlsplit

import pytest

from meetings import meeting_urls
from meetings.meeting_urls import InvalidMeetingUrl, meeting_join_url, parse_meeting_url
from meetings.models import Platform

TEAMS_THREAD = "19%3ameeting_NjY4ZDM2ZTEtYzQ1Ny00YjE2LWE2YjAtNTU4ZGE1ZTM0NmU5%40thread.v2"
TEAMS_CONTEXT = (
    "context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c"
    "%22Oid%22%3a%22f4a5c1b9-3c2d-4e5f-8a9b-0c1d2e3f4a5b%22%7d"
)

# (url, platform, code)
GOOD = [
    # Zoom
    ("https://zoom.us/j/1234567890", "zoom", "1234567890"),
    ("https://zoom.us/j/81234567890?pwd=bXlQYXNzd29yZA.1", "zoom", "81234567890"),
    ("https://us02web.zoom.us/j/81234567890?pwd=aBcDeFgHiJkLmNoP", "zoom", "81234567890"),
    ("https://us06web.zoom.us/j/87654321098", "zoom", "87654321098"),
    ("https://acme.zoom.us/j/123456789", "zoom", "123456789"),
    ("https://zoom.us/wc/join/1234567890", "zoom", "1234567890"),
    ("https://us05web.zoom.us/wc/join/81234567890?pwd=xyz", "zoom", "81234567890"),
    ("https://zoom.us/wc/81234567890/join?pwd=xyz", "zoom", "81234567890"),
    ("https://zoom.us/my/jane.doe", "zoom", "jane.doe"),
    ("https://acme.zoom.us/my/ceo-office", "zoom", "ceo-office"),
    ("https://ZOOM.US/j/1234567890#success", "zoom", "1234567890"),
    ("https://zoom.us/s/1234567890", "zoom", "1234567890"),
    ("https://zoom.us/w/91234567890?tk=AbCdEf", "zoom", "91234567890"),
    ("https://agency.zoomgov.com/j/1612345678", "zoom", "1612345678"),
    ("  https://zoom.us/j/1234567890  ", "zoom", "1234567890"),
    # Google Meet
    ("https://meet.google.com/abc-defg-hij", "google_meet", "abc-defg-hij"),
    ("https://meet.google.com/abc-defg-hij?authuser=0", "google_meet", "abc-defg-hij"),
    ("https://meet.google.com/xyz-abcd-efg?pli=1&hs=122", "google_meet", "xyz-abcd-efg"),
    ("https://meet.google.com/abc-defg-hij/", "google_meet", "abc-defg-hij"),
    ("https://meet.google.com/ABC-DEFG-HIJ", "google_meet", "abc-defg-hij"),
    # Teams
    (
        f"https://teams.microsoft.com/l/meetup-join/{TEAMS_THREAD}/0?{TEAMS_CONTEXT}",
        "teams",
        "19:meeting_NjY4ZDM2ZTEtYzQ1Ny00YjE2LWE2YjAtNTU4ZGE1ZTM0NmU5@thread.v2",
    ),
    (
        f"https://teams.microsoft.com/l/meetup-join/{TEAMS_THREAD}/0",
        "teams",
        "19:meeting_NjY4ZDM2ZTEtYzQ1Ny00YjE2LWE2YjAtNTU4ZGE1ZTM0NmU5@thread.v2",
    ),
    (
        "https://teams.microsoft.com/l/meetup-join/19%3A2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d%40thread.tacv2/"
        f"1712345678901?{TEAMS_CONTEXT}",
        "teams",
        "19:2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d@thread.tacv2",
    ),
    (
        f"https://teams.microsoft.com/v2/?meetingjoin=true#/l/meetup-join/{TEAMS_THREAD}/0?{TEAMS_CONTEXT}",
        "teams",
        "19:meeting_NjY4ZDM2ZTEtYzQ1Ny00YjE2LWE2YjAtNTU4ZGE1ZTM0NmU5@thread.v2",
    ),
    ("https://teams.live.com/meet/9876543210123", "teams", "9876543210123"),
    ("https://teams.live.com/meet/9345678901234?p=AbCdEfGhIjKlMnOp", "teams", "9345678901234"),
    ("https://teams.microsoft.com/meet/27421853471524?p=3nTOsoZ6XJUyb6RR6k", "teams", "27421853471524"),
    (f"https://gov.teams.microsoft.us/l/meetup-join/{TEAMS_THREAD}/0", "teams", None),
    # Webex
    ("https://acme.webex.com/meet/jdoe", "webex", "jdoe"),
    ("https://acme.webex.com/meet/jane.doe", "webex", "jane.doe"),
    ("https://acme.my.webex.com/meet/pr1234567890", "webex", "pr1234567890"),
    (
        "https://acme.webex.com/acme/j.php?MTID=m2f4e1b6c9d0a8b7c6d5e4f3a2b1c0d9e",
        "webex",
        "m2f4e1b6c9d0a8b7c6d5e4f3a2b1c0d9e",
    ),
    ("https://acme.webex.com/j.php?MTID=m0123456789abcdef0123456789abcdef", "webex", None),
    ("https://acme.webex.com/join/jdoe", "webex", "jdoe"),
]

# (url, words the error message must contain)
BAD = [
    ("", ["required"]),
    ("   ", ["required"]),
    ("not a url", ["not an http(s) URL"]),
    ("meet.google.com/abc-defg-hij", ["not an http(s) URL"]),
    ("ftp://zoom.us/j/1234567890", ["not an http(s) URL"]),
    ("javascript:alert(1)", ["not an http(s) URL"]),
    ("https://", ["not an http(s) URL"]),
    ("https://" + "a" * 2000 + ".com", ["longer than 2000"]),
    # plain http for a real platform
    ("http://meet.google.com/abc-defg-hij", ["https"]),
    ("http://zoom.us/j/1234567890", ["https"]),
    ("http://teams.live.com/meet/9876543210123", ["https"]),
    ("http://acme.webex.com/meet/jdoe", ["https"]),
    # lookalike hosts
    ("https://meet.google.com.evil.com/abc-defg-hij", ["not a supported meeting platform"]),
    ("https://zoom.us.example.org/j/1234567890", ["not a supported meeting platform"]),
    ("https://notzoom.us/j/1234567890", ["not a supported meeting platform"]),
    ("https://evilwebex.com/meet/jdoe", ["not a supported meeting platform"]),
    ("https://teams.microsoft.com.attacker.net/l/meetup-join/x/0", ["not a supported meeting platform"]),
    ("https://zoom.us@evil.example/j/1234567890", ["user name or password"]),
    ("https://user:pass@zoom.us/j/1234567890", ["user name or password"]),
    ("https://example.com/j/1234567890", ["not a supported meeting platform"]),
    ("https://google.com/abc-defg-hij", ["not a supported meeting platform"]),
    # a platform's host but not a join link
    ("https://meet.google.com/", ["not a meeting join link"]),
    ("https://meet.google.com/landing", ["not a meeting join link"]),
    ("https://meet.google.com/abc-defg-hi", ["not a meeting join link"]),
    ("https://meet.google.com/abc-defg-hij/extra", ["not a meeting join link"]),
    ("https://zoom.us/", ["not a meeting join link"]),
    ("https://zoom.us/j/12345", ["not a meeting join link"]),
    ("https://zoom.us/j/abcdefghij", ["not a meeting join link"]),
    ("https://zoom.us/pricing", ["not a meeting join link"]),
    ("https://teams.microsoft.com/l/meetup-join/", ["not a meeting join link"]),
    ("https://teams.microsoft.com/l/meetup-join/hello/0", ["not a meeting join link"]),
    ("https://teams.microsoft.com/meet/27421853471524", ["not a meeting join link"]),
    ("https://teams.microsoft.com/l/chat/0/0?users=a@b.com", ["not a meeting join link"]),
    ("https://teams.live.com/meet/abc", ["not a meeting join link"]),
    ("https://acme.webex.com/", ["not a meeting join link"]),
    ("https://acme.webex.com/acme/j.php", ["not a meeting join link"]),
    ("https://acme.webex.com/acme/j.php?MTID=", ["not a meeting join link"]),
    ("https://acme.webex.com/acme/j.php?MTID=<script>", ["not a meeting join link"]),
    ("https://webex.com/meet/jdoe", ["not a supported meeting platform"]),
    ("https://zoom.us/j/123 4567890", ["spaces"]),
]


# The parser's patterns are named after their platform; WEBEX_MTID reads a query value, not a path.
PATTERN_PLATFORMS = {
    "MEET": Platform.GOOGLE_MEET,
    "ZOOM": Platform.ZOOM,
    "TEAMS": Platform.TEAMS,
    "WEBEX": Platform.WEBEX,
}
NOT_PATH_FORMS = {"SIMULATOR_PATH", "SIMULATOR_ID", "WEBEX_MTID"}


def _path_forms():
    """Every join-link path pattern of the parser: (platform, its name, the pattern)."""
    for name, value in vars(meeting_urls).items():
        for pattern in value if isinstance(value, list) else [value]:
            if isinstance(pattern, re.Pattern) and name not in NOT_PATH_FORMS:
                yield PATTERN_PLATFORMS[name.split("_")[0]], name, pattern


def test_every_platform_and_every_link_form_has_a_good_example():
    """A form added to the parser, or a platform added to the model, comes with an example here."""
    good = [(platform, urlsplit(url.strip())) for url, platform, _ in GOOD]
    assert {platform for platform, _ in good} == set(Platform.values)
    assert {platform for _, platform, _ in SIMULATOR_URLS} == set(Platform.values)
    for platform, name, pattern in _path_forms():
        assert any(p == platform and pattern.match(parts.path) for p, parts in good), f"{name}: {pattern.pattern}"
    teams_in_fragment = [p for p, parts in good if p == Platform.TEAMS and parts.fragment]
    assert teams_in_fragment, "a Teams link with meetup-join in the fragment"


def test_every_platform_has_a_plain_http_and_a_not_a_join_link_example():
    hosts = {platform: set() for platform in Platform.values}
    for url, platform, _ in GOOD:
        hosts[platform].add(urlsplit(url.strip()).hostname.lower())
    for platform, platform_hosts in hosts.items():
        on_platform = [(urlsplit(url), words) for url, words in BAD if urlsplit(url).hostname in platform_hosts]
        assert any(parts.scheme == "http" for parts, _ in on_platform), f"{platform}: plain http"
        assert any("not a meeting join link" in words for _, words in on_platform), f"{platform}: not a join link"


@pytest.mark.parametrize("url,platform,code", GOOD, ids=[g[0][:70] for g in GOOD])
def test_good_urls(url, platform, code, settings):
    settings.SIMULATOR_ENABLED = False
    parsed = parse_meeting_url(url)
    assert parsed.platform == platform
    assert parsed.simulated is False
    assert parsed.url == url.strip()
    if code is not None:
        assert parsed.code == code
    assert parsed.code


@pytest.mark.parametrize("url,words", BAD, ids=[b[0][:70] or "empty" for b in BAD])
def test_bad_urls(url, words, settings):
    settings.SIMULATOR_ENABLED = True
    with pytest.raises(InvalidMeetingUrl) as info:
        parse_meeting_url(url)
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize("value", [None, 42, ["https://zoom.us/j/1234567890"]])
def test_non_strings_are_refused(value):
    with pytest.raises(InvalidMeetingUrl):
        parse_meeting_url(value)


SIMULATOR_URLS = [
    ("http://127.0.0.1:8000/simulator/google_meet/standup-01", "google_meet", "standup-01"),
    ("http://localhost:8011/simulator/teams/demo_meeting", "teams", "demo_meeting"),
    ("https://notula.example.org/simulator/zoom/AbCd1234", "zoom", "AbCd1234"),
    ("http://127.0.0.1:8000/simulator/webex/weekly", "webex", "weekly"),
]


@pytest.mark.parametrize("url,platform,code", SIMULATOR_URLS)
def test_simulator_urls_accepted_while_enabled(url, platform, code, settings):
    settings.SIMULATOR_ENABLED = True
    parsed = parse_meeting_url(url)
    assert (parsed.platform, parsed.code, parsed.simulated) == (platform, code, True)


@pytest.mark.parametrize("url,platform,code", SIMULATOR_URLS)
def test_simulator_urls_refused_while_disabled(url, platform, code, settings):
    settings.SIMULATOR_ENABLED = False
    with pytest.raises(InvalidMeetingUrl, match="simulator is disabled"):
        parse_meeting_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/simulator/skype/abcd",
        "http://127.0.0.1:8000/simulator/zoom/ab",
        "http://127.0.0.1:8000/simulator/zoom/abcd/extra",
    ],
)
def test_malformed_simulator_urls_are_refused(url, settings):
    settings.SIMULATOR_ENABLED = True
    with pytest.raises(InvalidMeetingUrl):
        parse_meeting_url(url)


TEAMS_CANONICAL = (
    "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjY4ZDM2ZTEtYzQ1Ny00YjE2LWE2YjAtNTU4ZGE1ZTM0NmU5"
    "%40thread.v2/0?context=%7B%22Tid%22%3A%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2C%22Oid%22%3A"
    "%22f4a5c1b9-3c2d-4e5f-8a9b-0c1d2e3f4a5b%22%7D"
)
LIGHT_COORDS = (
    "eyJjb252ZXJzYXRpb25JZCI6IjE5Om1lZXRpbmdfTmpZNFpETTJaVEV0WXpRMU55MDBZakUyTFdFMllqQXROVFU0WkdFMVpUTTBObVU1QHRo"
    "cmVhZC52MiIsInRlbmFudElkIjoiNzJmOTg4YmYtODZmMS00MWFmLTkxYWItMmQ3Y2QwMTFkYjQ3IiwibWVzc2FnZUlkIjoiMCIsIm9yZ2Fu"
    "aXplcklkIjoiZjRhNWMxYjktM2MyZC00ZTVmLThhOWItMGMxZDJlM2Y0YTViIn0%3D"
)

# (pasted link, what the bot opens)
JOIN_URLS = [
    # Zoom: the web client, passcode and webinar token kept, trackers dropped, the host kept
    ("https://zoom.us/j/85012345678?pwd=bXlQYXNzd29yZA.1", "https://zoom.us/wc/join/85012345678?pwd=bXlQYXNzd29yZA.1"),
    ("https://us02web.zoom.us/j/85012345678?pwd=aBc&from=addon", "https://us02web.zoom.us/wc/join/85012345678?pwd=aBc"),
    ("https://acme.zoom.us/j/123456789", "https://acme.zoom.us/wc/join/123456789"),
    ("https://zoom.us/w/91234567890?tk=Tk.1&pwd=xyz", "https://zoom.us/wc/join/91234567890?pwd=xyz&tk=Tk.1"),
    ("https://zoom.us/s/1234567890?pwd=x", "https://zoom.us/wc/join/1234567890?pwd=x"),
    ("https://zoom.us/wc/81234567890/join?pwd=xyz", "https://zoom.us/wc/join/81234567890?pwd=xyz"),
    ("https://acme.zoom.us/my/jane.doe", "https://acme.zoom.us/my/jane.doe"),
    ("https://acme.zoom.us/my/jane.doe?pwd=p1", "https://acme.zoom.us/my/jane.doe?pwd=p1"),
    # Google Meet: the code alone
    ("https://meet.google.com/abc-defg-hij?authuser=1", "https://meet.google.com/abc-defg-hij"),
    ("https://meet.google.com/xyz-abcd-efg?pli=1&hs=122&authuser=a%40b.com", "https://meet.google.com/xyz-abcd-efg"),
    ("https://meet.google.com/_meet/abc-defg-hij?hs=179", "https://meet.google.com/abc-defg-hij"),
    ("https://meet.google.com/ABC-DEFG-HIJ", "https://meet.google.com/abc-defg-hij"),
    # Teams: every wrapper opens the canonical meetup-join link
    (f"https://teams.microsoft.com/l/meetup-join/{TEAMS_THREAD}/0?{TEAMS_CONTEXT}", TEAMS_CANONICAL),
    (
        f"https://teams.microsoft.com/v2/?meetingjoin=true#/l/meetup-join/{TEAMS_THREAD}/0?{TEAMS_CONTEXT}",
        TEAMS_CANONICAL,
    ),
    (
        "https://teams.microsoft.com/dl/launcher/launcher.html?url=%2F_%23%2Fl%2Fmeetup-join%2F"
        + TEAMS_THREAD.replace("%", "%25")
        + "%2F0%3F"
        + TEAMS_CONTEXT.replace("%", "%25").replace("=", "%3D")
        + "%26anon%3Dtrue&type=meetup-join&deeplinkId=d1&directDl=true&msLaunch=true&enableMobilePage=true"
        "&suppressPrompt=true",
        TEAMS_CANONICAL,
    ),
    (
        f"https://teams.microsoft.com/light-meetings/launch?agent=web&version=24060716100&coords={LIGHT_COORDS}"
        "&deeplinkId=d2",
        TEAMS_CANONICAL,
    ),
    ("https://teams.live.com/meet/9345678901234?p=AbCdEfGh", "https://teams.live.com/meet/9345678901234?p=AbCdEfGh"),
    (
        "https://teams.microsoft.com/meet/27421853471524?p=3nTOso&anon=true",
        "https://teams.microsoft.com/meet/27421853471524?p=3nTOso",
    ),
    # Webex: as pasted (the launcher page in front is passed by the bot), trackers dropped
    ("https://acme.webex.com/meet/jdoe", "https://acme.webex.com/meet/jdoe"),
    ("https://acme.webex.com/join/jdoe?launchApp=true", "https://acme.webex.com/join/jdoe"),
    (
        "https://acme.webex.com/acme/j.php?MTID=m2f4e1b6c9d0a8b7c6d5e4f3a2b1c0d9e&from=mail",
        "https://acme.webex.com/acme/j.php?MTID=m2f4e1b6c9d0a8b7c6d5e4f3a2b1c0d9e",
    ),
]


@pytest.mark.parametrize("url,join_url", JOIN_URLS, ids=[j[0][:70] for j in JOIN_URLS])
def test_links_open_what_the_web_client_needs(url, join_url, settings):
    settings.SIMULATOR_ENABLED = False
    assert parse_meeting_url(url).join_url == join_url


def test_a_teams_wrapper_names_the_same_meeting_as_its_link():
    plain = parse_meeting_url(f"https://teams.microsoft.com/l/meetup-join/{TEAMS_THREAD}/0?{TEAMS_CONTEXT}")
    light = parse_meeting_url(f"https://teams.microsoft.com/light-meetings/launch?coords={LIGHT_COORDS}")
    assert plain.code == light.code == "19:meeting_NjY4ZDM2ZTEtYzQ1Ny00YjE2LWE2YjAtNTU4ZGE1ZTM0NmU5@thread.v2"


@pytest.mark.parametrize(
    "url",
    [
        "https://teams.microsoft.com/light-meetings/launch?coords=bm90IGpzb24",  # not JSON
        "https://teams.microsoft.com/light-meetings/launch?coords=eyJhIjoxfQ",  # no conversationId
        "https://teams.microsoft.com/dl/launcher/launcher.html?url=%2Fl%2Fchat%2F0",
        "https://teams.microsoft.com/v2/#/l/chat/0/0",
    ],
)
def test_teams_wrappers_around_something_else_are_refused(url):
    with pytest.raises(InvalidMeetingUrl, match="not a meeting join link"):
        parse_meeting_url(url)


# The simulator answers a platform's own path layout under its host: the same rules, the same
# normalisation, the origin swapped.
SIMULATED_LAYOUTS = [
    (
        "http://127.0.0.1:8000/simulator/zoom/j/85012345678?pwd=Zm9v.1",
        "zoom",
        "http://127.0.0.1:8000/simulator/zoom/wc/join/85012345678?pwd=Zm9v.1",
    ),
    ("http://127.0.0.1:8000/simulator/zoom/my/sim.room", "zoom", "http://127.0.0.1:8000/simulator/zoom/my/sim.room"),
    (
        "http://127.0.0.1:8000/simulator/google_meet/abc-defg-hij?authuser=0&hs=122",
        "google_meet",
        "http://127.0.0.1:8000/simulator/google_meet/abc-defg-hij",
    ),
    (
        f"http://127.0.0.1:8000/simulator/teams/l/meetup-join/{TEAMS_THREAD}/0?{TEAMS_CONTEXT}",
        "teams",
        TEAMS_CANONICAL.replace("https://teams.microsoft.com", "http://127.0.0.1:8000/simulator/teams"),
    ),
    (
        "http://127.0.0.1:8000/simulator/teams/meet/9345678901234",
        "teams",
        "http://127.0.0.1:8000/simulator/teams/meet/9345678901234",
    ),
    (
        "http://127.0.0.1:8000/simulator/webex/sim/j.php?MTID=m0123456789abcdef0123456789abcdef",
        "webex",
        "http://127.0.0.1:8000/simulator/webex/sim/j.php?MTID=m0123456789abcdef0123456789abcdef",
    ),
    (
        "http://127.0.0.1:8000/simulator/zoom/sim_AbCd1234",
        "zoom",
        "http://127.0.0.1:8000/simulator/zoom/sim_AbCd1234",
    ),
]


@pytest.mark.parametrize("url,platform,join_url", SIMULATED_LAYOUTS, ids=[s[0][22:80] for s in SIMULATED_LAYOUTS])
def test_simulator_links_in_the_platforms_layout(url, platform, join_url, settings):
    settings.SIMULATOR_ENABLED = True
    parsed = parse_meeting_url(url)
    assert (parsed.platform, parsed.simulated, parsed.join_url) == (platform, True, join_url)


def test_the_join_url_of_an_unknown_link_is_the_link(settings):
    settings.SIMULATOR_ENABLED = False
    assert meeting_join_url("http://127.0.0.1:9/meeting.html?admit=1") == "http://127.0.0.1:9/meeting.html?admit=1"
    assert meeting_join_url("http://127.0.0.1:9/simulator/zoom/j/85012345678") == (
        "http://127.0.0.1:9/simulator/zoom/j/85012345678"
    )


def test_api_names_meeting_url_and_says_what_is_wrong(api, settings):
    settings.SIMULATOR_ENABLED = False
    cases = {
        "http://meet.google.com/abc-defg-hij": "https",
        "https://meet.google.com.evil.com/abc-defg-hij": "not a supported meeting platform",
        "http://127.0.0.1:8000/simulator/zoom/abcd": "simulator is disabled",
    }
    for url, words in cases.items():
        response = api.post("/api/v1/bots", {"meeting_url": url}, format="json")
        assert response.status_code == 400, url
        error = response.json()["error"]
        assert list(error["fields"]) == ["meeting_url"]
        assert words in error["fields"]["meeting_url"][0]
        assert words in error["message"]
