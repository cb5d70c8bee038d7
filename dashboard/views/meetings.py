import json

from django.http import Http404, HttpResponse
from django.shortcuts import render

from bots.screenshots import bot_screenshots
from dashboard import selectors
from dashboard.tenancy import dashboard_view
from meetings import exports
from meetings.chat import meeting_chat_messages
from meetings.selectors import meeting_get, meeting_recordings, meeting_segments, recordings_mixed

# One player per kind of recording, in the format browsers stream best; every file stays downloadable.
PLAYER_FORMATS = ("mp3", "opus", "mp4", "webm", "wav", "flac")


def _players(recordings) -> list:
    by_kind: dict = {}
    for recording in recordings:
        by_kind.setdefault(recording.kind, []).append(recording)
    rank = {fmt: i for i, fmt in enumerate(PLAYER_FORMATS)}
    return [min(group, key=lambda r: rank.get(r.format, len(rank))) for group in by_kind.values()]


# Parts of the meeting page that the browser fetches again when an event says they changed.
FRAGMENTS = {
    "transcript": "dashboard/meeting/_transcript.html",
    "media": "dashboard/meeting/_media.html",
    "screenshots": "dashboard/meeting/_screenshots.html",
}


def _context(request, meeting_id: str) -> dict:
    meeting = meeting_get(organization=request.organization, meeting_id=meeting_id)
    bots = selectors.meeting_bots(meeting=meeting)
    live = selectors.meeting_is_live(bots=bots)
    recordings = list(meeting_recordings(meeting=meeting))
    return {
        "meeting": meeting,
        "bots": bots,
        "live": live,
        "participants": list(meeting.participants.all()),
        "segments": list(meeting_segments(meeting=meeting)),
        "recordings": recordings,
        "players": _players(recordings_mixed(meeting=meeting)),
        "status_events": list(selectors.meeting_status_events(meeting=meeting)),
        "insights": selectors.meeting_insights(meeting=meeting),
        "chat_messages": list(meeting_chat_messages(meeting=meeting)),
        "in_call_bot": next((bot for bot in bots if bot.status == "in_call"), None),
        "screenshots": [shot for bot in bots for shot in bot_screenshots(bot=bot)],
        "formats": list(exports.FORMATS),
        "terminal": ("ended", "failed"),
        # A live meeting is rebuilt from its whole event log (what was said so far);
        # a finished one is rendered here and only listens for what comes after.
        "replay_after": 0 if live else meeting.event_seq,
    }


@dashboard_view
def meeting_page(request, meeting_id: str):
    return render(request, "dashboard/meeting/page.html", _context(request, meeting_id))


@dashboard_view
def meeting_fragment(request, meeting_id: str, name: str):
    if name not in FRAGMENTS:
        raise Http404(f"No fragment '{name}'.")
    return render(request, FRAGMENTS[name], _context(request, meeting_id))


@dashboard_view
def meeting_transcript_download(request, meeting_id: str, fmt: str):
    if fmt not in exports.FORMATS:
        raise Http404(f"No transcript format '{fmt}'.")
    meeting = meeting_get(organization=request.organization, meeting_id=meeting_id)
    segments = list(meeting_segments(meeting=meeting))
    body = exports.render(meeting, segments, fmt)
    if fmt == "json":
        body = json.dumps({"meeting_id": meeting.id, "segments": body}, indent=2)
    response = HttpResponse(body, content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{meeting.id}.{fmt}"'
    return response
