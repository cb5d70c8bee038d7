"""Why a bot ended, whose side it was, and a sentence that says what to do about it.

Every ended or failed bot carries an `end_reason`, an `end_fault` (host, platform or notula) and an
`end_message`: this module's sentence for the reason, with what the page said or what failed. The
table in docs/bots.md ("End reasons") is this one.
"""

from bots.models import EndFault, EndReason

R, F = EndReason, EndFault
ACCOUNT_HINT = {
    "google_meet": "store a Google account for your bots (POST /api/v1/bot_accounts) and send the bot with join_as",
    "teams": "store a Microsoft account for your bots (POST /api/v1/bot_accounts) and send the bot with join_as",
    "zoom": "give the bot a Zoom token (zoom.zak_token or zoom.obf_token) or a Zoom OAuth connection "
    "(zoom.oauth_connection)",
    "webex": "ask the host to let guests join without signing in",
}

ENDINGS: dict[str, tuple[str, str]] = {
    R.LEFT_BY_REQUEST: (F.HOST, "The bot left as asked (the API's leave, or the dashboard)."),
    R.EVERYONE_LEFT: (F.HOST, "Everyone else left the meeting; the bot left after everyone_left_timeout."),
    R.NOONE_JOINED: (F.HOST, "Nobody else joined within noone_joined_timeout of the bot's admission."),
    R.WAITING_ROOM_TIMEOUT: (F.HOST, "Nobody admitted the bot from the lobby within waiting_room_timeout."),
    R.ADMISSION_DENIED: (F.HOST, "The host denied the bot's request to join."),
    R.REMOVED_BY_HOST: (F.HOST, "The host removed the bot from the meeting."),
    R.MEETING_ENDED: (F.HOST, "The meeting ended for everyone."),
    R.MAX_DURATION: (F.HOST, "The bot left after max_duration in the call."),
    R.SILENCE: (F.HOST, "Nobody spoke for silence_timeout; the bot left."),
    R.MEETING_NOT_FOUND: (F.HOST, "The link leads to no meeting: check it, or ask the host for a new one."),
    R.PLATFORM_BLOCKED: (
        F.PLATFORM,
        "The platform refused the bot. A signed-in bot is refused less often: {hint}.",
    ),
    R.LOGIN_REQUIRED: (F.HOST, "The meeting admits only signed-in users: {hint}."),
    R.MEETING_NOT_STARTED: (
        F.HOST,
        "The meeting had not started when waiting_room_timeout ran out: the host never came. Send the bot when "
        "the meeting starts, or give it a longer waiting_room_timeout.",
    ),
    R.RECORDING_PERMISSION_DENIED: (
        F.HOST,
        "The host did not allow the bot to record within recording_permission_denied_timeout.",
    ),
    R.UNRECOGNIZED_PAGE: (
        F.PLATFORM,
        "The link led to a page the bot does not recognise; the screenshot and page HTML are attached. "
        "If the platform changed its page, see docs/bots.md (When a platform changes its page).",
    ),
    R.JOIN_STEP_FAILED: (
        F.NOTULA,
        "The platform's page did not have what the bot looks for, nor its fallbacks; the screenshot and "
        "page HTML are attached. The adapter needs the new selector (docs/bots.md, When a platform changes its page).",
    ),
    R.BOT_CRASHED: (F.NOTULA, "The bot crashed; Notula's logs have the traceback."),
    R.INTERNAL_ERROR: (F.NOTULA, "Notula could not run the bot: no worker started it."),
}
# Reasons whose detail is what went wrong, said first: "pre-join screen: name field not found. ..."
DETAIL_FIRST = {R.JOIN_STEP_FAILED, R.UNRECOGNIZED_PAGE, R.BOT_CRASHED}
MAX_MESSAGE = 500


def ending_fault(end_reason: str) -> str:
    """The side an end_reason belongs to; notula for a reason this table does not know."""
    return ENDINGS.get(end_reason, (F.NOTULA, ""))[0]


def ending_message(end_reason: str, detail: str = "", *, platform: str = "") -> str:
    """The sentence for `end_reason`, with `detail` (what the page said, what failed) in it."""
    sentence = ENDINGS.get(end_reason, (F.NOTULA, "The bot ended."))[1]
    sentence = sentence.replace("{hint}", ACCOUNT_HINT.get(platform, "sign the bot in"))
    detail = " ".join((detail or "").split())
    if not detail or detail in sentence:
        message = sentence
    elif end_reason in DETAIL_FIRST:
        message = f"{detail.rstrip('.')}. {sentence}"
    else:
        message = f'{sentence} The page said: "{detail}".'
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"
