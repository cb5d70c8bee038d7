"""Writes on bots: create, update, delete. Views and tasks call only the services."""

from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from accounts.bot_accounts import bot_account_for_platform
from accounts.models import ApiKey, Organization
from accounts.services import project_resolve
from accounts.transcription_default import transcription_options_with_default
from bots.models import Bot, BotStatus
from bots.services.checks import (
    _check_duplicate,
    _check_join_at,
    _check_webhook_url,
    _is_scheduled,
    _parse_url,
)
from bots.services.settings import SETTING_GROUPS, _check_transcription, bot_settings_merge
from bots.states import bot_apply_event
from bots.zoom_auth import bot_zoom_options
from common.errors import Conflict, ValidationError
from meetings.events import EventType, publish_organization_event
from meetings.models import Meeting
from webhooks.services import endpoint_create_for_meeting


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
    screenshots: dict | None = None,
    entry_message: str = "",
    bot_image_url: str = "",
    webhook_url: str = "",
    metadata: dict | None = None,
    deduplication_key: str = "",
    join_as: str | None = None,
    zoom: dict | None = None,
    retention: dict | None = None,
    title: str = "",
    dialect: str = "",
    webhook_format: str = "native",
    webhook_secret: str | None = None,
) -> Bot:
    """Create a bot (and its meeting) and, after commit, hand it to a worker.

    `join_as`: a stored bot account (accounts/bot_accounts.py) the bot signs in as; `zoom`: a Zoom
    token or OAuth connection (bots/zoom_auth.py).

    `title` names the meeting; `dialect` is the vendor API (compat/) that asked, and `webhook_format`
    the format of the callbacks to `webhook_url` (that dialect's own), keyed by `webhook_secret` where
    the format sends something other than the key's signing secret (Meeting BaaS sends the API key).

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
    transcription = transcription_options_with_default(organization=organization, options=transcription or {})
    bot_settings = bot_settings_merge(
        None,
        {
            "transcription": transcription or {},
            "recording": recording or {},
            "automatic_leave": automatic_leave or {},
            "streaming": streaming or {},
            "retention": retention,
            "screenshots": screenshots or {},
        },
    )
    _check_transcription(bot_settings, transcription, organization)
    # Serializes creates per organization so two racing duplicates cannot both pass the check.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    _check_duplicate(organization=organization, url=parsed.url, deduplication_key=deduplication_key)
    project_obj = project_resolve(organization=organization, name=project)
    meeting = Meeting.objects.create(
        organization=organization,
        project=project_obj,
        meeting_url=parsed.url,
        platform=parsed.platform,
        title=title,
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
        dialect=dialect,
    )
    if webhook_url:
        endpoint_create_for_meeting(
            meeting=meeting,
            url=webhook_url,
            secret=webhook_secret if webhook_secret is not None else (api_key.signing_secret if api_key else ""),
            description=f"webhook_url of {bot.id}",
            format=webhook_format,
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
    group_changes = {g: changes.pop(g) for g in (*SETTING_GROUPS, "retention") if g in changes}
    if group_changes:
        bot.settings = bot_settings_merge(bot.settings, group_changes)
        _check_transcription(bot.settings, group_changes.get("transcription"), bot.organization)
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


def bot_dispatch(*, bot: Bot) -> Bot:
    """scheduled -> queued, and hand it to a worker after commit."""
    bot = bot_apply_event(bot, "dispatch")
    _enqueue_on_commit(bot.id)
    return bot
