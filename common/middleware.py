"""What the API refuses before any view reads the request: bodies larger than the documented limits."""

from django.conf import settings
from django.http import JsonResponse

from common.api import error_body

API_PREFIXES = ("/api/", "/simulator/api/")


def is_api_path(path: str) -> bool:
    """The native API, the simulator's, and every vendor dialect (compat/, at its configured prefix)."""
    if path.startswith(API_PREFIXES):
        return True
    return any(path.startswith(prefix.rstrip("/") + "/") for prefix in settings.COMPAT_PREFIXES.values())


class ApiBodyLimitMiddleware:
    """413 with the JSON error shape for an API request whose declared body is over its limit.

    A multipart upload (a file to transcribe) may be as large as NOTULA_IMPORT_MAX_BYTES plus room for
    its form fields; any other body, NOTULA_API_MAX_BODY_BYTES. The check reads only Content-Length, so
    nothing of an oversized body is parsed or kept in memory.
    """

    # The form fields and part headers that travel with an uploaded file.
    MULTIPART_OVERHEAD = 64 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # After URL resolution (the answer names its operation), before any view reads the body.
        return self._refusal(request) if is_api_path(request.path) else None

    def _refusal(self, request) -> JsonResponse | None:
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            return JsonResponse(error_body("bad_request", "Content-Length is not a number."), status=400)
        if request.content_type == "multipart/form-data":
            limit, code = settings.IMPORT_MAX_BYTES + self.MULTIPART_OVERHEAD, "upload_too_large"
            what = f"Uploads are limited to {settings.IMPORT_MAX_BYTES} bytes (NOTULA_IMPORT_MAX_BYTES)."
        else:
            limit, code = settings.API_MAX_BODY_BYTES, "request_too_large"
            what = f"Request bodies are limited to {settings.API_MAX_BODY_BYTES} bytes (NOTULA_API_MAX_BODY_BYTES)."
        if length > limit:
            return JsonResponse(error_body(code, f"The body is {length} bytes. {what}"), status=413)
        return None
