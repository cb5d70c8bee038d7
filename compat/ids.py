"""Vendors' ids for Notula's objects, and back, without a table: a vendor id carries the random part
of the Notula id it stands for, so the mapping is stable and needs no storage. A vendor id that does
not have the vendor's shape names nothing (404)."""

import re

from common.errors import NotFound

_RANDOM = re.compile(r"^[A-Za-z0-9]{22}$")


def random_part(notula_id: str) -> str:
    """`bot_3cZ...` -> `3cZ...`."""
    return notula_id.partition("_")[2]


def notula_id(notula_prefix: str, random: str, *, shown_as: str) -> str:
    """The Notula id with this random part; NotFound naming `shown_as` (the vendor's id) if it has no such part."""
    if not _RANDOM.match(random):
        raise NotFound(f"No such object: '{shown_as}'.")
    return f"{notula_prefix}_{random}"
