import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from accounts.services import organization_get_or_create

# Used when the simulator ships no demo scenario of its own: three people talking for a minute.
DEMO_SCENARIO = {
    "title": "Notula demo: weekly planning",
    "lobby": {"policy": "admit", "after_s": 3},
    "captions": True,
    "participants": [
        {"name": "Alice Smith", "voice": "en-us", "joins_at_s": 0, "leaves_at_s": None},
        {"name": "Bob Jones", "voice": "en-gb", "joins_at_s": 1, "leaves_at_s": None},
        {"name": "Carol White", "voice": "en-us+f3", "joins_at_s": 2, "leaves_at_s": None},
    ],
    "script": [
        {"at_s": 3, "speaker": "Alice Smith", "text": "Good morning everyone, let us start the weekly planning."},
        {"at_s": 9, "speaker": "Bob Jones", "text": "The release is ready for testing on Thursday."},
        {"at_s": 15, "speaker": "Carol White", "text": "I will write the release notes today."},
        {"at_s": 21, "speaker": "Alice Smith", "text": "Great. Bob, can you check the database migration?"},
        {"at_s": 28, "speaker": "Bob Jones", "text": "Yes, I will run it on the staging server this afternoon."},
        {"at_s": 35, "speaker": "Carol White", "text": "Then we meet again on Friday to decide."},
    ],
    "ends_at_s": None,
}


class Command(BaseCommand):
    help = "Prepare the demo: an admin user in the Demo organization, and a bot in a simulated meeting."

    def add_arguments(self, parser):
        parser.add_argument("--api-key", required=True)
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        parser.add_argument("--org", default="Demo")
        parser.add_argument("--no-bot", action="store_true", help="do not send a bot into a simulated meeting")
        parser.add_argument(
            "--bots", type=int, default=1, help="how many simulated meetings, each with a bot (NOTULA_DEMO_BOTS)"
        )

    def handle(self, *args, api_key, base_url, org, no_bot, bots=1, **options):
        organization = organization_get_or_create(name=org)
        User = get_user_model()
        password = secrets.token_urlsafe(9)
        user, _ = User.objects.get_or_create(username="admin", defaults={"email": "admin@example.com"})
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        organization.members.add(user)
        self.stdout.write(f"\n  Dashboard:  {base_url}/dashboard/  (sign in as admin / {password})")
        self.stdout.write(f"  Support:    {base_url}/admin/ (same account)")
        if not no_bot:
            self._send_bot(organization, api_key, base_url)
            for _ in range(max(bots, 1) - 1):
                self._send_bot(organization, api_key, base_url, more=True)

    def _send_bot(self, organization, api_key: str, base_url: str, *, more: bool = False) -> None:
        if not settings.SIMULATOR_ENABLED:
            self.stdout.write("\n  (The simulator is off: no demo meeting.)")
            return
        try:
            from simulator.selectors import sim_meeting_url
            from simulator.services import sim_meeting_create
        except ImportError:
            self.stdout.write("\n  (The simulator is not installed: no demo meeting.)")
            return
        from bots.services import bot_create

        meeting = sim_meeting_create(organization=organization, platform="google_meet", scenario=_demo_scenario())
        url = sim_meeting_url(meeting=meeting, base_url=base_url)
        bot = bot_create(
            organization=organization,
            meeting_url=url,
            bot_name="Notula",
            entry_message="Notula is taking notes in this meeting.",
            deduplication_key=f"demo-{meeting.pk}",
        )
        auth = f'-H "Authorization: Token {api_key}"'
        if more:
            self.stdout.write(f"  One more meeting and bot: {base_url}{_dashboard_path(bot.meeting_id)}  ({bot.id})")
            return
        self.stdout.write(
            f"""
  A simulated Google Meet with three people talking, and a bot on its way in:
      watch it live:      {base_url}{_dashboard_path(bot.meeting_id)}   (signed in as admin)
      the meeting page:   {url}
      what it saw:        curl -s {base_url}/simulator/api/meetings/{meeting.pk} {auth}
      bot:                {bot.id}
      curl -s {base_url}/api/v1/bots/{bot.id} {auth}
      curl -s {base_url}/api/v1/meetings/{bot.meeting_id}/participants {auth}
      curl -s {base_url}/api/v1/meetings/{bot.meeting_id}/transcript?format=txt {auth}
      curl -s -X POST {base_url}/api/v1/bots/{bot.id}/leave {auth}
      curl -s {base_url}/api/v1/meetings/{bot.meeting_id}/recording {auth}"""
        )


def _demo_scenario() -> dict:
    import simulator

    shipped = Path(simulator.__file__).parent / "scenarios" / "demo.json"
    if shipped.exists():
        return json.loads(shipped.read_text())
    return DEMO_SCENARIO


def _dashboard_path(meeting_id: str) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("dashboard:meeting", args=[meeting_id])
    except NoReverseMatch:
        return f"/api/v1/meetings/{meeting_id}"
