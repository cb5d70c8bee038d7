#!/usr/bin/env python
"""How fast a command reaches a bot in a call: the time from `bot_command_send` (the API's side) to the
runner acting on it, through the Redis stream of the bot, with N bots in calls at once.

Each bot is a whole runner (its own process, as a `bots` worker runs it: Chromium, capture, page loop)
on the small test meeting page (tests/pages/meeting.html). Once every bot is in its call, each gets
`--pings` ping commands at random moments (the runner records each one's latency in its
`command_done` BotEvent), then a leave, timed to the `leave_started` transition.

    .venv/bin/python benchmarks/commands.py [--bots 1,4] [--pings 20]
"""

import argparse
import functools
import http.server
import multiprocessing
import random
import threading
import time

from _setup import ROOT, django_setup, machine, percentile


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def run_bot(bot_id: str) -> None:
    """One bot in its own process, on the test page's adapter."""
    django_setup()
    from bots import runner
    from bots.platforms import registry
    from tests import engine_adapter

    registry.adapter_class = lambda platform: engine_adapter.Adapter
    runner.run(bot_id)


def one_round(count: int, pings: int, page: str) -> dict:
    from accounts.services import organization_get_or_create
    from bots.commands import bot_command_send
    from bots.models import Bot, BotEvent
    from bots.services import bot_request_leave
    from tests.factories import BotFactory, MeetingFactory

    # The benchmark database is kept between runs: an organization of this run's own.
    organization = organization_get_or_create(name=f"Commands {time.time():.0f}-{count}")
    bots = []
    for _ in range(count):
        url = f"{page}?admit=0.5&join=Alice@0.3&speak=Alice@1-60"
        bot = BotFactory(meeting=MeetingFactory(organization=organization, meeting_url=url))
        bot.settings = {**bot.settings, "transcription": {"enabled": False}}
        bot.save(update_fields=["settings"])
        bots.append(bot)
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=run_bot, args=(bot.id,)) for bot in bots]
    for process in processes:
        process.start()
    deadline = time.monotonic() + 120
    while Bot.objects.filter(pk__in=[b.id for b in bots], status="in_call").count() < count:
        if time.monotonic() > deadline:
            raise SystemExit("The bots did not get into their calls in 2 minutes.")
        time.sleep(0.2)
    time.sleep(2.0)  # start-up settles
    for _ in range(pings):
        for bot in random.sample(bots, len(bots)):
            bot_command_send(bot=bot, kind="ping")
            time.sleep(random.uniform(0.05, 0.25))
    time.sleep(2.0)
    leave_ms = []
    for bot in bots:
        asked = time.time()
        bot_request_leave(bot=bot)
        while not BotEvent.objects.filter(bot=bot, event="leave_started").exists():
            time.sleep(0.005)
        started = BotEvent.objects.get(bot=bot, event="leave_started").created_at.timestamp()
        leave_ms.append((started - asked) * 1000)
    for process in processes:
        process.join(60)
    done = BotEvent.objects.filter(bot__in=bots, event="command_done", data__command="ping")
    latencies = [event.data["latency_ms"] for event in done]
    return {"bots": count, "pings": len(latencies), "sent": pings * count, "ping_ms": latencies, "leave_ms": leave_ms}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bots", default="1,4")
    parser.add_argument("--pings", type=int, default=20)
    args = parser.parse_args()
    print(machine())
    django_setup(database=True)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(ROOT / "tests" / "pages"))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page = f"http://127.0.0.1:{server.server_port}/meeting.html"
    print("| bots | pings acted on | ping p50 | ping p95 | ping max | leave -> leave_started (each bot) |")
    print("|---|---|---|---|---|---|")
    for count in [int(n) for n in args.bots.split(",")]:
        r = one_round(count, args.pings, page)
        ping = r["ping_ms"]
        leaves = ", ".join(f"{ms:.0f}" for ms in r["leave_ms"])
        print(
            f"| {count} | {r['pings']}/{r['sent']} | {percentile(ping, 0.5):.0f} ms | {percentile(ping, 0.95):.0f} ms"
            f" | {max(ping):.0f} ms | {leaves} ms |"
        )
    server.shutdown()


if __name__ == "__main__":
    main()
