"""Calendars that send bots by themselves: Google, Microsoft and ICS calendars are read (sync.py), their
meetings with a link kept as CalendarEvents, and bots scheduled for them by each calendar's rules
(scheduling.py). One job per file: connect.py, credentials.py, meeting_links.py, providers/<name>.py,
sync.py, scheduling.py, push.py, tasks.py, selectors.py, api/."""
