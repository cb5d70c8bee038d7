"""Opaque public ids: a type prefix and 22 random base62 characters (about 131 bits)."""

import secrets
import string
import uuid

_ALPHABET = string.ascii_letters + string.digits


def new_id(prefix: str, length: int = 22) -> str:
    return f"{prefix}_" + "".join(secrets.choice(_ALPHABET) for _ in range(length))


# Ids that also stand for a UUID: the 22 characters are a random 128-bit number in base62 (digits
# first), so a vendor API that names objects by UUID (compat/meetingbaas) maps them both ways by
# arithmetic alone.
_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_UUID_WIDTH = 22


def id_for_uuid(prefix: str, value: uuid.UUID) -> str:
    number, digits = value.int, []
    for _ in range(_UUID_WIDTH):
        number, digit = divmod(number, 62)
        digits.append(_BASE62[digit])
    return f"{prefix}_" + "".join(reversed(digits))


def new_uuid_id(prefix: str) -> str:
    return id_for_uuid(prefix, uuid.uuid4())


def uuid_of_id(public_id: str) -> uuid.UUID | None:
    """The UUID an id made by `new_uuid_id` stands for; None for an id made otherwise (most are beyond
    128 bits, and no other id is ever looked up by a UUID)."""
    random = public_id.partition("_")[2]
    if len(random) != _UUID_WIDTH or any(ch not in _BASE62 for ch in random):
        return None
    number = 0
    for ch in random:
        number = number * 62 + _BASE62.index(ch)
    return uuid.UUID(int=number) if number < 1 << 128 else None
