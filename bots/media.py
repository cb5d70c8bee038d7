"""`GET /media/<path>`: recordings, transcript documents, debug screenshots and pages, served only to
the organization that owns them: with a signed link from an API answer (common.media), with one of the
organization's API keys, or to a dashboard user who is a member (the dashboard's players and downloads).

On an S3-compatible store (NOTULA_MEDIA_STORAGE=s3) the answer is a redirect to a presigned link of
the store, after the same checks.

Anyone else gets the API's JSON errors: 401 without credentials, 403 for an expired or altered link,
404 for another organization's file (as for any of its objects) or no file at all.
"""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.http import FileResponse, HttpResponseRedirect, JsonResponse
from django.utils._os import safe_join

from accounts.authentication import raw_key_from_headers
from accounts.models import Project
from accounts.services import api_key_authenticate
from bots.models import Bot
from common.api import error_body
from common.media import media_token_check
from common.media_store import media_exists, media_is_local, media_url
from meetings.models import Meeting


def media_owner(path: str) -> str | None:
    """The id of the organization a media path belongs to, from where each kind of file is kept."""
    parts = path.split("/")
    kind = parts[0]
    if kind in ("recordings", "imports") and len(parts) >= 3:
        return Meeting.objects.filter(pk=parts[1]).values_list("organization_id", flat=True).first()
    if kind == "documents" and len(parts) == 3:
        owner = Project.objects.filter(pk=parts[1]).values_list("organization_id", flat=True).first()
        meeting_id = Path(parts[2]).stem
        if owner and Meeting.objects.filter(pk=meeting_id, project_id=parts[1]).exists():
            return owner
        return None
    if kind == "debug":
        bots = Bot.objects.filter(Q(debug_screenshot=path) | Q(debug_html=path))
        return bots.values_list("organization_id", flat=True).first()
    if kind == "bots" and len(parts) >= 3:
        return Bot.objects.filter(pk=parts[1]).values_list("organization_id", flat=True).first()
    return None


def _error(status: int, code: str, message: str) -> JsonResponse:
    response = JsonResponse(error_body(code, message), status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Token realm="api"'
    return response


def _not_found(path: str) -> JsonResponse:
    return _error(404, "not_found", f"No file '{path}' in your organization.")


def _refusal(request, path: str, owner: str) -> JsonResponse | None:
    token = request.GET.get("token")
    if token is not None:
        verdict = media_token_check(path, token)
        if verdict == "expired":
            return _error(403, "link_expired", "This link has expired; ask the API for a fresh one.")
        if verdict != "ok":
            return _error(403, "link_invalid", "This link is not valid for this file.")
        return None
    raw_key = raw_key_from_headers(request.headers)
    if raw_key is not None:
        api_key = api_key_authenticate(raw_key=raw_key)
        if api_key is None:
            return _error(401, "authentication_failed", "Invalid or revoked API key.")
        return None if api_key.organization_id == owner else _not_found(path)
    user = request.user
    if user.is_authenticated:
        return None if user.organizations.filter(pk=owner).exists() else _not_found(path)
    return _error(401, "not_authenticated", "Send your API key, or use the signed link an API answer gave.")


def media_file(request, path: str):
    if request.method not in ("GET", "HEAD"):
        return _error(405, "method_not_allowed", f"Method {request.method} not allowed.")
    if any(part in ("", ".", "..") for part in path.split("/")):
        return _not_found(path)
    owner = media_owner(path)
    if owner is None:
        return _not_found(path)
    refusal = _refusal(request, path, owner)
    if refusal is not None:
        return refusal
    if not media_is_local():
        # The bytes come from the store itself, by a presigned link as short-lived as ours.
        if not media_exists(path):
            return _not_found(path)
        response = HttpResponseRedirect(media_url(path))
        response["Cache-Control"] = "private, no-store"
        return response
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path))
    except Exception:
        return _not_found(path)
    if not full.is_file():
        return _not_found(path)
    content_type = mimetypes.guess_type(full.name)[0] or "application/octet-stream"
    response = FileResponse(full.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=60"
    response["X-Content-Type-Options"] = "nosniff"
    return response
