"""A bot's actions in the call: post in the meeting chat, change its camera picture, take a screenshot;
and its screenshots."""

from drf_spectacular.utils import OpenApiExample, OpenApiRequest, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.api import ApiView
from bots import selectors
from bots.api.serializers import _outbound_url
from bots.screenshots import bot_screenshots
from bots.services.in_call import bot_camera_request, bot_chat_request, bot_in_call_request
from common import net
from common.inputs import StrictFieldsMixin
from common.media import media_link
from common.schema import error_response


class ChatSendInput(StrictFieldsMixin, serializers.Serializer):
    text = serializers.CharField(max_length=500, help_text="The message")
    to = serializers.CharField(
        max_length=200,
        required=False,
        allow_null=True,
        default=None,
        help_text="A private message to one participant: a participant id from the meeting's participants, or "
        "the name shown. Zoom and Webex only (400 `private_chat_unsupported` elsewhere); null or left out: everyone",
    )


class CameraUrlInput(StrictFieldsMixin, serializers.Serializer):
    image_url = serializers.URLField(
        max_length=2000,
        allow_null=True,
        validators=[_outbound_url(net.HTTP, "image_url")],
        help_text="http(s) URL of a PNG or JPEG picture; null turns the camera off",
    )


class CameraUploadInput(StrictFieldsMixin, serializers.Serializer):
    image = serializers.FileField(help_text="a PNG or JPEG picture, up to 5 MB")


class CommandAccepted(serializers.Serializer):
    bot_id = serializers.CharField()
    command_id = serializers.CharField(help_text="Its `command_done` event in the bot's events says when it was done")
    kind = serializers.CharField()


class ScreenshotOut(serializers.Serializer):
    url = serializers.URLField(help_text="A signed link that works without credentials until `url_expires_at`")
    url_expires_at = serializers.DateTimeField()
    trigger = serializers.ChoiceField(choices=["on_demand", "periodic"])
    taken_at = serializers.DateTimeField()
    size = serializers.IntegerField(help_text="Bytes of the PNG file")


class ScreenshotsOut(serializers.Serializer):
    bot_id = serializers.CharField()
    screenshots = ScreenshotOut(many=True)


def _accepted(bot, command) -> Response:
    return Response({"bot_id": bot.id, "command_id": command.id, "kind": command.kind}, status=status.HTTP_202_ACCEPTED)


class BotChatView(ApiView):
    @extend_schema(
        operation_id="bots_chat",
        request=ChatSendInput,
        responses={202: CommandAccepted, 400: error_response(400), 409: error_response(409)},
        description="Post a message in the meeting chat, to everyone, or with `to` to one participant only "
        "(Zoom and Webex, whose meeting chats allow it). The message then comes back as a `chat.message` "
        "event with `from_bot: true` (and `to`), like every message in the chat.",
        examples=[
            OpenApiExample("A message", value={"text": "The recording starts now."}, request_only=True),
            OpenApiExample(
                "A private message",
                value={"text": "Your slides are next.", "to": "prt_4Hk2sV8nQ1mX0cL7pR3tZa"},
                request_only=True,
            ),
        ],
    )
    def post(self, request, bot_id: str):
        bot = selectors.bot_get(organization=request.user.organization, bot_id=bot_id)
        data = ChatSendInput(data=request.data)
        data.is_valid(raise_exception=True)
        command = bot_chat_request(bot=bot, text=data.validated_data["text"], to=data.validated_data["to"])
        return _accepted(bot, command)


class BotCameraView(ApiView):
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        operation_id="bots_camera",
        request={
            "application/json": CameraUrlInput,
            "multipart/form-data": OpenApiRequest(CameraUploadInput, encoding={"image": {"contentType": "image/*"}}),
        },
        responses={202: CommandAccepted, 409: error_response(409)},
        description="Show a picture as the bot's camera (`image_url`, or a multipart `image`), or turn the "
        "camera off (`image_url: null`). The picture is fetched and checked at once: 400 when it is no image.",
        examples=[
            OpenApiExample(
                "A picture by URL",
                value={"image_url": "https://example.com/logo.png"},
                request_only=True,
                media_type="application/json",
            )
        ],
    )
    def post(self, request, bot_id: str):
        bot = selectors.bot_get(organization=request.user.organization, bot_id=bot_id)
        multipart = request.content_type.startswith("multipart/")
        data = (CameraUploadInput if multipart else CameraUrlInput)(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        command = bot_camera_request(bot=bot, image_url=values.get("image_url"), upload=values.get("image"))
        return _accepted(bot, command)


class BotScreenshotView(ApiView):
    @extend_schema(
        operation_id="bots_screenshot",
        request=None,
        responses={202: CommandAccepted, 409: error_response(409)},
        description="Take a screenshot of the bot's page now; it is listed by `GET .../screenshots` once taken.",
    )
    def post(self, request, bot_id: str):
        bot = selectors.bot_get(organization=request.user.organization, bot_id=bot_id)
        return _accepted(bot, bot_in_call_request(bot=bot, kind="screenshot"))


class BotScreenshotListView(ApiView):
    @extend_schema(operation_id="bots_screenshots", responses=ScreenshotsOut)
    def get(self, request, bot_id: str):
        bot = selectors.bot_get(organization=request.user.organization, bot_id=bot_id)
        shots = []
        for shot in bot_screenshots(bot=bot):
            url, expires_at = media_link(shot.path, request=request)
            shots.append(
                {
                    "url": url,
                    "url_expires_at": expires_at,
                    "trigger": shot.trigger,
                    "taken_at": shot.taken_at,
                    "size": shot.size,
                }
            )
        return Response(ScreenshotsOut({"bot_id": bot.id, "screenshots": shots}).data)
