"""Aitronos' error envelope: `{"success": false, "error": {code, message, type, status, details}}`, the
code in upper snake case and `details` naming the fields at fault."""

TYPES = {400: "validation_error", 401: "authentication_error", 404: "not_found_error", 409: "conflict_error"}


def aitronos_error_body(status: int, code: str, message: str, fields: dict) -> dict:
    return {
        "success": False,
        "error": {
            "code": code.upper(),
            "message": message,
            "type": TYPES.get(status, "client_error" if status < 500 else "server_error"),
            "status": status,
            "details": fields,
        },
    }
