"""A Zoom bot's token: given with the bot (a ZAK to join as a Zoom user, an OBF token to join on a
user's behalf), or fetched at join time from a stored Zoom OAuth connection (accounts/zoom.py).

Zoom ends anonymous web-client joins of meetings that require authorization; a token lets the bot in.
The web client gets it as `zak=` (Zoom's parameter for a user's token) or `obf=` on its address; the
simulator's Zoom honours both. The token is encrypted on the bot and never shown back.
"""

import json
from urllib.parse import urlencode

from accounts.crypto import secret_decrypt, secret_encrypt
from accounts.models import Organization, ZoomConnection
from accounts.zoom import ZoomUnavailable, zoom_connection_token
from bots.models import Bot
from common.errors import ValidationError

KINDS = ("zak", "obf")


def _refuse(message: str, field: str = "zoom"):
    raise ValidationError(f"{field}: {message}", fields={field: [message]})


def bot_zoom_options(
    *, organization: Organization, platform: str, options: dict | None
) -> tuple[str, ZoomConnection | None]:
    """Check a bot's `zoom` options; returns what the bot keeps: (the encrypted token, the connection).

    Exactly one of zak_token, obf_token or oauth_connection; token_type says which token a connection
    gives (obf unless "zak")."""
    options = {k: v for k, v in (options or {}).items() if v not in (None, "")}
    if not options:
        return "", None
    if platform != "zoom":
        _refuse(f"zoom options are for Zoom meetings; this one is on {platform}.")
    sources = [name for name in ("zak_token", "obf_token", "oauth_connection") if name in options]
    if len(sources) != 1:
        _refuse("give exactly one of zak_token, obf_token or oauth_connection.")
    if "oauth_connection" in options:
        connection = ZoomConnection.objects.filter(organization=organization, pk=options["oauth_connection"]).first()
        if connection is None:
            _refuse("no such Zoom OAuth connection in your organization.", "zoom.oauth_connection")
        if connection.state != ZoomConnection.State.CONNECTED:
            _refuse(
                f"this connection needs the user to authorize again: {connection.failure_message}",
                "zoom.oauth_connection",
            )
        kept = {"kind": options.get("token_type") or "obf", "token": None}
        return secret_encrypt(json.dumps(kept)), connection
    if "token_type" in options:
        _refuse("token_type goes with oauth_connection.", "zoom.token_type")
    kind = "zak" if "zak_token" in options else "obf"
    return secret_encrypt(json.dumps({"kind": kind, "token": options[sources[0]]})), None


def bot_zoom_summary(bot: Bot) -> dict:
    """What the API shows of a bot's Zoom options: the token's kind and the connection, never a token."""
    if not bot.zoom_token_encrypted:
        return {"token_type": None, "oauth_connection": None}
    kept = json.loads(secret_decrypt(bot.zoom_token_encrypted))
    return {"token_type": kept["kind"], "oauth_connection": bot.zoom_connection_id}


def zoom_join_url(bot: Bot, url: str) -> str:
    """The web client's address with the bot's token, fetched now from its connection if it has one.
    Raises accounts.zoom.ZoomUnavailable when the connection gives none."""
    if not bot.zoom_token_encrypted:
        return url
    kept = json.loads(secret_decrypt(bot.zoom_token_encrypted))
    token = kept["token"]
    if token is None:
        if bot.zoom_connection is None:
            raise ZoomUnavailable("The bot's Zoom OAuth connection was deleted; send it with a token or another one.")
        token = zoom_connection_token(connection=bot.zoom_connection, kind=kept["kind"])
    return f"{url}{'&' if '?' in url else '?'}{urlencode({kept['kind']: token})}"
