import re

import pytest
from django.core.management import call_command

from bots.models import Bot, BotStatus
from meetings import exports
from tests.dashboard.conftest import PASSWORD, make_user
from tests.factories import BotFactory, MeetingEventFactory, ParticipantFactory, SegmentFactory

PAGES = ["/dashboard/bots/", "/dashboard/keys/", "/dashboard/webhooks/", "/dashboard/simulator/"]


@pytest.mark.parametrize(
    "url",
    [
        *PAGES,
        "/dashboard/meetings/mtg_x/",
        "/dashboard/meetings/mtg_x/transcript.txt",
        "/dashboard/meetings/mtg_x/fragments/transcript",
        "/dashboard/webhooks/whe_x/edit",
        "/dashboard/simulator/sim_x/",
        "/dashboard/simulator/sim_x/state",
    ],
)
def test_pages_require_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/login/?next={url}"


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/organization/",
        "/dashboard/bots/",
        "/dashboard/bots/bot_x/leave",
        "/dashboard/keys/",
        "/dashboard/keys/key_x/revoke",
        "/dashboard/webhooks/",
        "/dashboard/webhooks/whe_x/toggle",
        "/dashboard/webhooks/whe_x/delete",
        "/dashboard/webhooks/whe_x/test",
        "/dashboard/deliveries/dlv_x/redeliver",
        "/dashboard/simulator/start",
        "/dashboard/simulator/sim_x/end",
    ],
)
def test_actions_require_sign_in(client, db, url):
    response = client.post(url, {"scenario": "planning", "meeting_url": "https://meet.google.com/abc-defg-hij"})
    assert response.status_code == 302 and response["Location"].startswith("/dashboard/login/?next=")


def test_root_leads_to_the_dashboard(signed_in):
    assert signed_in.get("/")["Location"] == "/dashboard/"
    assert signed_in.get("/dashboard/")["Location"] == "/dashboard/bots/"


def test_sign_in_and_out(client, user):
    page = client.get("/dashboard/login/")
    assert page.status_code == 200 and b'name="password"' in page.content
    wrong = client.post("/dashboard/login/", {"username": "alice", "password": "nope"})
    assert wrong.status_code == 200 and b"correct username and password" in wrong.content
    right = client.post("/dashboard/login/", {"username": "alice", "password": PASSWORD})
    assert right.status_code == 302 and right["Location"] == "/dashboard/"
    assert client.get("/dashboard/bots/").status_code == 200
    assert client.post("/dashboard/logout/")["Location"] == "/dashboard/login/"
    assert client.get("/dashboard/bots/").status_code == 302


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders(signed_in, url):
    response = signed_in.get(url)
    assert response.status_code == 200
    assert b"Acme" in response.content


def test_a_user_in_no_organization_is_told_what_to_do(client, db):
    client.force_login(make_user("loner"))
    response = client.get("/dashboard/bots/")
    assert response.status_code == 403
    assert b"not in an organization" in response.content


def test_bots_page_lists_only_the_organizations_bots(signed_in, org, other_org):
    mine = BotFactory(meeting__organization=org, status=BotStatus.IN_CALL)
    theirs = BotFactory(meeting__organization=other_org)
    content = signed_in.get("/dashboard/bots/").content.decode()
    assert f'data-bot-id="{mine.id}"' in content
    assert theirs.id not in content
    assert 'data-status="in_call"' in content


def test_bots_page_filters_by_status_and_platform(signed_in, org):
    in_call = BotFactory(meeting__organization=org, status=BotStatus.IN_CALL)
    ended = BotFactory(meeting__organization=org, status=BotStatus.ENDED, end_reason="everyone_left")
    zoom = BotFactory(meeting__organization=org, meeting__platform="zoom", status=BotStatus.ENDED)
    by_status = signed_in.get("/dashboard/bots/?status=ended").content.decode()
    assert ended.id in by_status and zoom.id in by_status and in_call.id not in by_status
    assert "everyone_left" in by_status
    both = signed_in.get("/dashboard/bots/?status=ended&platform=zoom").content.decode()
    assert zoom.id in both and ended.id not in both
    none = signed_in.get("/dashboard/bots/?status=failed").content.decode()
    assert "No bot matches these filters" in none


def test_empty_bots_page_says_what_to_do(signed_in):
    content = signed_in.get("/dashboard/bots/").content.decode()
    assert "No bots yet" in content and "/dashboard/simulator/" in content


