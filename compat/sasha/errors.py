"""Sasha's error body: `{"error": "<message>"}` (seed 000), the message naming the field at fault."""

MESSAGES_401 = {
    "not_authenticated": "Missing API key: send it as X-API-Key.",
    "authentication_failed": "Invalid API key",
}


def sasha_error_body(status: int, code: str, message: str, fields: dict) -> dict:
    if status == 401:
        message = MESSAGES_401.get(code, message)
    return {"error": message}
