"""The meeting pages and the small JSON API their script talks to.

A simulator link is public like a real meeting link: whoever has it can open the page; the page's
endpoints are keyed by the meeting code in the path. Everything answers 404 while the simulator is off.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from common.errors import NotFound
from simulator import services
from simulator.accounts import sim_signed_in_as
from simulator.chat import sim_bot_chat
from simulator.clips import clip_path
from simulator.i18n import page_language, page_texts
from simulator.models import SimMeeting
from simulator.permissions import TOKEN_KINDS, sim_bot_ask_recording, sim_bot_token
from simulator.platforms import page_config
from simulator.selectors import sim_meeting_for_page, sim_page_state
from simulator.tts import tts_render


def simulator_on() -> None:
    if not settings.SIMULATOR_ENABLED:
        raise Http404("The simulator is disabled.")


def render_page(request, platform: str, template: str, context: dict, status: int = 200):
    """A page of the simulated platform, in the language the browser asks for."""
    language = page_language(request)
    shared = {"platform_css": platform, "t": page_texts(platform, language), "lang": language}
    return render(request, f"simulator/{platform}/{template}", {**shared, **context}, status=status)


def not_found_page(request, platform: str, code: str):
    return render_page(request, platform, "not_found.html", {"code": code}, status=404)


@xframe_options_sameorigin  # the Webex shell (?frame=1) frames the meeting page
def meeting_page(request, platform: str, code: str):
    """The platform's web client for this meeting, or the platform's 'check your link' page."""
    simulator_on()
    meeting = sim_meeting_for_page(platform=platform, code=code)
    if meeting is None:
        return not_found_page(request, platform, code)
    if platform == "webex" and request.GET.get("frame") == "1":
        # Webex's web app draws the meeting inside an iframe; ?frame=1 reproduces that shell.
        return render_page(request, platform, "frame.html", {"src": request.path})
    return web_client(request, meeting)


def web_client(request, meeting: SimMeeting):
    """The meeting's pre-join screen (or wherever its bot is now), at whatever address led here."""
    if meeting.scenario["access"] == "unknown_page":
        # What a platform shows in an outage or after a redesign: nothing an adapter knows.
        return render(request, "simulator/unknown_page.html", {"platform_css": meeting.platform})
    account = sim_signed_in_as(request, meeting.platform)
    if meeting.scenario["access"] == "login_required" and meeting.platform == "teams" and account is None:
        # A tenant that admits only signed-in users sends anonymous guests to Microsoft's sign-in.
        return redirect("/simulator/microsoft/login?" + urlencode({"redirect_uri": request.build_absolute_uri()}))
    token_kind = next((kind for kind in TOKEN_KINDS if request.GET.get(kind)), None)
    if meeting.platform == "zoom" and token_kind:
        meeting = sim_bot_token(meeting=meeting, kind=token_kind, token=request.GET[token_kind])
    meeting = services.sim_bot_open(meeting=meeting)
    code = meeting.doors.get("code") or meeting.pk
    base = f"/simulator/{meeting.platform}/{meeting.pk}"
    language = page_language(request)
    context = {
        "meeting": meeting,
        "code": code,
        "title": meeting.scenario["title"],
        "config": page_config(platform=meeting.platform, code=code, base=base, language=language),
        "changes": meeting.scenario.get("page_changes") or [],
        "signed_in_as": account.display_name if account else "",
        "sign_in_url": "/simulator/google/signin?" + urlencode({"continue": request.build_absolute_uri()}),
    }
    return render_page(request, meeting.platform, "meeting.html", context)


class PageEndpoint(APIView):
    """Base of the page's endpoints: no API key, the meeting found by its link."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes: list = []
    schema = None  # the page's own plumbing, not part of the public API

    def meeting(self, platform: str, code: str) -> SimMeeting:
        if not settings.SIMULATOR_ENABLED:
            raise NotFound("The simulator is disabled.")
        meeting = sim_meeting_for_page(platform=platform, code=code)
        if meeting is None:
            raise NotFound("No such meeting.")
        return meeting


class KnockInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    mic_on = serializers.BooleanField(default=False)
    camera_on = serializers.BooleanField(default=False)


class MediaInput(serializers.Serializer):
    mic_on = serializers.BooleanField(required=False, allow_null=True, default=None)
    camera_on = serializers.BooleanField(required=False, allow_null=True, default=None)


class CameraInput(serializers.Serializer):
    has_image = serializers.BooleanField()
    mean_rgb = serializers.ListField(child=serializers.FloatField(), min_length=3, max_length=3)
    stddev = serializers.FloatField(min_value=0)


class ChatInput(serializers.Serializer):
    text = serializers.CharField(max_length=500)
    # The recipient chooser's value: a participant's id; empty for everyone.
    to = serializers.CharField(max_length=64, required=False, allow_blank=True, allow_null=True, default=None)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _signed_in(request, platform: str) -> bool:
    return sim_signed_in_as(request, platform) is not None


class PageStateView(PageEndpoint):
    def get(self, request, platform, code):
        return Response(sim_page_state(meeting=self.meeting(platform, code), signed_in=_signed_in(request, platform)))


class PageKnockView(PageEndpoint):
    def post(self, request, platform, code):
        signed_in = _signed_in(request, platform)
        meeting = services.sim_bot_knock(
            meeting=self.meeting(platform, code), signed_in=signed_in, **_valid(KnockInput, request)
        )
        return Response(sim_page_state(meeting=meeting, signed_in=signed_in))


class PageMediaView(PageEndpoint):
    def post(self, request, platform, code):
        meeting = services.sim_bot_media(meeting=self.meeting(platform, code), **_valid(MediaInput, request))
        return Response(sim_page_state(meeting=meeting))


class PageCameraView(PageEndpoint):
    def post(self, request, platform, code):
        services.sim_bot_camera_frame(meeting=self.meeting(platform, code), **_valid(CameraInput, request))
        return Response({"ok": True})


class PageChatView(PageEndpoint):
    def post(self, request, platform, code):
        message = sim_bot_chat(meeting=self.meeting(platform, code), **_valid(ChatInput, request))
        return Response(message, status=201)


class PageRecordView(PageEndpoint):
    """The bot asks the host for permission to record."""

    def post(self, request, platform, code):
        meeting = sim_bot_ask_recording(meeting=self.meeting(platform, code))
        return Response(sim_page_state(meeting=meeting, signed_in=_signed_in(request, platform)))


class PageLeaveView(PageEndpoint):
    def post(self, request, platform, code):
        meeting = services.sim_bot_leave(meeting=self.meeting(platform, code))
        return Response(sim_page_state(meeting=meeting))


class PageAudioView(PageEndpoint):
    """A line's audio: its recorded clip, or its text voiced by its speaker (rendered on first request,
    then cached)."""

    def get(self, request, platform, code, line_id):
        meeting = self.meeting(platform, code)
        line = next((item for item in meeting.lines if item["id"] == line_id), None)
        if line is None:
            raise NotFound("No such line.")
        if line.get("clip"):
            clip = clip_path(line["clip"])
            if not clip.exists():  # the media folder was cleared since the scenario was submitted
                raise NotFound("This line's clip is no longer stored.")
            return FileResponse(open(clip, "rb"), content_type="audio/wav")
        voice = next((p["voice"] for p in meeting.people if p["name"] == line["speaker"]), "en-us")
        path = tts_render(voice=voice, text=line["text"])
        return FileResponse(open(path, "rb"), content_type="audio/wav")
