"""The pages in front of each simulated client, answering the platform's own path layout under
`/simulator/<platform>/`: Zoom's launcher and personal links, Teams' launcher, light meetings and new
client, Webex's launcher and web app. docs/simulator.md ("Front doors") names the source of each.
"""

import base64
import binascii
import json
import re
import uuid
from urllib.parse import quote, unquote, urlencode

from django.shortcuts import redirect
from django.views.decorators.clickjacking import xframe_options_sameorigin

from simulator.doors import teams_coords
from simulator.pages import not_found_page, render_page, simulator_on, web_client
from simulator.selectors import sim_meeting_at_door

ROOT = "/simulator"
# A Teams thread inside a launcher's url= (percent-encoded once or twice, or not at all).
TEAMS_THREAD = re.compile(r"/l/meetup-join/(19(?:%3a|:)[^/?#]+?(?:%40|@)thread\.[a-z0-9]+)/", re.IGNORECASE)
TEAMS_APP_VERSION = "25010000000"


def _with_language(request, url: str) -> str:
    """A redirect keeps ?hl= (the browser's Accept-Language follows by itself)."""
    hl = request.GET.get("hl")
    return f"{url}{'&' if '?' in url else '?'}hl={quote(hl)}" if hl else url


# --- Zoom ---------------------------------------------------------------------------------------------------
def zoom_launcher(request, kind: str, number: str):
    """/j/<id>, /w/<id>, /s/<id>: 'Launch Meeting', and once that was tried, 'Join from your browser'."""
    simulator_on()
    meeting = sim_meeting_at_door(platform="zoom", key="number", value=number)
    if meeting is None:
        return not_found_page(request, "zoom", number)
    query = request.GET.urlencode()
    context = {
        "title": meeting.scenario["title"],
        "number": number,
        "web_client": f"{ROOT}/zoom/wc/join/{number}" + (f"?{query}" if query else ""),
        # OneTrust's banner shows until accepted, and the choice is remembered in a cookie.
        "cookie_banner": "OptanonAlertBoxClosed" not in request.COOKIES,
    }
    return render_page(request, "zoom", "launcher.html", context)


def zoom_personal(request, vanity: str):
    """/my/<name>: Zoom redirects a personal link to the meeting's launcher, passcode included."""
    simulator_on()
    meeting = sim_meeting_at_door(platform="zoom", key="vanity", value=vanity)
    if meeting is None:
        return not_found_page(request, "zoom", vanity)
    doors = meeting.doors
    return redirect(_with_language(request, f"{ROOT}/zoom/j/{doors['number']}?pwd={quote(doors['pwd'])}"))


def zoom_web_client(request, number: str):
    """/wc/join/<id> and /wc/<id>/join: the web client itself."""
    simulator_on()
    meeting = sim_meeting_at_door(platform="zoom", key="number", value=number)
    if meeting is None:
        return not_found_page(request, "zoom", number)
    return web_client(request, meeting)


# --- Teams --------------------------------------------------------------------------------------------------
def teams_meetup_join(request, thread: str, message: str):
    """/l/meetup-join/...: Teams sends every meeting link through its launcher, the link in ?url=."""
    simulator_on()
    inner = "/_#" + request.path[len(f"{ROOT}/teams") :] + (f"?{request.GET.urlencode()}" if request.GET else "")
    query = urlencode(
        {
            "url": inner,
            "type": "meetup-join",
            "deeplinkId": str(uuid.uuid4()),
            "directDl": "true",
            "msLaunch": "true",
            "enableMobilePage": "true",
            "suppressPrompt": "true",
        }
    )
    return redirect(_with_language(request, f"{ROOT}/teams/dl/launcher/launcher.html?{query}"))


def _teams_light_url(request, meeting) -> str:
    query = urlencode({"agent": "web", "version": TEAMS_APP_VERSION, "coords": teams_coords(meeting.doors)})
    return _with_language(request, f"{ROOT}/teams/light-meetings/launch?{query}")


def teams_launcher(request):
    """/dl/launcher/launcher.html?url=...: 'How do you want to join?' with 'Continue on this browser'."""
    simulator_on()
    match = TEAMS_THREAD.search(unquote(request.GET.get("url", "")))
    thread = unquote(unquote(match.group(1))) if match else ""
    meeting = sim_meeting_at_door(platform="teams", key="thread", value=thread)
    if meeting is None:
        return not_found_page(request, "teams", thread or "launcher")
    context = {
        "title": meeting.scenario["title"],
        "browser_url": _teams_light_url(request, meeting),
        "style": "classic",
    }
    return render_page(request, "teams", "launcher.html", context)


def teams_meet(request, meet_id: str):
    """/meet/<id>?p=<passcode>: the newer launcher, 'Join on the web instead'."""
    simulator_on()
    meeting = sim_meeting_at_door(platform="teams", key="meet_id", value=meet_id)
    passcode = request.GET.get("p")
    if meeting is None or (passcode is not None and passcode != meeting.doors["passcode"]):
        return not_found_page(request, "teams", meet_id)
    context = {"title": meeting.scenario["title"], "browser_url": _teams_light_url(request, meeting), "style": "new"}
    return render_page(request, "teams", "launcher.html", context)


def teams_light(request):
    """/light-meetings/launch?coords=...: the guest client's pre-join screen."""
    simulator_on()
    meeting = sim_meeting_at_door(platform="teams", key="thread", value=_coords_thread(request.GET.get("coords", "")))
    if meeting is None:
        return not_found_page(request, "teams", "light-meetings")
    return web_client(request, meeting)


def _coords_thread(coords: str) -> str:
    try:
        data = json.loads(base64.b64decode(coords + "=" * (-len(coords) % 4)))
    except (ValueError, binascii.Error):
        return ""
    return str(data.get("conversationId", "")) if isinstance(data, dict) else ""


def teams_client(request):
    """/v2/ and /_: the web client reads the meeting from the fragment, which only the page sees."""
    simulator_on()
    return render_page(request, "teams", "client_router.html", {"root": f"{ROOT}/teams"})


# --- Webex --------------------------------------------------------------------------------------------------
def webex_launcher(request, room: str = "", site: str = ""):
    """/meet/<room>, /join/<room>, [/<site>]/j.php?MTID=: 'Launching Webex...', 'Join from this browser'."""
    simulator_on()
    if room:
        meeting = sim_meeting_at_door(platform="webex", key="room", value=room)
    else:
        meeting = sim_meeting_at_door(platform="webex", key="mtid", value=request.GET.get("MTID", ""))
    if meeting is None:
        return not_found_page(request, "webex", room or request.GET.get("MTID", "j.php"))
    doors = meeting.doors
    web_app = _with_language(
        request, f"{ROOT}/webex/wbxmjs/joinservice/sites/{doors['site']}/meeting/download/{doors['key']}"
    )
    context = {
        "title": meeting.scenario["title"],
        "web_app": web_app,
        "cookie_banner": "notice_behavior" not in request.COOKIES,
    }
    return render_page(request, "webex", "launcher.html", context)


@xframe_options_sameorigin
def webex_web_app(request, site: str, key: str):
    """The web app: the meeting inside iframe#unified-webclient-iframe, as Webex draws it."""
    simulator_on()
    meeting = sim_meeting_at_door(platform="webex", key="key", value=key)
    if meeting is None:
        return not_found_page(request, "webex", key)
    return render_page(request, "webex", "frame.html", {"src": _with_language(request, f"{ROOT}/webex/{meeting.pk}")})
