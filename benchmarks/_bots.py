"""The bots of benchmarks/live_simulator.py: each in a process of its own (a prefork bots worker) or
all as threads of one process (NOTULA_BOTS_POOL=threads), and the hosts who admit them all at once."""

import os
import time

from _cpu import ThreadCpu
from _setup import django_setup

# The hosts admit the bots once every bot waits in its lobby, this far apart (s), at most this late.
ADMIT_EVERY_S = 1.0
LOBBY_WAIT_MAX_S = 300


def run_bot(bot_id: str, threads: int, report) -> None:
    os.environ["NOTULA_ASR_CPU_THREADS"] = str(threads)
    django_setup()
    from bots.runner import run

    threads_cpu = ThreadCpu().start()
    run(bot_id)
    report.put(threads_cpu.stop())


def admit_when_all_wait(meetings: list) -> None:
    """Once every bot knocked (or LOBBY_WAIT_MAX_S passed), admit them ADMIT_EVERY_S apart."""
    from simulator.models import SimMeeting
    from simulator.services import sim_meeting_admit

    ids = [meeting.pk for meeting in meetings]
    deadline = time.monotonic() + LOBBY_WAIT_MAX_S
    while time.monotonic() < deadline:
        if SimMeeting.objects.filter(pk__in=ids, knocked_at__isnull=False).count() == len(ids):
            break
        time.sleep(0.5)
    for meeting in SimMeeting.objects.filter(pk__in=ids).order_by("knocked_at"):
        try:
            sim_meeting_admit(meeting=meeting)
        except Exception as exc:  # a bot that failed before knocking: its meeting is over
            print(f"{meeting.pk} not admitted: {exc}")
        time.sleep(ADMIT_EVERY_S)


def run_bots(bot_ids: list, threads: int, report) -> None:
    """The bots as threads of one process, as a bots worker with the threads pool runs them: they
    share the process's Django, its model and its two ASR threads."""
    import threading

    os.environ["NOTULA_ASR_CPU_THREADS"] = str(threads)
    django_setup()
    from bots.runner import run

    threads_cpu = ThreadCpu().start()
    started = []
    for index, bot_id in enumerate(bot_ids):
        started.append(threading.Thread(target=run, args=(bot_id,), name=f"bot-{index}"))
        started[-1].start()
        time.sleep(1.0 if index < len(bot_ids) - 1 else 0)
    for thread in started:
        thread.join()
    report.put(threads_cpu.stop())
