"""ICS text for calendar tests: a weekly series in a time zone with daylight saving, its moved and
cancelled occurrences, single meetings; and the next daylight-saving change to put them across."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


def next_dst_change(after: datetime, zone: ZoneInfo = BERLIN) -> date:
    """The first day on or after `after` whose next day has another UTC offset in `zone`."""
    day = after.astimezone(zone).date()
    for _ in range(400):
        today = datetime.combine(day, datetime.min.time(), zone).replace(hour=12).utcoffset()
        tomorrow = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone).replace(hour=12).utcoffset()
        if today != tomorrow:
            return day + timedelta(days=1)
        day += timedelta(days=1)
    raise AssertionError("no daylight-saving change within 400 days")


def local(day: date, hour: int, minute: int = 0, zone: ZoneInfo = BERLIN) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def _stamp(moment: datetime) -> str:
    return f"TZID={moment.tzinfo}:{moment:%Y%m%dT%H%M%S}"


def vevent(
    uid: str,
    start: datetime,
    minutes: int = 30,
    *,
    title: str = "Weekly sync",
    link: str = "https://meet.google.com/abc-defg-hij",
    rrule: str = "",
    recurrence_id: datetime | None = None,
    exdates: tuple[datetime, ...] = (),
    status: str = "",
    organizer: str = "ada@acme.example",
    attendees: tuple[tuple[str, str], ...] = (("ada@acme.example", "ACCEPTED"),),
) -> str:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{datetime.now(UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART;{_stamp(start)}",
        f"DTEND;{_stamp(start + timedelta(minutes=minutes))}",
        f"SUMMARY:{title}",
        f"LOCATION:{link}",
        f"ORGANIZER;CN=Organiser:mailto:{organizer}",
        *[f"ATTENDEE;PARTSTAT={state};CN={who}:mailto:{who}" for who, state in attendees],
    ]
    if rrule:
        lines.append(f"RRULE:{rrule}")
    if recurrence_id is not None:
        lines.append(f"RECURRENCE-ID;{_stamp(recurrence_id)}")
    lines += [f"EXDATE;{_stamp(moment)}" for moment in exdates]
    if status:
        lines.append(f"STATUS:{status}")
    lines.append("END:VEVENT")
    return "\n".join(lines)


def feed(*events: str) -> str:
    return "\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Notula tests//EN", *events, "END:VCALENDAR", ""])