def test_send_a_bot(signed_in, org):
    response = signed_in.post(
        "/dashboard/bots/",
        {
            "meeting_url": "https://meet.google.com/abc-defg-hij",
            "bot_name": "Scribe",
            "when": "now",
            "transcription_backend": "faster-whisper",
            "transcription_model": "tiny.en",
            "transcription_language": "en",
            "recording_mode": "speaker_view",
        },
    )
    bot = Bot.objects.get(organization=org)
    assert response.status_code == 302 and response["Location"] == f"/dashboard/meetings/{bot.meeting_id}/"
    assert bot.bot_name == "Scribe" and bot.status == BotStatus.QUEUED and bot.platform == "google_meet"
    assert bot.settings["recording"]["mode"] == "speaker_view"
    assert bot.settings["transcription"]["model"] == "tiny.en"


def test_send_a_bot_later(signed_in, org):
    response = signed_in.post(
        "/dashboard/bots/",
        {"meeting_url": "https://zoom.us/j/123456789", "when": "later", "join_at": "2099-01-01T10:00:00Z"},
    )
    assert response.status_code == 302
    bot = Bot.objects.get(organization=org)
    assert bot.status == BotStatus.SCHEDULED and bot.join_at.year == 2099


def _form_errors(content: str, field: str) -> list[str]:
    return re.findall(rf'data-error-for="{field}">([^<]*)<', content)


@pytest.mark.parametrize(
    "body, api_field, form_field",
    [
        ({"meeting_url": "https://example.com/x"}, "meeting_url", "meeting_url"),
        ({"meeting_url": ""}, "meeting_url", "meeting_url"),
        (
            {"meeting_url": "https://meet.google.com/abc-defg-hij", "join_at": "2001-01-01T00:00:00Z"},
            "join_at",
            "join_at_local",
        ),
        (
            {"meeting_url": "https://meet.google.com/abc-defg-hij", "transcription": {"backend": "nope"}},
            "transcription",
            "transcription_backend",
        ),
    ],
)
def test_form_errors_read_like_the_api(signed_in, api, org, body, api_field, form_field):
    from html import unescape

    api_error = api.post("/api/v1/bots", body, format="json").json()["error"]["fields"][api_field]
    api_messages = api_error["backend"] if isinstance(api_error, dict) else api_error
    form = {"meeting_url": body["meeting_url"], "when": "now"}
    if "join_at" in body:
        form.update(when="later", join_at=body["join_at"])
    if "transcription" in body:
        form["transcription_backend"] = body["transcription"]["backend"]
    response = signed_in.post("/dashboard/bots/", form)
    assert response.status_code == 400
    assert [unescape(m) for m in _form_errors(response.content.decode(), form_field)] == api_messages
    assert not Bot.objects.filter(organization=org).exists()


def test_join_later_needs_a_time(signed_in, org):
    response = signed_in.post("/dashboard/bots/", {"meeting_url": "https://zoom.us/j/123456789", "when": "later"})
    assert response.status_code == 400
    assert _form_errors(response.content.decode(), "join_at_local") == ["Pick the date and time the bot should join."]


def test_a_duplicate_bot_is_refused_with_the_api_message(signed_in, org):
    url = "https://meet.google.com/abc-defg-hij"
    assert signed_in.post("/dashboard/bots/", {"meeting_url": url, "when": "now"}).status_code == 302
    again = signed_in.post("/dashboard/bots/", {"meeting_url": url, "when": "now"})
    first = Bot.objects.get(organization=org)
    assert again.status_code == 400
    assert f"Bot {first.id} (queued) was created for this meeting_url" in again.content.decode()


def test_meeting_page_shows_bot_participants_transcript_and_downloads(signed_in, org):
    bot = BotFactory(meeting__organization=org, status=BotStatus.ENDED, end_reason="everyone_left")
    meeting = bot.meeting
    ParticipantFactory(meeting=meeting, name="Alice Smith")
    SegmentFactory(meeting=meeting, speaker="Alice Smith", text="Good morning everyone.")
    SegmentFactory(meeting=meeting, speaker="Bob Jones", text="Morning Alice.")
    MeetingEventFactory(meeting=meeting, type="coach.insight", payload={"category": "pace", "text": "Slow down a bit"})
    content = signed_in.get(f"/dashboard/meetings/{meeting.id}/").content.decode()
    assert "Alice Smith" in content and "Good morning everyone." in content and "Morning Alice." in content
    assert "everyone_left" in content and "Slow down a bit" in content
    for fmt in exports.FORMATS:
        assert f"/dashboard/meetings/{meeting.id}/transcript.{fmt}" in content
    assert "Leave now" not in content  # an ended bot cannot leave
    assert f'data-after="{meeting.event_seq}"' in content


