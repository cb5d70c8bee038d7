"""A simulated meeting: its scenario, and what it saw of the bot that joined it.

The runtime fields are JSON on purpose: a simulated meeting is small (a handful of people, a few dozen
lines), is always read whole, and is written under a row lock by the services.
"""

from django.db import models

from accounts.models import Organization
from common.ids import new_id


def new_sim_id() -> str:
    return new_id("sim")


class SimPlatform(models.TextChoices):
    GOOGLE_MEET = "google_meet"
    TEAMS = "teams"
    ZOOM = "zoom"
    WEBEX = "webex"


class SimStatus(models.TextChoices):
    WAITING = "waiting"  # no bot admitted yet
    LIVE = "live"  # the bot is (or was) in the call and the meeting goes on
    ENDED = "ended"


class BotSimState(models.TextChoices):
    ABSENT = "absent"  # the page was never opened
    PREJOIN = "prejoin"  # on the pre-join screen
    LOBBY = "lobby"  # asked to join, waiting for the host
    IN_CALL = "in_call"
    DENIED = "denied"
    REMOVED = "removed"
    LEFT = "left"


class SimMeeting(models.Model):
    id = models.CharField(primary_key=True, max_length=40, default=new_sim_id, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="sim_meetings")
    platform = models.CharField(max_length=20, choices=SimPlatform.choices)
    scenario = models.JSONField(help_text="The normalized scenario, as validated at creation.")
    # The identifiers a real platform would give the meeting (Zoom number and pwd, Meet code, Teams
    # thread, Webex room and MTID): its join links in the platform's shapes (simulator/doors.py).
    doors = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=SimStatus.choices, default=SimStatus.WAITING)

    # Who is in the meeting: the scenario's participants plus those added or sent away by hand.
    # Each: {id, name, voice, is_host, joins_at_s, leaves_at_s} on the meeting clock (t=0 at admission).
    people = models.JSONField(default=list)
    # Lines to speak: the script plus /say. Each: {id, at_s, speaker, text}.
    lines = models.JSONField(default=list)
    # Chat messages the meeting received: {sender, text, at}.
    chat = models.JSONField(default=list)

    bot_name = models.CharField(max_length=200, blank=True)
    bot_state = models.CharField(max_length=10, choices=BotSimState.choices, default=BotSimState.ABSENT)
    bot_mic_on = models.BooleanField(default=False)
    bot_camera_on = models.BooleanField(default=False)
    # What the page saw in the bot's camera: {has_image, mean_rgb, stddev, at}.
    bot_camera = models.JSONField(null=True, blank=True)
    # A Zoom token the bot's web client was opened with: {kind: "zak" | "obf", token}.
    bot_auth = models.JSONField(null=True, blank=True)
    # The host's permission to record, where the scenario asks for one: "" (not asked), asked, granted, denied.
    bot_recording = models.CharField(max_length=10, blank=True)
    recording_asked_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    knocked_at = models.DateTimeField(null=True, blank=True)
    admitted_at = models.DateTimeField(null=True, blank=True)
    bot_left_at = models.DateTimeField(null=True, blank=True)  # denied, removed or left
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.id} ({self.platform})"


class SimAccount(models.Model):
    """A Google or Microsoft account the simulator's sign-in pages know (the platform's user directory)."""

    class Provider(models.TextChoices):
        GOOGLE = "google"
        MICROSOFT = "microsoft"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="sim_accounts")
    provider = models.CharField(max_length=20, choices=Provider.choices)
    email = models.EmailField()
    password = models.CharField(max_length=200)  # a simulated account's, not a real one's
    display_name = models.CharField(max_length=100)
    # Asks for a second step after the password (a phone prompt, an authenticator code): no bot passes it.
    second_step = models.BooleanField(default=False)
    sign_ins = models.PositiveIntegerField(default=0)  # completed password sign-ins (a reused session adds none)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "email"], name="sim_account_unique_email")]

    def __str__(self) -> str:
        return f"{self.email} ({self.provider})"
