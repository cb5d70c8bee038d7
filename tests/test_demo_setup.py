from io import StringIO

from django.core.management import call_command

from bots.models import Bot
from simulator.models import SimMeeting


def test_demo_sends_a_bot_into_a_simulated_meeting_with_three_people_talking(db):
    out = StringIO()
    call_command("demo_setup", api_key="ntl_demo", base_url="http://127.0.0.1:8000", stdout=out)
    meeting = SimMeeting.objects.get()
    bot = Bot.objects.get()
    text = out.getvalue()
    assert len({p["name"] for p in meeting.people}) >= 3
    assert len({line["speaker"] for line in meeting.lines}) >= 3
    assert bot.status == "queued" and bot.platform == meeting.platform
    assert bot.meeting_url == f"http://127.0.0.1:8000/simulator/{meeting.platform}/{meeting.pk}"
    assert bot.meeting_url in text and bot.id in text
    assert f"/api/v1/bots/{bot.id}" in text and f"/api/v1/meetings/{bot.meeting_id}/participants" in text
    assert "Authorization: Token ntl_demo" in text
    assert f"/dashboard/meetings/{bot.meeting_id}/" in text and f"/simulator/api/meetings/{meeting.pk}" in text


def test_demo_with_several_bots_sends_each_into_a_meeting_of_its_own(db):
    out = StringIO()
    call_command("demo_setup", api_key="ntl_demo", base_url="http://127.0.0.1:8000", bots=3, stdout=out)
    meetings = set(SimMeeting.objects.values_list("pk", flat=True))
    bots = list(Bot.objects.all())
    assert len(meetings) == 3 and len(bots) == 3
    assert {bot.meeting_url.rsplit("/", 1)[1] for bot in bots} == meetings
    assert all(bot.id in out.getvalue() for bot in bots)
