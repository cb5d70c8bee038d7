"""Timestamps as the vendors write them."""

from datetime import UTC, datetime


def iso_ms_z(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with milliseconds and a `Z` (2026-02-10T14:30:00.000Z)."""
    if moment is None:
        return None
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
