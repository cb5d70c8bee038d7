from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from bots.models import BotStatus, EndFault, EndReason
from bots.selectors import bot_get, bot_list
from bots.services import bot_request_leave
from dashboard.forms import SendBotForm
from dashboard.tenancy import dashboard_view
from dashboard.views.common import back, dashboard_action
from meetings.models import Platform

PAGE_SIZE = 50


def _filters(request) -> dict:
    return {
        "status": [s for s in request.GET.getlist("status") if s in BotStatus.values],
        "platform": [p for p in request.GET.getlist("platform") if p in Platform.values],
        "end_fault": [f for f in request.GET.getlist("fault") if f in EndFault.values],
    }


@dashboard_view
def bot_list_page(request):
    """Every bot of the organization, newest first, and the form that sends one."""
    form = SendBotForm(request.POST or None, organization=request.organization)
    if request.method == "POST":
        bot = form.save(organization=request.organization)
        if bot is not None:
            messages.success(request, f"{bot.bot_name} is on its way to the meeting.")
            return redirect("dashboard:meeting", meeting_id=bot.meeting_id)
    filters = _filters(request)
    bots = bot_list(organization=request.organization, filters=filters).select_related("meeting")
    page = Paginator(bots.order_by("-created_at"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dashboard/bots.html",
        {
            "page": page,
            "form": form,
            "filters": filters,
            "filtered": bool(filters["status"] or filters["platform"] or filters["end_fault"]),
            "statuses": BotStatus.choices,
            "faults": EndFault.choices,
            "platforms": Platform.choices,
            "end_reasons": dict(EndReason.choices),
            "query": query.urlencode(),
        },
        status=400 if form.errors else 200,
    )


@dashboard_action(fallback="/dashboard/bots/")
def bot_leave(request, bot_id: str):
    bot = bot_get(organization=request.organization, bot_id=bot_id)
    bot = bot_request_leave(bot=bot)
    messages.success(request, f"{bot.bot_name} was asked to leave.")
    return back(request, f"/dashboard/meetings/{bot.meeting_id}/")
