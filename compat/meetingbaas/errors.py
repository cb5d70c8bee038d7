"""Meeting BaaS's error body. Its API answers errors as `{"error": "<message>"}` (the SDK surfaces the
AxiosError, whose `response.data` this is); Notula adds the machine-readable `code` and the fields at fault."""

MESSAGES_401 = {
    "not_authenticated": "Missing API key: send it as x-meeting-baas-api-key.",
    "authentication_failed": "Invalid API key",
}


def meetingbaas_error_body(status: int, code: str, message: str, fields: dict) -> dict:
    if status == 401:
        message = MESSAGES_401.get(code, message)
    body: dict = {"error": message, "code": code}
    if fields:
        body["fields"] = fields
    return body
