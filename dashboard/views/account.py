from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from dashboard.tenancy import dashboard_view, organization_switch


@dashboard_view
def home(request):
    return redirect("dashboard:bots")


@dashboard_view
@require_POST
def switch_organization(request):
    organization = organization_switch(
        user=request.user, session=request.session, organization_id=request.POST.get("organization", "")
    )
    messages.info(request, f"Now working in {organization.name}.")
    # The page it came from may show the previous organization's bot or meeting, a 404 now.
    return redirect("dashboard:bots")
