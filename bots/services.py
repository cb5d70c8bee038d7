"""Writes on bots: create, update, delete, leave, dispatch. Views and tasks call only these."""

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.bot_accounts import bot_account_for_platform
from accounts.models import ApiKey, Organization
from accounts.services import project_resolve
from bots.commands import LISTENING, bot_command_send
from bots.lifecycle import bot_finish_unadmitted
from bots.models import Bot, BotStatus, EndReason
from bots.states import IllegalTransition, bot_apply_event
from bots.zoom_auth import bot_zoom_options
from common.errors import Conflict, ValidationError
from meetings.asr_choices import transcription_check
from meetings.events import EventType, publish_organization_event
from meetings.meeting_urls import InvalidMeetingUrl, MeetingUrl, parse_meeting_url
from meetings.models import Meeting
from webhooks.services import endpoint_create_for_meeting

# A scheduled bot is handed to a worker this long before join_at (browser start and join take a few s).
DISPATCH_LEAD_S = 30

DEFAULT_SETTINGS: dict = {
    "transcription": {"enabled": True, "backend": None, "model": None, "language": "en", "partials": True},
    "recording": {"mode": "audio_only", "audio_format": "mp3"},
    "automatic_leave": {
        "waiting_room_timeout": 600,
        "noone_joined_timeout": 600,
        "everyone_left_timeout": 60,
        "silence_timeout": 1800,
        "max_duration": 4 * 3600,
        # Zoom: how long the host may take to allow the bot to record, when the meeting asks for it.
        "recording_permission_denied_timeout": 300,
    },
    "streaming": {"audio_url": None},
}
SETTING_GROUPS = tuple(DEFAULT_SETTINGS)


def bot_settings_merge(current: dict | None, changes: dict) -> dict:
    """Defaults, then the current settings, then the requested changes, one group at a time.

    In `automatic_leave`, 0 or null turns a rule off (stored as 0, so that a later merge keeps it off);
    elsewhere null means "the default"."""
    merged = copy.deepcopy(DEFAULT_SETTINGS)
    merged["transcription"]["backend"] = settings.ASR_BACKEND
    merged["transcription"]["model"] = settings.ASR_MODEL
    for source in (current or {}, changes):
        for group in SETTING_GROUPS:
            values = source.get(group)
            if not values:
                continue
            if group == "automatic_leave":
                merged[group].update({k: v or 0 for k, v in values.items()})
            else:
                merged[group].update({k: v for k, v in values.items() if v is not None})
    return merged


def _check_transcription(merged: dict, requested: dict | None) -> None:
    transcription = merged["transcription"]
    if not transcription.get("enabled", True):
        return
    backend = transcription["backend"]
    # The captions backend has no model: only a model the request itself named is an error there.
    model = (requested or {}).get("model") if backend == "captions" else transcription["model"]
    transcription_check(backend=backend, model=model, language=transcription["language"], within="transcription")


def _parse_url(meeting_url: str) -> MeetingUrl:
    try:
        return parse_meeting_url(meeting_url)
    except InvalidMeetingUrl as exc:
        raise ValidationError(str(exc), fields={"meeting_url": [str(exc)]}) from exc


def _check_webhook_url(webhook_url: str) -> None:
    from common import net

    problem = net.url_problem(webhook_url, subject="webhook_url")
    if problem:
        raise ValidationError(problem, fields={"webhook_url": [problem]})


def _check_join_at(join_at: datetime | None) -> None:
    if join_at is not None and join_at <= timezone.now():
        raise ValidationError(
            "join_at must be in the future (ISO 8601 with a time zone); leave it out to join now.",
            fields={"join_at": ["must be in the future"]},
        )


def _is_scheduled(join_at: datetime | None) -> bool:
    return join_at is not None and join_at - timezone.now() > timedelta(seconds=DISPATCH_LEAD_S)


def _check_duplicate(*, organization: Organization, url: str, deduplication_key: str) -> None:
    """A second bot for the same meeting (or key) within the window is a 409 naming the first one.

    A bot that failed, or ended without ever being admitted (denied, lobby timeout, not found, a leave
    before joining), blocks nothing: sending another one is the retry it calls for."""
    since = timezone.now() - timedelta(seconds=settings.NOTULA_DEDUP_WINDOW_S)
    candidates = (
        Bot.objects.filter(organization=organization, created_at__gte=since)
        .exclude(status=BotStatus.FAILED)
        .exclude(status=BotStatus.ENDED, joined_at__isnull=True)
    )
    if deduplication_key:
        existing = candidates.filter(deduplication_key=deduplication_key).order_by("-created_at").first()
        what = f"deduplication_key '{deduplication_key}'"
    else:
        existing = candidates.filter(meeting_url=url, deduplication_key="").order_by("-created_at").first()
        what = "this meeting_url"
    if existing is not None:
        raise Conflict(
            f"Bot {existing.id} ({existing.status}) was created for {what} less than "
            f"{settings.NOTULA_DEDUP_WINDOW_S // 60} minutes ago; leave it, wait, or send a deduplication_key.",
            code="duplicate_bot",
            existing_bot_id=existing.id,
            existing_bot_status=existing.status,
        )


