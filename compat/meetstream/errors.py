"""MeetStream's error body: `{"detail": "<message>"}`, which its SDK reads as the error's message (it
reads `message`, `detail` or `error`), with the fields at fault when there are any."""


def meetstream_error_body(status: int, code: str, message: str, fields: dict) -> dict:
    body: dict = {"detail": message, "code": code}
    if fields:
        body["fields"] = fields
    return body
