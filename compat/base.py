"""What every dialect's views share: the vendor's error body for every error, and JSON 404s.

A dialect view is a native `ApiView` (API key auth, strict query strings, idempotency, rate limit)
whose errors are reshaped by `error_body(status, code, message, fields)` into the vendor's own. Its
paths are the vendor's, not Notula's: the native OpenAPI document leaves them out (docs/compat.md
describes them)."""

from collections.abc import Callable

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from accounts.api import ApiView
from common.api import exception_handler

ErrorBody = Callable[[int, str, str, dict], dict]


def _reshaped(error_body: ErrorBody, field_names: dict[str, str]):
    def handler(exc, context):
        response = exception_handler(exc, context)
        data = getattr(response, "data", None)  # an idempotent replay is a plain HttpResponse
        error = data.get("error") if isinstance(data, dict) else None
        # Only Notula's own error shape is rewritten: an idempotent replay is already the vendor's.
        if response is not None and response.status_code >= 400 and isinstance(error, dict):
            fields, message = _in_vendor_words(error.get("fields") or {}, error["message"], field_names)
            response.data = error_body(response.status_code, error["code"], message, fields)
        return response

    return handler


def _in_vendor_words(fields: dict, message: str, field_names: dict[str, str]) -> tuple[dict, str]:
    """A service's error names Notula's fields (`meeting_url`); the vendor's client sent its own (`url`)."""
    renamed = {field_names.get(name, name): errors for name, errors in fields.items()}
    unnamed = [name for name in renamed if name not in message]
    if unnamed:
        message = f"{', '.join(unnamed)}: {message}"
    return renamed, message


class DialectView(ApiView):
    schema = None  # the vendor's API, not Notula's: out of /api/schema/
    error_body: ErrorBody
    # Notula's input names -> the vendor's, for errors raised by the services.
    field_names: dict[str, str] = {}

    def get_exception_handler(self):
        return _reshaped(type(self).error_body, self.field_names)


def not_found_view(error_body: ErrorBody):
    """Any other path under a dialect's prefix: the vendor's 404 body, whatever the method (never a
    redirect to a slashed path, never an HTML page)."""

    @csrf_exempt
    def view(request, rest: str = ""):
        return JsonResponse(error_body(404, "not_found", f"No such endpoint: {request.path}", {}), status=404)

    return view
