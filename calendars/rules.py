"""Whether a calendar event should have a bot: by hand (`bot_wanted`) or by its calendar's rules."""

from django.utils import timezone

from calendars.models import CalendarEvent


def _domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower() if "@" in email else ""


def event_bot_reason(event: CalendarEvent) -> tuple[bool, str]:
    """(wanted, why): why a bot is or is not sent, in a few words the dashboard shows."""
    calendar = event.calendar
    if event.is_deleted:
        return False, "cancelled"
    if not event.meeting_url:
        return False, "no meeting link"
    if event.end <= timezone.now():
        return False, "over"
    if calendar.state == calendar.State.DISCONNECTED:
        return False, "calendar disconnected"
    if event.bot_wanted is not None:
        return event.bot_wanted, "by hand"
    if not calendar.auto_schedule:
        return False, "rules: off"
    title = event.title.lower()
    skipped = next((s for s in calendar.skip_titles if s and s.lower() in title), None)
    if skipped:
        return False, f"rules: title has '{skipped}'"
    if calendar.only_accepted and event.self_response != "accepted":
        return False, "rules: not accepted"
    if calendar.only_internal:
        domains = {d.lower() for d in calendar.internal_domains} or {_domain(calendar.email)}
        if _domain(event.organizer_email) not in domains - {""}:
            return False, "rules: organiser outside the organisation"
    return True, "rules"