@transaction.atomic
def bot_create(
    *,
    organization: Organization,
    meeting_url: str,
    bot_name: str = "",
    join_at: datetime | None = None,
    project: str | None = None,
    api_key: ApiKey | None = None,
    transcription: dict | None = None,
    recording: dict | None = None,
    automatic_leave: dict | None = None,
    streaming: dict | None = None,
    entry_message: str = "",
    bot_image_url: str = "",
    webhook_url: str = "",
    metadata: dict | None = None,
    deduplication_key: str = "",
    join_as: str | None = None,
    zoom: dict | None = None,
) -> Bot:
    """Create a bot (and its meeting) and, after commit, hand it to a worker.

    `join_as`: a stored bot account (accounts/bot_accounts.py) the bot signs in as; `zoom`: a Zoom
    token or OAuth connection (bots/zoom_auth.py).

    `join_at` in the future keeps it `scheduled` for the beat scheduler; otherwise it is `queued`.
    Raises ValidationError (400) for a bad URL or time and Conflict (409) for a duplicate.
    """
    parsed = _parse_url(meeting_url)
    account = (
        bot_account_for_platform(organization=organization, account_id=join_as, platform=parsed.platform)
        if join_as
        else None
    )
    zoom_token, zoom_connection = bot_zoom_options(organization=organization, platform=parsed.platform, options=zoom)
    _check_join_at(join_at)
    if webhook_url:
        _check_webhook_url(webhook_url)
    bot_settings = bot_settings_merge(
        None,
        {
            "transcription": transcription or {},
            "recording": recording or {},
            "automatic_leave": automatic_leave or {},
            "streaming": streaming or {},
        },
    )
    _check_transcription(bot_settings, transcription)
    # Serializes creates per organization so two racing duplicates cannot both pass the check.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    _check_duplicate(organization=organization, url=parsed.url, deduplication_key=deduplication_key)
    project_obj = project_resolve(organization=organization, name=project)
    meeting = Meeting.objects.create(
        organization=organization,
        project=project_obj,
        meeting_url=parsed.url,
        platform=parsed.platform,
    )
    bot = Bot.objects.create(
        organization=organization,
        project=project_obj,
        meeting=meeting,
        api_key=api_key,
        join_as=account,
        zoom_token_encrypted=zoom_token,
        zoom_connection=zoom_connection,
        meeting_url=parsed.url,
        platform=parsed.platform,
        bot_name=bot_name or settings.DEFAULT_BOT_NAME,
        status=BotStatus.SCHEDULED if _is_scheduled(join_at) else BotStatus.QUEUED,
        join_at=join_at,
        settings=bot_settings,
        entry_message=entry_message,
        bot_image_url=bot_image_url,
        webhook_url=webhook_url,
        metadata=metadata or {},
        deduplication_key=deduplication_key,
    )
    if webhook_url:
        endpoint_create_for_meeting(
            meeting=meeting,
            url=webhook_url,
            secret=api_key.signing_secret if api_key else "",
            description=f"webhook_url of {bot.id}",
        )
    # In the bot's transaction (the outbox): the event exists exactly when the bot does, and goes out
    # (push, webhooks) once it commits. The organization row is already locked above.
    publish_organization_event(organization.pk, EventType.BOT_CREATED, _created_payload(bot), bot_id=bot.id)
    if bot.status == BotStatus.QUEUED:
        _enqueue_on_commit(bot.id)
    return bot


def _created_payload(bot: Bot) -> dict:
    return {
        "bot_id": bot.id,
        "meeting_id": bot.meeting_id,
        "meeting_url": bot.meeting_url,
        "platform": bot.platform,
        "bot_name": bot.bot_name,
        "status": bot.status,
        "join_at": bot.join_at.astimezone(UTC).isoformat().replace("+00:00", "Z") if bot.join_at else None,
        "project": bot.project.name,
        "metadata": bot.metadata,
    }


def _enqueue_on_commit(bot_id: str) -> None:
    from bots.tasks import run_bot

    transaction.on_commit(lambda: run_bot.delay(bot_id))


