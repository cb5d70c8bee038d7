"""API plumbing shared by every app: the one error shape, pagination."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, JsonResponse
from rest_framework import exceptions as drf
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from common.errors import EarlyResponse, NotulaError
from common.errors import ValidationError as NotulaValidationError
from common.inputs import StrictFieldsMixin

__all__ = ["StrictFieldsMixin", "error_body", "exception_handler", "json_error_view", "CreatedCursorPagination"]

log = logging.getLogger(__name__)


def error_body(code: str, message: str, fields: dict | None = None, **extra) -> dict:
    body = {"code": code, "message": message, "fields": fields or {}}
    body.update(extra)
    return {"error": body}


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [f"{k}: {m}" for k, v in detail.items() for m in _flatten(v)]
    if isinstance(detail, list):
        return [m for item in detail for m in _flatten(item)]
    return [str(detail)]


def _field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return {
            key: (_field_errors(value) if isinstance(value, dict) else [str(v) for v in _listify(value)])
            for key, value in detail.items()
        }
    return {"non_field_errors": [str(v) for v in _listify(detail)]}


def _listify(value) -> list:
    if isinstance(value, list):
        return [m for item in value for m in _listify(item)]
    if isinstance(value, dict):
        return _flatten(value)
    return [value]


def exception_handler(exc, context):
    """Every 4xx and 5xx of the API: {"error": {"code", "message", "fields"}}."""
    if isinstance(exc, EarlyResponse):
        return exc.response
    if isinstance(exc, NotulaError):
        return Response(error_body(exc.code, exc.message, exc.fields, **exc.extra), status=exc.status_code)
    if isinstance(exc, RequestDataTooBig):
        # Django's own cap on the non-file part of a multipart body (DATA_UPLOAD_MAX_MEMORY_SIZE).
        return Response(error_body("request_too_large", f"The request body is too large: {exc}."), status=413)
    if isinstance(exc, SuspiciousOperation):
        return Response(error_body("bad_request", f"The request was refused: {exc}."), status=400)
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = drf.PermissionDenied()
    if isinstance(exc, drf.ValidationError):
        fields = _field_errors(exc.detail)
        message = "Invalid request: " + "; ".join(_flatten(exc.detail))
        return Response(error_body("validation_error", message, fields), status=400)
    if isinstance(exc, drf.APIException):
        headers = {}
        if isinstance(exc, drf.Throttled):
            headers["Retry-After"] = str(int(exc.wait) + 1 if exc.wait is not None else 60)
        if isinstance(exc, (drf.NotAuthenticated, drf.AuthenticationFailed)):
            headers["WWW-Authenticate"] = 'Token realm="api"'
        code = exc.default_code if not isinstance(exc.detail, dict) else "error"
        status = 401 if isinstance(exc, (drf.NotAuthenticated, drf.AuthenticationFailed)) else exc.status_code
        return Response(error_body(code, str(exc.detail)), status=status, headers=headers)
    log.exception("Unhandled API error", exc_info=exc)
    return Response(error_body("internal_error", "Internal server error; the error was logged."), status=500)


def json_error_view(status: int, code: str, message: str):
    def view(request, exception=None):
        return JsonResponse(error_body(code, message), status=status)

    return view


class CreatedCursorPagination(CursorPagination):
    """Newest first. A bad cursor or limit is a 400 naming it, not a silent first page or a 404."""

    page_size = 50
    page_size_query_param = "limit"
    ordering = "-created_at"

    @property
    def max_page_size(self) -> int:
        return settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            message = f"limit must be an integer from 1 to {self.max_page_size} (NOTULA_API_MAX_PAGE_SIZE)."
            raise NotulaValidationError(message, fields={"limit": [message]})
        return int(raw)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except drf.NotFound as exc:
            message = "cursor is not valid; use the `next` or `previous` link of a previous page."
            raise NotulaValidationError(message, fields={"cursor": [message]}) from exc
