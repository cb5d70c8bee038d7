"""The native format, signed the Standard Webhooks way (https://www.standardwebhooks.com/).

`webhook-id` is the MeetingEvent id: stable across retries and redeliveries, so receivers
deduplicate on it. The signature covers "id.timestamp.body" with the base64-decoded `whsec_` secret.
"""

import base64
import binascii
import hashlib
import hmac
import json

from webhooks.renderers.base import Rendered

USER_AGENT = "Notula-Webhooks/1.0"


def accepts(event_type: str) -> bool:
    return True


def secret_bytes(secret: str) -> bytes:
    """The HMAC key of a `whsec_<base64>` secret, as Standard Webhooks libraries decode it."""
    raw = secret.removeprefix("whsec_")
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        # Secrets issued before they were base64 are used as they are.
        return raw.encode()


def sign(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_bytes(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def render(event: dict, *, secret: str, delivery_id: str, attempt: int, now: float) -> Rendered:
    body = json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()
    timestamp = int(now)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": event["id"],
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret=secret, msg_id=event["id"], timestamp=timestamp, body=body),
    }
    return Rendered(body=body, headers=headers)