def _require_scheduled(bot: Bot, action: str) -> None:
    if bot.status != BotStatus.SCHEDULED:
        raise Conflict(
            f"Bot {bot.id} is '{bot.status}'; it can be {action} only while 'scheduled'.",
            code="bot_not_scheduled",
            status=bot.status,
        )


@transaction.atomic
def bot_update(*, bot: Bot, **changes: Any) -> Bot:
    """Change a scheduled bot; a join_at brought near enough dispatches it at once."""
    bot = Bot.objects.select_for_update().get(pk=bot.pk)
    _require_scheduled(bot, "changed")
    if "meeting_url" in changes:
        parsed = _parse_url(changes.pop("meeting_url"))
        bot.meeting_url = bot.meeting.meeting_url = parsed.url
        bot.platform = bot.meeting.platform = parsed.platform
        bot.meeting.save(update_fields=["meeting_url", "platform"])
    if "join_at" in changes:
        join_at = changes.pop("join_at")
        if join_at is None:
            raise ValidationError("join_at cannot be cleared; DELETE the bot instead.", fields={"join_at": ["null"]})
        _check_join_at(join_at)
        bot.join_at = join_at
    group_changes = {g: changes.pop(g) for g in SETTING_GROUPS if g in changes}
    if group_changes:
        bot.settings = bot_settings_merge(bot.settings, group_changes)
        _check_transcription(bot.settings, group_changes.get("transcription"))
    if "join_as" in changes:
        account_id = changes.pop("join_as")
        bot.join_as = (
            bot_account_for_platform(organization=bot.organization, account_id=account_id, platform=bot.platform)
            if account_id
            else None
        )
    for field in ("bot_name", "entry_message", "bot_image_url", "metadata"):
        if field in changes:
            setattr(bot, field, changes.pop(field))
    if changes:
        raise ValidationError(
            f"These fields cannot be changed: {', '.join(sorted(changes))}.",
            fields={name: ["cannot be changed"] for name in changes},
        )
    bot.save()
    if not _is_scheduled(bot.join_at):
        bot_dispatch(bot=bot)
    return bot


@transaction.atomic
def bot_delete(*, bot: Bot) -> None:
    """Delete a bot that has not been dispatched yet, with its (empty) meeting."""
    bot = Bot.objects.select_for_update().get(pk=bot.pk)
    _require_scheduled(bot, "deleted")
    meeting = bot.meeting
    bot.delete()
    if not meeting.bots.exists():
        meeting.delete()


def bot_request_leave(*, bot: Bot) -> Bot:
    """Ask the bot to leave. A bot in a call gets the command at once (bots/commands.py); a bot not
    yet started just ends; a bot already leaving is left to finish."""
    with transaction.atomic():
        locked = Bot.objects.select_for_update().get(pk=bot.pk)
        if locked.status in (BotStatus.ENDED, BotStatus.FAILED):
            raise Conflict(f"Bot {locked.id} has already {locked.status}.", code="bot_finished", status=locked.status)
        first_request = locked.leave_requested_at is None
        if first_request:
            # Also the runner's fallback: its heartbeat reads it if the command itself is lost.
            locked.leave_requested_at = timezone.now()
            locked.save(update_fields=["leave_requested_at", "updated_at"])
        # Still under the row lock: a worker picking the bot up now waits, then finds it ended,
        # instead of this request failing on a transition the worker made first.
        if locked.status in (BotStatus.SCHEDULED, BotStatus.QUEUED):
            bot_finish_unadmitted(bot=locked, end_reason=EndReason.LEFT_BY_REQUEST)
        elif first_request and locked.status in LISTENING:
            # A runner that stopped answering is the reaper's to fail; the request still stands.
            bot_command_send(bot=locked, kind="leave", check_heartbeat=False)
    locked.refresh_from_db()
    return locked


def bot_dispatch(*, bot: Bot) -> Bot:
    """scheduled -> queued, and hand it to a worker after commit."""
    bot = bot_apply_event(bot, "dispatch")
    _enqueue_on_commit(bot.id)
    return bot


def bots_dispatch_due(*, now: datetime | None = None) -> list[str]:
    """Dispatch every scheduled bot whose join_at is within the lead time (run by beat)."""
    now = now or timezone.now()
    due = Bot.objects.filter(status=BotStatus.SCHEDULED, join_at__lte=now + timedelta(seconds=DISPATCH_LEAD_S))
    dispatched = []
    for bot in due:
        try:
            with transaction.atomic():
                bot_dispatch(bot=bot)
        except IllegalTransition:
            continue  # dispatched, changed or deleted meanwhile
        dispatched.append(bot.id)
    return dispatched
