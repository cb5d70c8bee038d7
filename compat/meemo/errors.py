"""Meemo's error body, which its SDK reads for the typed error's message and request id:
`{"error": {"code", "message", "params", "request_id", "recovery": {retryable, retry_after_seconds}}}`.
The fields at fault are the `params`."""

import uuid


def meemo_error_body(status: int, code: str, message: str, fields: dict) -> dict:
    return {
        "error": {
            "code": code,
            "message": message,
            "params": fields,
            "request_id": uuid.uuid4().hex,
            "recovery": {"retryable": status == 429 or status >= 500, "retry_after_seconds": None},
        }
    }


def oauth_error_body(error: str, description: str) -> dict:
    """The token endpoints answer in OAuth 2's words (RFC 6749 §5.2), which the SDK also reads."""
    return {"error": error, "error_description": description}
