"""A calendar's credentials, kept encrypted (accounts/crypto.py, NOTULA_ENCRYPTION_KEYS): a dict of
`ics_url`, or `refresh_token`, `client_id`, `client_secret`, `access_token`, `access_expires_at`."""

import json

from accounts.crypto import secret_decrypt, secret_encrypt
from calendars.models import Calendar


def credentials_read(calendar: Calendar) -> dict:
    return json.loads(secret_decrypt(calendar.credentials_encrypted)) if calendar.credentials_encrypted else {}


def credentials_write(calendar: Calendar, values: dict) -> None:
    """Set (not save) the calendar's credentials."""
    calendar.credentials_encrypted = secret_encrypt(json.dumps(values))
