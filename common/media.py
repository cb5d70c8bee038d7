"""Signed links to media files (recordings, documents, debug artefacts): a link carries its path and
expiry, signed with the secret key, and works without credentials until it expires
(NOTULA_MEDIA_LINK_TTL_S). Handed out in API answers for players and downloads."""

import math
import time
from datetime import UTC, datetime
from urllib.parse import quote

from django.conf import settings
from django.core import signing

SALT = "notula.media"
MEDIA_PREFIX = "/media/"


def media_token(path: str, *, ttl_s: int | None = None) -> tuple[str, datetime]:
    """A token for `path` (relative to MEDIA_ROOT) and the moment it stops working."""
    expires = math.ceil(time.time()) + (settings.MEDIA_LINK_TTL_S if ttl_s is None else ttl_s)
    return signing.dumps([path, expires], salt=SALT), datetime.fromtimestamp(expires, UTC)


def media_link(path: str, *, request=None, ttl_s: int | None = None) -> tuple[str, datetime]:
    """The signed URL of a media file (absolute: this request's host, else NOTULA_PUBLIC_URL) and its expiry."""
    token, expires_at = media_token(path, ttl_s=ttl_s)
    relative = f"{MEDIA_PREFIX}{quote(path)}?token={token}"
    url = request.build_absolute_uri(relative) if request is not None else f"{settings.PUBLIC_URL}{relative}"
    return url, expires_at


def media_token_check(path: str, token: str) -> str:
    """'ok', 'expired' or 'invalid' (tampered, or signed for another path)."""
    try:
        signed_path, expires = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return "invalid"
    if signed_path != path:
        return "invalid"
    return "ok" if time.time() < expires else "expired"
