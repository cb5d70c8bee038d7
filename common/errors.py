"""Domain errors raised by services; the API's exception handler turns them into one JSON shape."""


class NotulaError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, fields: dict | None = None, code: str | None = None, **extra):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code
        self.extra = extra


class ValidationError(NotulaError):
    status_code = 400
    code = "validation_error"


class NotFound(NotulaError):
    status_code = 404
    code = "not_found"


class Conflict(NotulaError):
    status_code = 409
    code = "conflict"


class PayloadTooLarge(NotulaError):
    status_code = 413
    code = "request_too_large"


class EarlyResponse(Exception):
    """Raised before a view runs to answer with this response instead (an idempotent replay)."""

    def __init__(self, response):
        super().__init__("early response")
        self.response = response
