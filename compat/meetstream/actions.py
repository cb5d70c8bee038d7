"""MeetStream's in-call actions and the bot's files: send_message, send_image, get_audio, get_video,
get_screenshots, get_speaker_timeline, summary and delete. Each calls the native service."""

from rest_framework.response import Response

from bots.screenshots import bot_screenshots
from bots.services.in_call import bot_camera_request, bot_in_call_request
from common.errors import NotFound
from common.media import media_link
from compat.meetstream.inputs import SendImageInput, SendMessageInput
from compat.meetstream.views import MeetStreamView
from compat.times import iso_ms_z
from deletion.models import DataDeletion
from deletion.services import data_delete
from meetings.models import Recording
from meetings.selectors import meeting_speaker_timeline, recording_mixed_latest


class SendMessageView(MeetStreamView):
    def post(self, request, bot_id: str):
        bot = self.bot_for(bot_id)
        data = SendMessageInput(data=request.data)
        data.is_valid(raise_exception=True)
        command = bot_in_call_request(bot=bot, kind="chat", payload={"text": data.validated_data["message"]})
        return Response({"bot_id": bot.id, "status": "sent", "command_id": command.id})


class SendImageView(MeetStreamView):
    """The picture becomes the bot's camera (Notula's camera command); `display_duration` is not kept:
    the picture stays until another one is sent."""

    def post(self, request, bot_id: str):
        bot = self.bot_for(bot_id)
        data = SendImageInput(data=request.data)
        data.is_valid(raise_exception=True)
        command = bot_camera_request(bot=bot, image_url=data.validated_data["img_url"])
        return Response({"bot_id": bot.id, "status": "sent", "command_id": command.id})


def _recording_link(request, bot, kind: str) -> Response:
    recording = recording_mixed_latest(meeting=bot.meeting, kind=kind)
    if recording is None:
        raise NotFound(f"No {kind} recording for bot '{bot.id}' (yet).", code=f"no_{kind}")
    url, expires_at = media_link(recording.file.name, request=request)
    return Response(
        {
            "bot_id": bot.id,
            f"{kind}_url": url,
            "url": url,
            "expires_at": iso_ms_z(expires_at),
            "format": recording.format,
            "duration": recording.duration_ms / 1000,
        }
    )


class AudioView(MeetStreamView):
    def get(self, request, bot_id: str):
        return _recording_link(request, self.bot_for(bot_id), Recording.Kind.AUDIO)


class VideoView(MeetStreamView):
    def get(self, request, bot_id: str):
        return _recording_link(request, self.bot_for(bot_id), Recording.Kind.VIDEO)


class ScreenshotsView(MeetStreamView):
    def get(self, request, bot_id: str):
        bot = self.bot_for(bot_id)
        shots = []
        for shot in bot_screenshots(bot=bot):
            url, expires_at = media_link(shot.path, request=request)
            shots.append({"url": url, "expires_at": iso_ms_z(expires_at), "timestamp": iso_ms_z(shot.taken_at)})
        return Response({"bot_id": bot.id, "screenshots": shots})


class SpeakerTimelineView(MeetStreamView):
    def get(self, request, bot_id: str):
        bot = self.bot_for(bot_id)
        timeline = meeting_speaker_timeline(meeting=bot.meeting)
        rows = [
            {"speaker": name, "start": start_ms / 1000, "end": end_ms / 1000 if end_ms is not None else None}
            for name, start_ms, end_ms in timeline.intervals()
        ]
        return Response({"bot_id": bot.id, "timeline": rows})


class SummaryView(MeetStreamView):
    def get(self, request, bot_id: str):
        meeting = self.bot_for(bot_id).meeting
        return Response(
            {"bot_id": bot_id, "summary": meeting.summary, "notes": meeting.notes, "keywords": meeting.keywords}
        )


class DeleteView(MeetStreamView):
    """`DELETE .../delete`: the bot's meeting data (deletion/), answered in the seed's `data_deletion` shape."""

    def delete(self, request, bot_id: str):
        bot = self.bot_for(bot_id)
        deletion = data_delete(
            meeting=bot.meeting,
            object_type="bot",
            object_id=bot.id,
            reason=DataDeletion.Reason.REQUEST,
            requested_by=f"api_key:{request.user.api_key.pk}",
        )
        return Response(
            {"bot_id": bot.id, "data_deletion": {"status": deletion.outcome, "deleted_objects": deletion.removed}}
        )