def test_a_live_meeting_replays_its_log_and_offers_leave(signed_in, org):
    bot = BotFactory(meeting__organization=org, status=BotStatus.IN_CALL)
    content = signed_in.get(f"/dashboard/meetings/{bot.meeting_id}/").content.decode()
    assert 'data-after="0"' in content and 'data-live="1"' in content
    assert f"/dashboard/bots/{bot.id}/leave" in content and "Leave now" in content


@pytest.mark.parametrize("fmt", list(exports.FORMATS))
def test_transcript_downloads(signed_in, org, fmt):
    meeting = BotFactory(meeting__organization=org).meeting
    SegmentFactory(meeting=meeting, speaker="Alice Smith", text="Good morning everyone.")
    response = signed_in.get(f"/dashboard/meetings/{meeting.id}/transcript.{fmt}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{meeting.id}.{fmt}"'
    body = response.content.decode()
    assert "Good morning everyone." in body
    if fmt != "json":
        assert body == exports.render(meeting, list(meeting.segments.all()), fmt)


def test_unknown_transcript_format_is_404(signed_in, org):
    meeting = BotFactory(meeting__organization=org).meeting
    assert signed_in.get(f"/dashboard/meetings/{meeting.id}/transcript.docx").status_code == 404


def test_fragments(signed_in, org):
    meeting = BotFactory(meeting__organization=org, status=BotStatus.ENDED).meeting
    SegmentFactory(meeting=meeting, text="Fragment words.")
    assert b"Fragment words." in signed_in.get(f"/dashboard/meetings/{meeting.id}/fragments/transcript").content
    assert signed_in.get(f"/dashboard/meetings/{meeting.id}/fragments/media").status_code == 200
    assert signed_in.get(f"/dashboard/meetings/{meeting.id}/fragments/secrets").status_code == 404


def test_another_organizations_meeting_and_bot_are_404(signed_in, other_org):
    bot = BotFactory(meeting__organization=other_org, status=BotStatus.IN_CALL)
    meeting_id = bot.meeting_id
    assert signed_in.get(f"/dashboard/meetings/{meeting_id}/").status_code == 404
    assert signed_in.get(f"/dashboard/meetings/{meeting_id}/transcript.txt").status_code == 404
    assert signed_in.get(f"/dashboard/meetings/{meeting_id}/fragments/transcript").status_code == 404
    assert signed_in.post(f"/dashboard/bots/{bot.id}/leave").status_code == 404
    bot.refresh_from_db()
    assert bot.leave_requested_at is None


def test_leave_now(signed_in, org):
    bot = BotFactory(meeting__organization=org, status=BotStatus.IN_CALL)
    response = signed_in.post(f"/dashboard/bots/{bot.id}/leave", {"next": f"/dashboard/meetings/{bot.meeting_id}/"})
    assert response.status_code == 302 and response["Location"] == f"/dashboard/meetings/{bot.meeting_id}/"
    bot.refresh_from_db()
    assert bot.leave_requested_at is not None


def test_leave_a_queued_bot_ends_it(signed_in, org):
    bot = BotFactory(meeting__organization=org, status=BotStatus.QUEUED)
    signed_in.post(f"/dashboard/bots/{bot.id}/leave")
    bot.refresh_from_db()
    assert bot.status == BotStatus.ENDED and bot.end_reason == "left_by_request"


def test_leave_an_ended_bot_says_why_not(signed_in, org):
    bot = BotFactory(meeting__organization=org, status=BotStatus.ENDED)
    page = signed_in.post(f"/dashboard/bots/{bot.id}/leave", follow=True)
    assert f"Bot {bot.id} has already ended." in page.content.decode()


def test_leave_is_post_only(signed_in, org):
    bot = BotFactory(meeting__organization=org, status=BotStatus.IN_CALL)
    assert signed_in.get(f"/dashboard/bots/{bot.id}/leave").status_code == 405


def test_organization_switcher(client, org, other_org):
    user = make_user("carol", org, other_org)
    client.force_login(user)
    acme_bot = BotFactory(meeting__organization=org)
    globex_bot = BotFactory(meeting__organization=other_org)
    first = client.get("/dashboard/bots/").content.decode()
    assert 'id="org-select"' in first and acme_bot.id in first and globex_bot.id not in first
    assert client.post("/dashboard/organization/", {"organization": other_org.pk}).status_code == 302
    second = client.get("/dashboard/bots/").content.decode()
    assert globex_bot.id in second and acme_bot.id not in second
    assert client.get(f"/dashboard/meetings/{acme_bot.meeting_id}/").status_code == 404


def test_cannot_switch_to_an_organization_one_is_not_in(signed_in, other_org):
    assert signed_in.post("/dashboard/organization/", {"organization": other_org.pk}).status_code == 404
    assert b"Globex" not in signed_in.get("/dashboard/bots/").content


def test_demo_setup_prints_the_dashboard(db, capsys):
    call_command("demo_setup", "--api-key", "ntl_x", "--base-url", "http://127.0.0.1:8000")
    out = capsys.readouterr().out
    match = re.search(r"http://127.0.0.1:8000/dashboard/ +\(sign in as admin / (\S+)\)", out)
    assert match
    bot = Bot.objects.get()  # the demo's bot in its simulated meeting
    assert f"http://127.0.0.1:8000/dashboard/meetings/{bot.meeting_id}/" in out
    from django.test import Client

    client = Client()
    assert client.post("/dashboard/login/", {"username": "admin", "password": match.group(1)}).status_code == 302
    assert client.get("/dashboard/bots/").status_code == 200
    assert client.get(f"/dashboard/meetings/{bot.meeting_id}/").status_code == 200
    assert client.get(f"/dashboard/meetings/{bot.meeting_id}/").status_code == 200


def test_summary_notes_and_keywords_are_shown_escaped(signed_in, org):
    from meetings.models import Meeting

    meeting = BotFactory(meeting__organization=org, status=BotStatus.ENDED).meeting
    Meeting.objects.filter(pk=meeting.pk).update(
        summary="- **Alice Smith**: we ship on Friday.\n- Bob <script>alert(1)</script> writes notes.",
        notes="## Action items\n- Bob: release notes by Thursday",
        keywords=["release", "friday"],
    )
    content = signed_in.get(f"/dashboard/meetings/{meeting.id}/").content.decode()
    assert "<li><strong>Alice Smith</strong>: we ship on Friday.</li>" in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content and "<script>alert(1)" not in content
    assert "<h3>Action items</h3>" in content and "<li>Bob: release notes by Thursday</li>" in content
    assert '<span class="tag">release</span>' in content


def test_one_player_per_kind_and_every_file_to_download(signed_in, org, settings, tmp_path):
    from meetings.models import Recording

    settings.MEDIA_ROOT = tmp_path
    meeting = BotFactory(meeting__organization=org, status=BotStatus.ENDED).meeting
    for kind, fmt in (("audio", "flac"), ("audio", "mp3"), ("video", "mp4")):
        Recording.objects.create(meeting=meeting, kind=kind, format=fmt, file=f"recordings/{meeting.id}.{fmt}")
    content = signed_in.get(f"/dashboard/meetings/{meeting.id}/fragments/media").content.decode()
    assert re.findall(r'<(audio|video) controls[^>]*data-format="(\w+)"', content) == [
        ("audio", "mp3"),
        ("video", "mp4"),
    ]
    for fmt in ("flac", "mp3", "mp4"):
        assert f"/media/recordings/{meeting.id}.{fmt}" in content


def test_send_a_bot_to_every_published_link_shape_of_the_simulator(signed_in, org, settings):
    from accounts.bot_accounts import bot_account_create
    from simulator.doors import door_links
    from simulator.services import sim_meeting_create

    settings.SIMULATOR_ENABLED = True
    settings.NOTULA_DEDUP_WINDOW_S = 0
    account = bot_account_create(organization=org, provider="google", email="bot@acme.example", password="pw")
    assert f'value="{account.id}"' in signed_in.get("/dashboard/bots/").content.decode()
    for platform in ("zoom", "google_meet", "teams", "webex"):
        meeting = sim_meeting_create(organization=org, platform=platform, scenario={})
        for shape, link in door_links(meeting, "http://testserver").items():
            signed_as = account.id if platform == "google_meet" else ""
            response = signed_in.post("/dashboard/bots/", {"meeting_url": link, "when": "now", "join_as": signed_as})
            assert response.status_code == 302, (shape, link, response.content.decode()[:500])
            bot = Bot.objects.filter(organization=org).latest("created_at")
            assert (bot.meeting_url, bot.platform, bot.join_as_id) == (link, platform, signed_as or None)
