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
