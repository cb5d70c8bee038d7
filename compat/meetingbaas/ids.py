"""Meeting BaaS ids for Notula's objects, and back, without a table.

A bot sent through this dialect is given a Notula id whose random part is its UUID written in base62
(22 characters hold 128 bits), so `uuid <-> bot id` is arithmetic. The integer ids the SDK's schemas
require (`id`, `account_id`, `bot_param_id`, transcript and word ids) are stable 48-bit numbers derived
from the Notula ids: they fit a JavaScript number and are shown, never looked up."""

import hashlib
import string
import uuid

from common.errors import NotFound

_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_WIDTH = 22


def bot_id_for_uuid(value: uuid.UUID) -> str:
    number, digits = value.int, []
    for _ in range(_WIDTH):
        number, digit = divmod(number, 62)
        digits.append(_BASE62[digit])
    return "bot_" + "".join(reversed(digits))


def new_bot_id() -> str:
    """The id of a new bot of this dialect: one that has a UUID."""
    return bot_id_for_uuid(uuid.uuid4())


def uuid_for(bot_id: str) -> str | None:
    """The bot's Meeting BaaS UUID; None for a bot not sent through this dialect."""
    random = bot_id.partition("_")[2]
    if len(random) != _WIDTH or any(ch not in _BASE62 for ch in random):
        return None
    number = 0
    for ch in random:
        number = number * 62 + _BASE62.index(ch)
    return str(uuid.UUID(int=number)) if number < 1 << 128 else None


def bot_id_from(given: str) -> str:
    """The Notula bot id a Meeting BaaS UUID stands for; NotFound naming it when it is not a UUID."""
    try:
        value = uuid.UUID(str(given))
    except ValueError:
        raise NotFound(f"No such bot: '{given}'.") from None
    return bot_id_for_uuid(value)


def number_for(notula_id: str) -> int:
    """A stable positive integer for a Notula id (48 bits: exact in JavaScript)."""
    return int.from_bytes(hashlib.sha256(notula_id.encode()).digest()[:6], "big") or 1
