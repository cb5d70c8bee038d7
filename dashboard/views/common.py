"""Helpers shared by the dashboard's views."""

import functools

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from common.errors import NotFound, NotulaError
from dashboard.tenancy import dashboard_view


def back(request, fallback: str):
    """Where a form action returns: its `next` field when it is a local URL, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def dashboard_action(fallback: str):
    """A POST-only button: a refused action (409, 400) becomes a message on the page it came from."""

    def decorate(view):
        @dashboard_view
        @require_POST
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except NotFound:
                raise
            except NotulaError as exc:
                messages.error(request, exc.message)
                return back(request, fallback)

        return wrapper

    return decorate
