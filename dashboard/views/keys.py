from django.contrib import messages
from django.shortcuts import render

from accounts.services import api_key_create, api_key_revoke
from dashboard import selectors
from dashboard.forms import ApiKeyForm
from dashboard.tenancy import dashboard_view
from dashboard.views.common import back, dashboard_action


@dashboard_view
def key_list_page(request):
    """API keys: a new key and its signing secret are shown in this one answer and never again."""
    form = ApiKeyForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        issued = api_key_create(organization=request.organization, name=form.cleaned_data["name"])
        form = ApiKeyForm()
    response = render(
        request,
        "dashboard/keys.html",
        {"form": form, "issued": issued, "keys": selectors.api_key_list(organization=request.organization)},
    )
    response["Cache-Control"] = "no-store"
    return response


@dashboard_action(fallback="/dashboard/keys/")
def key_revoke(request, key_id: str):
    api_key = selectors.api_key_get(organization=request.organization, key_id=key_id)
    api_key_revoke(api_key=api_key)
    messages.success(request, f"Key {api_key.prefix}… was revoked; requests with it now get 401.")
    return back(request, "/dashboard/keys/")
