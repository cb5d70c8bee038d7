#!/usr/bin/env python
"""How long a calendar's sync takes: an ICS feed (served locally) of N weekly series, four occurrences of
each in the window, every one with a meeting link, so every occurrence gets a bot.

Timed: the first sync (parse, expand, store the events, create the bots), a sync the server answers 304
(conditional GET), a forced whole re-read that finds nothing new (parse, expand, compare), and a sync
after one occurrence moved (its bot moved).

    .venv/bin/python benchmarks/calendar_sync.py [--series 25,100]
"""

import argparse
import time
from datetime import timedelta

from _setup import django_setup, machine


def one_round(series: int) -> dict:
    from django.utils import timezone

    from accounts.services import organization_get_or_create
    from calendars.connect import calendar_create
    from calendars.models import CalendarEvent
    from calendars.sync import calendar_sync
    from tests.calendar_feeds import feed, local, vevent
    from tests.server_process import ics_feed_server

    organization = organization_get_or_create(name=f"Calendar sync {time.time():.0f}-{series}")
    day = (timezone.now() + timedelta(days=2)).date()
    events = [
        vevent(
            f"s{n}",
            local(day, 8 + n % 10, (n * 7) % 60),
            rrule="FREQ=WEEKLY;COUNT=4",
            link=f"https://meet.google.com/{chr(97 + n % 26)}bc-defg-{chr(97 + n // 26 % 26)}ij",
        )
        for n in range(series)
    ]
    server = ics_feed_server()
    try:
        url = server.publish("bench", feed(*events))
        calendar = calendar_create(organization=organization, provider="ics", credentials={"ics_url": url})
        timings = {}
        for name, force in (("first", False), ("unchanged (304)", False), ("whole re-read, nothing new", True)):
            started = time.perf_counter()
            calendar_sync(calendar.id, force=force)
            timings[name] = time.perf_counter() - started
        first = local(day, 8, 0)
        moved = vevent(
            "s0", first + timedelta(hours=1), recurrence_id=first, link="https://meet.google.com/abc-defg-aij"
        )
        server.publish("bench", feed(*events, moved))
        started = time.perf_counter()
        outcome = calendar_sync(calendar.id)
        timings["one occurrence moved"] = time.perf_counter() - started
        assert outcome.bots.get("moved") == 1, outcome
        stored = CalendarEvent.objects.filter(calendar=calendar, bot__isnull=False).count()
    finally:
        server.stop()
    return {"events": stored, **timings}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--series", default="25,100")
    args = parser.parse_args()
    django_setup(database=True)
    print(machine())
    print("| Series | Occurrences with bots | First sync | 304 | Whole re-read, nothing new | One moved |")
    print("| --- | --- | --- | --- | --- | --- |")
    for series in (int(n) for n in args.series.split(",")):
        r = one_round(series)
        print(
            f"| {series} | {r['events']} | {r['first']:.2f} s | {r['unchanged (304)'] * 1000:.0f} ms | "
            f"{r['whole re-read, nothing new']:.2f} s | {r['one occurrence moved']:.2f} s |"
        )


if __name__ == "__main__":
    main()
