"""`Idempotency-Key` on POST under /api/v1 and under each vendor dialect's prefix (compat/): the first
successful answer (status and body) is kept for
NOTULA_IDEMPOTENCY_TTL_S per API key and replayed to every retry with the same key and the same request;
the same key with a different request is a 422.

Kept in the database, written in the same transaction as the work the request does: a key is recorded
if and only if its bot (or meeting, or endpoint) was created, even if the process dies in between, and
two concurrent requests with one key serialize on the unique index, so the second replays the first
instead of creating a twin. Redis would need a lock and could lose the key (eviction, a restart).
Failed requests (4xx, 5xx) are not kept: they changed nothing, and a retry runs again.
"""

import hashlib
import json
import re
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, QueryDict
from django.utils import timezone

from accounts.models import IdempotencyRecord
from common.errors import EarlyResponse, NotulaError, ValidationError

HEADER = "Idempotency-Key"
KEY_FORMAT = re.compile(r"^[\x21-\x7e]{1,255}$")
PREFIX = "/api/v1/"


class IdempotencyKeyReused(NotulaError):
    status_code = 422
    code = "idempotency_key_reused"


def _prefixes() -> tuple[str, ...]:
    return (PREFIX, *("/" + prefix.strip("/") + "/" for prefix in settings.COMPAT_PREFIXES.values()))


def _applies(request) -> bool:
    return request.method == "POST" and request.path.startswith(_prefixes()) and HEADER in request.headers


@contextmanager
def scope(request):
    """One transaction around the whole request, so the record and the work commit together."""
    if not _applies(request):
        yield
        return
    with transaction.atomic():
        yield


def _fingerprint(request) -> str:
    data = request.data
    if isinstance(data, QueryDict):
        data = {key: data.getlist(key) for key in sorted(data)}
    files = {}
    for name, upload in getattr(request, "FILES", {}).items():
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        files[name] = [upload.name, upload.size, digest.hexdigest()]
    canonical = json.dumps([request.method, request.path, data, files], sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def request_begin(view, request) -> None:
    """After authentication: replay a known key, refuse a reused one, or remember to record this one."""
    view._idempotency = None
    if not _applies(request):
        return
    key = request.headers[HEADER]
    if not KEY_FORMAT.match(key):
        message = "Idempotency-Key must be 1 to 255 visible ASCII characters (no spaces)."
        raise ValidationError(message, fields={HEADER: [message]})
    api_key = request.user.api_key
    fingerprint = _fingerprint(request)
    expired = timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_TTL_S)
    IdempotencyRecord.objects.filter(api_key=api_key, key=key, created_at__lt=expired).delete()
    try:
        # A concurrent request with this key holds the unique index until it ends: this insert waits for it,
        # then fails if that request kept its answer (replayed below) or succeeds if it rolled back.
        with transaction.atomic():
            view._idempotency = IdempotencyRecord.objects.create(
                api_key=api_key, key=key, fingerprint=fingerprint, status_code=0, content_type="", body=""
            )
        return
    except IntegrityError:
        record = IdempotencyRecord.objects.get(api_key=api_key, key=key)
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            f"Idempotency-Key '{key}' was used for a different request (another path or body) "
            f"within {settings.IDEMPOTENCY_TTL_S // 3600} hours; use a new key for a new request.",
            fields={HEADER: ["used for a different request"]},
        )
    response = HttpResponse(record.body, status=record.status_code, content_type=record.content_type)
    response["Idempotent-Replayed"] = "true"
    raise EarlyResponse(response)


def request_end(view, request, response):
    """Keep a successful first answer; anything else leaves no trace (the transaction rolls back)."""
    pending = getattr(view, "_idempotency", None)
    if pending is None:
        return response
    if not 200 <= response.status_code < 300:
        transaction.set_rollback(True)
        return response
    if hasattr(response, "render"):
        response.render()
    pending.status_code = response.status_code
    pending.content_type = response.get("Content-Type", "application/json")
    pending.body = response.content.decode()
    pending.save(update_fields=["status_code", "content_type", "body"])
    return response


def idempotency_records_purge() -> int:
    """Forget keys older than NOTULA_IDEMPOTENCY_TTL_S (beat, hourly)."""
    expired = timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_TTL_S)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=expired).delete()
    return deleted
