from django.contrib import messages
from django.shortcuts import redirect, render

from dashboard import selectors
from dashboard.forms import EndpointForm
from dashboard.tenancy import dashboard_view
from dashboard.views.common import dashboard_action
from webhooks import selectors as webhook_selectors
from webhooks import services

LIST_URL = "/dashboard/webhooks/"


@dashboard_view
def webhook_list_page(request):
    """Endpoints (the signing secret of a new one is shown once) and the latest deliveries."""
    form = EndpointForm(request.POST or None)
    created = None
    if request.method == "POST":
        created = form.create(organization=request.organization)
        if created is not None:
            form = EndpointForm()
    response = render(
        request,
        "dashboard/webhooks.html",
        {
            "form": form,
            "created": created,
            "endpoints": webhook_selectors.endpoint_list(organization=request.organization),
            "deliveries": selectors.delivery_list_recent(organization=request.organization),
        },
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


@dashboard_view
def webhook_edit_page(request, endpoint_id: str):
    endpoint = webhook_selectors.endpoint_get(organization=request.organization, endpoint_id=endpoint_id)
    initial = {
        "url": endpoint.url,
        "event_types": endpoint.event_types,
        "format": endpoint.format,
        "description": endpoint.description,
    }
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.update(endpoint=endpoint) is not None:
        messages.success(request, "Endpoint saved.")
        return redirect("dashboard:webhooks")
    return render(
        request, "dashboard/webhook_edit.html", {"form": form, "endpoint": endpoint}, status=400 if form.errors else 200
    )


@dashboard_action(fallback=LIST_URL)
def webhook_toggle(request, endpoint_id: str):
    endpoint = webhook_selectors.endpoint_get(organization=request.organization, endpoint_id=endpoint_id)
    endpoint = services.endpoint_update(endpoint=endpoint, active=not endpoint.active)
    messages.success(request, f"{endpoint.url} is {'enabled' if endpoint.active else 'disabled'}.")
    return redirect(LIST_URL)


@dashboard_action(fallback=LIST_URL)
def webhook_delete(request, endpoint_id: str):
    endpoint = webhook_selectors.endpoint_get(organization=request.organization, endpoint_id=endpoint_id)
    services.endpoint_delete(endpoint=endpoint)
    messages.success(request, f"{endpoint.url} was deleted.")
    return redirect(LIST_URL)


@dashboard_action(fallback=LIST_URL)
def webhook_send_test(request, endpoint_id: str):
    endpoint = webhook_selectors.endpoint_get(organization=request.organization, endpoint_id=endpoint_id)
    result = services.endpoint_send_test(endpoint=endpoint)
    if result["delivered"]:
        messages.success(request, f"{endpoint.url} answered {result['status_code']} in {result['latency_ms']} ms.")
    else:
        answer = f"answered {result['status_code']}" if result["status_code"] else (result["error"] or "no answer")
        messages.error(request, f"The test event was not accepted: {endpoint.url} {answer}.")
    return redirect(LIST_URL)


@dashboard_action(fallback=LIST_URL)
def delivery_redeliver(request, delivery_id: str):
    delivery = webhook_selectors.delivery_get(organization=request.organization, delivery_id=delivery_id)
    services.delivery_redeliver(delivery=delivery)
    messages.success(request, f"Delivery {delivery.id} will be sent again.")
    return redirect(LIST_URL)
