"""Calendars: connect one (an ICS URL, or Google / Microsoft through their consent), its rules, its
upcoming meetings with their bots, and a toggle per meeting. Every write goes through calendars/."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from calendars import by_hand, connect, oauth_flow, selectors
from calendars.models import Calendar
from calendars.providers import ProviderError
from calendars.rules import event_bot_reason
from calendars.sync import calendar_sync
from common.errors import NotFound, NotulaError
from dashboard.tenancy import dashboard_view
from dashboard.views.common import back, dashboard_action

LIST_URL = "/dashboard/calendars/"
STATE_KEY = "calendar_oauth_state"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


@dashboard_view
def calendar_list_page(request):
    """The calendars, the form to connect an ICS URL, and the upcoming meetings with their bots."""
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = {"provider": "ics", "ics_url": request.POST.get("ics_url", "").strip()}
        if request.POST.get("email", "").strip():
            data["email"] = request.POST["email"].strip()
        try:
            calendar = connect.calendar_connect_api(
                organization=request.organization, data=data, owner=request.user, sync_now=True
            )
        except NotulaError as exc:
            errors = {name: " ".join(map(str, msgs)) for name, msgs in exc.fields.items()} or {"ics_url": exc.message}
        else:
            calendar_sync(calendar.id, force=True)
            calendar.refresh_from_db()
            if calendar.state == Calendar.State.CONNECTED:
                messages.success(request, f"Connected {calendar.name}: its meetings are listed below.")
            else:
                messages.error(request, f"Connected, but reading it failed: {calendar.state_reason}")
            return redirect(LIST_URL)
    events = list(selectors.calendar_event_list(organization=request.organization)[:200])
    rows = [{"event": e, "why": event_bot_reason(e)[1]} for e in events]
    response = render(
        request,
        "dashboard/calendars.html",
        {
            "calendars": selectors.calendar_list(organization=request.organization),
            "rows": rows,
            "errors": errors,
            "posted": request.POST,
            "oauth": {p: oauth_flow.oauth_available(p) for p in ("google", "microsoft")},
        },
        status=400 if errors else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


def _redirect_uri(request, provider: str) -> str:
    return request.build_absolute_uri(reverse("dashboard:calendar-callback", args=[provider]))


@dashboard_view
def calendar_connect(request, provider: str):
    """The Connect button: off to the provider's consent page."""
    if provider not in ("google", "microsoft"):
        raise NotFound(f"No calendar provider '{provider}'.")
    if not oauth_flow.oauth_available(provider):
        messages.error(request, f"Set NOTULA_{provider.upper()}_CLIENT_ID and _CLIENT_SECRET to connect {provider}.")
        return redirect(LIST_URL)
    url, state = oauth_flow.consent_url(provider, redirect_uri=_redirect_uri(request, provider))
    request.session[STATE_KEY] = {"state": state, "provider": provider}
    return redirect(url)


@dashboard_view
def calendar_callback(request, provider: str):
    """Back from the provider's consent: a code to exchange, or the reason it was refused."""
    expected = request.session.pop(STATE_KEY, None) or {}
    if expected.get("provider") != provider or request.GET.get("state") != expected.get("state"):
        messages.error(request, "That sign-in did not start here (its state does not match); connect again.")
        return redirect(LIST_URL)
    if request.GET.get("error"):
        messages.error(request, f"The calendar was not connected: {request.GET['error']}.")
        return redirect(LIST_URL)
    try:
        calendar = oauth_flow.consent_finish(
            organization=request.organization,
            provider=provider,
            code=request.GET.get("code", ""),
            redirect_uri=_redirect_uri(request, provider),
            owner=request.user,
        )
    except NotulaError as exc:
        messages.error(request, f"The calendar was not connected: {exc.message}")
        return redirect(LIST_URL)
    except ProviderError as exc:
        messages.error(request, f"The calendar was not connected: {exc}")
        return redirect(LIST_URL)
    messages.success(request, f"Connected {calendar.name or calendar.email}.")
    return redirect(LIST_URL)


@dashboard_action(fallback=LIST_URL)
def calendar_rules(request, calendar_id: str):
    calendar = selectors.calendar_get(organization=request.organization, calendar_id=calendar_id)
    connect.calendar_update(
        calendar=calendar,
        auto_schedule=request.POST.get("auto_schedule") == "on",
        only_accepted=request.POST.get("only_accepted") == "on",
        only_internal=request.POST.get("only_internal") == "on",
        internal_domains=_lines(request.POST.get("internal_domains", "")),
        skip_titles=_lines(request.POST.get("skip_titles", "")),
    )
    calendar_sync(calendar.id)
    messages.success(request, f"Rules of {calendar.name or calendar.email} saved.")
    return back(request, LIST_URL)


@dashboard_action(fallback=LIST_URL)
def calendar_resync(request, calendar_id: str):
    calendar = selectors.calendar_get(organization=request.organization, calendar_id=calendar_id)
    outcome = calendar_sync(calendar.id, force=True)
    if outcome.error:
        messages.error(request, outcome.error)
    else:
        messages.success(request, f"Read again: {len(outcome.changed_ids)} meetings changed.")
    return back(request, LIST_URL)


@dashboard_action(fallback=LIST_URL)
def calendar_remove(request, calendar_id: str):
    calendar = selectors.calendar_get(organization=request.organization, calendar_id=calendar_id)
    connect.calendar_delete(calendar=calendar)
    messages.success(request, "Calendar removed; its scheduled bots were deleted.")
    return back(request, LIST_URL)


@dashboard_action(fallback=LIST_URL)
def calendar_event_toggle(request, event_id: str):
    """The schedule toggle: a bot for this meeting, or none, whatever the rules say."""
    event = selectors.calendar_event_get(organization=request.organization, event_id=event_id)
    by_hand.event_bot_want(event=event, wanted=event.bot_id is None)
    return back(request, LIST_URL)
