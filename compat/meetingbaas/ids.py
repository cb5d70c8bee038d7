"""Meeting BaaS ids for Notula's objects, and back, without a table.

Bots, calendars and calendar events have ids that also stand for a UUID (common/ids.py), so
`uuid <-> id` is arithmetic. The integer ids the SDK's schemas require (`id`, `account_id`,
`bot_param_id`, transcript and word ids) are stable 48-bit numbers derived from Notula's ids: they fit
a JavaScript number and are shown, never looked up."""

import hashlib
import uuid

from common.errors import NotFound
from common.ids import id_for_uuid, uuid_of_id


def uuid_for(notula_id: str) -> str | None:
    """The object's Meeting BaaS UUID; None for one made before ids carried a UUID."""
    value = uuid_of_id(notula_id)
    return str(value) if value else None


def notula_id_from(prefix: str, given: str) -> str:
    """The Notula id a Meeting BaaS UUID stands for; NotFound naming it when it is not a UUID."""
    try:
        value = uuid.UUID(str(given))
    except ValueError:
        raise NotFound(f"No such object: '{given}'.") from None
    return id_for_uuid(prefix, value)


def bot_id_from(given: str) -> str:
    return notula_id_from("bot", given)


def number_for(notula_id: str) -> int:
    """A stable positive integer for a Notula id (48 bits: exact in JavaScript)."""
    return int.from_bytes(hashlib.sha256(notula_id.encode()).digest()[:6], "big") or 1
