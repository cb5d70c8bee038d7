"""What every WebSocket consumer refuses from its client: a message over NOTULA_WS_MAX_MESSAGE_BYTES
(closed with 1009, "message too big") and, on a JSON socket, a message that is not JSON (4400)."""

from django.conf import settings

CLOSE_MESSAGE_TOO_BIG = 1009
CLOSE_BAD_REQUEST = 4400


class _NotJson(Exception):
    pass


class BoundedMessagesMixin:
    """Put before the Channels consumer class: `class C(BoundedMessagesMixin, AsyncJsonWebsocketConsumer)`."""

    async def websocket_receive(self, message):
        text, data = message.get("text"), message.get("bytes")
        size = len(text.encode()) if text is not None else len(data or b"")
        if size > settings.WS_MAX_MESSAGE_BYTES:
            await self.close(code=CLOSE_MESSAGE_TOO_BIG)
            return
        try:
            await super().websocket_receive(message)
        except _NotJson:
            await self.close(code=CLOSE_BAD_REQUEST)

    @classmethod
    async def decode_json(cls, text_data):
        try:
            return await super().decode_json(text_data)
        except ValueError as exc:
            raise _NotJson from exc
