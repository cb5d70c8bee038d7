"""Why an outbound fetch or connection failed, as a sentence fit for `failure_reason` and `last_error`.

Every message starts with the subject the caller named (`file_url`, `bot_image_url`, ...).
"""

from common.errors import ValidationError


class FetchError(Exception):
    """Base of every outbound failure; `message` is the sentence shown to users."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UrlRefused(FetchError):
    """Not fetched at all: not an http(s)/ws(s) URL, or a host that is, or resolves to, a non-public address."""


class ConnectFailed(FetchError):
    """The host does not resolve, refused the connection, or failed the TLS check."""


class HttpStatus(FetchError):
    """The server answered with a status the caller does not accept (a redirect it does not follow, too)."""

    def __init__(self, message: str, *, status: int):
        super().__init__(message)
        self.status = status


class TooManyRedirects(FetchError):
    pass


class TooLarge(FetchError):
    pass


class TooSlow(FetchError):
    pass


class UnsafeUrl(ValidationError):
    """An API input URL that is malformed or names a non-public address (a 400 naming the field)."""

    code = "unsafe_url"


def size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.4g} MB"
    if n >= 1024:
        return f"{n / 1024:.4g} KB"
    return f"{n} bytes"
