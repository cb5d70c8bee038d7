"""Where the providers push: no API key (the providers cannot send one); each notification is checked
against the channel or subscription we opened (calendars/push.py)."""

import json

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from calendars.push import push_google, push_microsoft


@csrf_exempt
@require_POST
def google_notification(request):
    ours = push_google(
        channel_id=request.headers.get("X-Goog-Channel-ID", ""),
        channel_token=request.headers.get("X-Goog-Channel-Token", ""),
        resource_state=request.headers.get("X-Goog-Resource-State", ""),
    )
    # Google stops a channel that answers 404; an unknown channel should stop.
    return HttpResponse(status=200 if ours else 404)


@csrf_exempt
@require_POST
def microsoft_notification(request):
    token = request.GET.get("validationToken")
    if token is not None:
        # Graph's handshake: the token back, as plain text, with 200.
        return HttpResponse(token, content_type="text/plain", status=200)
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return HttpResponse(status=400)
    values = body.get("value") if isinstance(body, dict) else None
    if not isinstance(values, list):
        return HttpResponse(status=400)
    push_microsoft(values)
    return HttpResponse(status=202)
