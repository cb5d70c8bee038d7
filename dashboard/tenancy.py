"""The organization a dashboard page works on: the session's choice among the user's memberships."""

import functools

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from accounts.memberships import organization_get_for_user, organization_list_for_user
from accounts.models import Organization
from common.errors import NotFound

SESSION_KEY = "dashboard_organization_id"


def current_organization(*, user, session) -> Organization | None:
    """The organization stored in the session if the user still belongs to it, else their first one."""
    organization = organization_get_for_user(user=user, organization_id=session.get(SESSION_KEY, ""))
    if organization is None:
        organization = organization_list_for_user(user=user).first()
        if organization is not None:
            session[SESSION_KEY] = organization.pk
    return organization


def organization_switch(*, user, session, organization_id: str) -> Organization:
    organization = organization_get_for_user(user=user, organization_id=organization_id)
    if organization is None:
        raise NotFound(f"You are not a member of organization '{organization_id}'.")
    session[SESSION_KEY] = organization.pk
    return organization


def dashboard_view(view):
    """Signed-in pages: sets request.organization and request.organizations.

    A person in no organization gets a page saying how to be added. A NotFound from a selector
    (another organization's bot or meeting) is a plain 404, like the API's.
    """

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        request.organization = current_organization(user=request.user, session=request.session)
        request.organizations = list(organization_list_for_user(user=request.user))
        if request.organization is None:
            return render(request, "dashboard/no_organization.html", status=403)
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc

    return wrapper
