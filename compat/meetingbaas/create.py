"""`POST /bots/`'s JoinRequest in Notula's words: one call of `bots.services.bot_create`."""

from datetime import UTC, datetime

from accounts.models import ApiKey, Organization
from accounts.zoom import zoom_connection_list
from bots import services
from bots.models import Bot
from common.errors import ValidationError


def _zoom(given: dict, organization: Organization) -> dict | None:
    if given.get("zoom_obf_token"):
        return {"obf_token": given["zoom_obf_token"]}
    user_id = given.get("zoom_obf_token_user_id")
    if not user_id:
        return None
    connection = zoom_connection_list(organization=organization).filter(zoom_user_id=user_id).first()
    if connection is None:
        message = f"no Zoom OAuth connection for Zoom user '{user_id}' in your organization"
        raise ValidationError(f"zoom_obf_token_user_id: {message}.", fields={"zoom_obf_token_user_id": [message]})
    return {"oauth_connection": connection.id, "token_type": "obf"}


def _join_at(start_time: int | None) -> datetime | None:
    """`start_time` (unix seconds): a time already past means now, as the vendor's bot joins at once."""
    if start_time is None:
        return None
    moment = datetime.fromtimestamp(start_time, UTC)
    return moment if moment > datetime.now(UTC) else None


def bot_options(given: dict, *, organization: Organization, raw_key: str) -> dict:
    """A JoinRequest's options as `bot_create`'s keywords (all but the meeting and when): what a bot sent
    now and one sent for a calendar event share. `webhook_url` gets Meeting BaaS's webhooks, carrying
    `x-meeting-baas-api-key: <raw_key>` (the vendor's only webhook authentication: the key the bot was
    sent with)."""
    stream = given.get("streaming") or {}
    streaming = None
    if stream:
        streaming = {
            "audio_url": stream.get("input"),
            "input": stream.get("output"),
            "input_sample_rate": 24000 if stream.get("audio_frequency") == "24khz" else 16000,
        }
    language = (given.get("transcription_custom_parameters") or {}).get("language")
    webhook_url = given.get("webhook_url") or ""
    return {
        "bot_name": given["bot_name"],
        "entry_message": given.get("entry_message") or "",
        "bot_image_url": given.get("bot_image") or "",
        "webhook_url": webhook_url,
        "webhook_format": "meetingbaas",
        "webhook_secret": raw_key if webhook_url else None,
        "metadata": given.get("extra") or {},
        # The vendor's default is speaker_view: a video recording (`mp4`) as well as the audio.
        "recording": {"mode": given.get("recording_mode") or "speaker_view"},
        "automatic_leave": dict(given.get("automatic_leave") or {}) or None,
        "streaming": streaming,
        "transcription": {"language": language} if language else None,
        "zoom": _zoom(given, organization),
        "dialect": "meetingbaas",
    }


def bot_create_from(given: dict, *, organization: Organization, api_key: ApiKey, raw_key: str) -> Bot:
    return services.bot_create(
        organization=organization,
        api_key=api_key,
        meeting_url=given["meeting_url"],
        join_at=_join_at(given.get("start_time")),
        deduplication_key=given.get("deduplication_key") or "",
        **bot_options(given, organization=organization, raw_key=raw_key),
    )
