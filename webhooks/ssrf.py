"""The webhook URL check at registration: `common.net.url_check` for the field `url`."""

from common import net
from common.net import UnsafeUrl

__all__ = ["UnsafeUrl", "url_check"]


def url_check(url: str) -> None:
    """Raises UnsafeUrl (400 on `url`) for a non-http(s) URL or a host that is a non-public address."""
    net.url_check(url, field="url", subject="The webhook URL")
