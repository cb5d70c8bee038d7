"""The simulator page: start a scripted meeting, send a bot into it, and play its host."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from bots.services import bot_create
from dashboard import selectors
from dashboard.scenarios import SCENARIOS, scenario_build
from dashboard.tenancy import dashboard_view
from dashboard.views.common import dashboard_action
from simulator import services as sim_services
from simulator.chat import sim_participant_chat
from simulator.heard import heard_speaking
from simulator.models import SimPlatform
from simulator.selectors import sim_meeting_get, sim_meeting_url, sim_meeting_view

HOST_ACTIONS = {
    "admit": (sim_services.sim_meeting_admit, "The bot was let in."),
    "deny": (sim_services.sim_meeting_deny, "The bot was refused."),
    "remove_bot": (sim_services.sim_meeting_remove_bot, "The bot was removed."),
    "end": (sim_services.sim_meeting_end, "The meeting ended."),
}


def simulator_available() -> bool:
    return settings.SIMULATOR_ENABLED


def _require_simulator() -> None:
    if not simulator_available():
        raise Http404("The simulator is disabled on this server.")


def simulated_platforms() -> list[tuple[str, str]]:
    """The platforms whose simulated web client exists."""
    found = []
    for value, label in SimPlatform.choices:
        try:
            get_template(f"simulator/{value}/meeting.html")
        except TemplateDoesNotExist:
            continue
        found.append((value, label))
    return found


def _base_url(request) -> str:
    # The bot's browser runs next to this server and reaches it where the admin did.
    return request.build_absolute_uri("/").rstrip("/")


def _send_bot(request, sim_meeting, bot_name: str):
    url = sim_meeting_url(meeting=sim_meeting, base_url=_base_url(request))
    return bot_create(organization=request.organization, meeting_url=url, bot_name=bot_name)


@dashboard_view
def simulator_page(request):
    if not simulator_available():
        return render(request, "dashboard/simulator/off.html")
    recent = selectors.sim_meeting_list_recent(organization=request.organization)
    return render(
        request,
        "dashboard/simulator/index.html",
        {
            "scenarios": [(key, title, text) for key, (title, text, _) in SCENARIOS.items()],
            "platforms": simulated_platforms(),
            "recent": recent,
            "default_bot_name": settings.DEFAULT_BOT_NAME,
        },
    )


@dashboard_action(fallback="/dashboard/simulator/")
def simulator_start(request):
    """Create a simulated meeting from a ready scenario and, unless told not to, send a bot into it."""
    _require_simulator()
    key = request.POST.get("scenario", "")
    if key not in SCENARIOS:
        raise Http404(f"No scenario '{key}'.")
    platform = request.POST.get("platform") or "google_meet"
    sim_meeting = sim_services.sim_meeting_create(
        organization=request.organization, platform=platform, scenario=scenario_build(key)
    )
    if request.POST.get("send_bot"):
        bot = _send_bot(request, sim_meeting, request.POST.get("bot_name", "").strip())
        messages.success(request, f"Started “{SCENARIOS[key][0]}” and sent {bot.bot_name} into it.")
    else:
        messages.success(request, f"Started “{SCENARIOS[key][0]}”. Send a bot to its link when you are ready.")
    return redirect("dashboard:simulator-meeting", sim_id=sim_meeting.pk)


def _sim_context(request, sim_id: str) -> dict:
    sim_meeting = sim_meeting_get(organization=request.organization, meeting_id=sim_id)
    view = sim_meeting_view(meeting=sim_meeting, base_url=_base_url(request))
    clock = view["clock_s"]
    said = [line for line in view["lines"] if clock is not None and line["at_s"] <= clock]
    return {
        "sim": view,
        "present": [p for p in view["participants"] if p["present"]],
        "said": said[-12:],
        "upcoming": len(view["lines"]) - len(said),
        "bots": selectors.bots_for_meeting_url(organization=request.organization, url=view["url"]),
        "bot_speaking": heard_speaking(sim_meeting),
    }


@dashboard_view
def simulator_meeting_page(request, sim_id: str):
    _require_simulator()
    return render(request, "dashboard/simulator/meeting.html", _sim_context(request, sim_id))


@dashboard_view
def simulator_meeting_state(request, sim_id: str):
    _require_simulator()
    return render(request, "dashboard/simulator/_state.html", _sim_context(request, sim_id))


@dashboard_action(fallback="/dashboard/simulator/")
def simulator_control(request, sim_id: str, action: str):
    """The host's buttons: admit, deny, remove the bot, end; a line said or written in the chat; someone
    joins or leaves."""
    _require_simulator()
    sim_meeting = sim_meeting_get(organization=request.organization, meeting_id=sim_id)
    post = request.POST
    if action == "send_bot":
        bot = _send_bot(request, sim_meeting, post.get("bot_name", "").strip())
        messages.success(request, f"{bot.bot_name} is on its way.")
    elif action in HOST_ACTIONS:
        service, done = HOST_ACTIONS[action]
        service(meeting=sim_meeting)
        messages.success(request, done)
    elif action == "say":
        sim_services.sim_meeting_say(
            meeting=sim_meeting, participant=post.get("participant", ""), text=post.get("text", "")
        )
    elif action == "chat":
        sim_participant_chat(meeting=sim_meeting, participant=post.get("participant", ""), text=post.get("text", ""))
    elif action == "join":
        person = sim_services.sim_participant_add(meeting=sim_meeting, name=post.get("name", ""), voice=None)
        messages.success(request, f"{person['name']} joined.")
    elif action == "leave":
        sim_services.sim_participant_leave(meeting=sim_meeting, name=post.get("name", ""))
        messages.success(request, f"{post.get('name')} left.")
    else:
        raise Http404(f"No simulator action '{action}'.")
    return redirect("dashboard:simulator-meeting", sim_id=sim_id)
