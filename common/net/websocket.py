"""WebSocket client connections to a user's URL, through the same check as HTTP.

The host is resolved and checked here, the TCP connection is opened to the checked address, and
websockets runs its handshake over that socket (`sock=`), with the URL's name in the Host header and
as the TLS server name. A redirect answer is not followed: websockets cannot follow one over a socket
it was given, and a redirect would need a new check anyway.
"""

import socket
import ssl
import time

from websockets.exceptions import InvalidStatus, WebSocketException
from websockets.sync.client import ClientConnection, connect

from common.net import http
from common.net.errors import ConnectFailed, HttpStatus, TooSlow
from common.net.urls import WEBSOCKET, parse, resolve


def ws_connect(
    url: str,
    *,
    subject: str = "the URL",
    open_timeout_s: float = 10.0,
    headers: dict[str, str] | None = None,
    **options,
) -> ClientConnection:
    """An open WebSocket to `url` (ws/wss), or a FetchError with a sentence; check again at every call."""
    target = parse(url, schemes=WEBSOCKET, subject=subject)
    addresses = resolve(target, subject=subject)
    deadline = time.monotonic() + open_timeout_s
    sock = None
    for address in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        try:
            sock = socket.create_connection((address, target.port), timeout=remaining)
            break
        except OSError:  # refused, unreachable or timed out: the next address, if any
            continue
    if sock is None:
        raise ConnectFailed(f"{subject} could not be reached: connection refused or unreachable")
    sock.settimeout(None)
    context = None
    if target.secure and http.CA_CERTS:
        context = ssl.create_default_context(cafile=http.CA_CERTS)
    try:
        return connect(
            target.url,
            sock=sock,
            ssl=context,
            server_hostname=target.host if target.secure else None,
            proxy=None,
            open_timeout=max(0.1, deadline - time.monotonic()),
            additional_headers=headers,
            **options,
        )
    except ssl.SSLError as exc:  # before ValueError: a certificate error is both
        raise ConnectFailed(f"{subject} failed the TLS check: {exc}"[:300]) from exc
    except InvalidStatus as exc:
        status = exc.response.status_code
        raise HttpStatus(f"{subject} answered HTTP {status}", status=status) from exc
    except ValueError as exc:
        if isinstance(exc.__cause__, InvalidStatus):
            status = exc.__cause__.response.status_code
            raise HttpStatus(f"{subject} answered HTTP {status} (redirects are not followed)", status=status) from exc
        raise ConnectFailed(f"{subject} refused the WebSocket handshake: {exc}"[:300]) from exc
    except TimeoutError as exc:
        raise TooSlow(f"{subject} took longer than {open_timeout_s:g} s to open") from exc
    except (OSError, WebSocketException) as exc:
        raise ConnectFailed(f"{subject} refused the WebSocket handshake: {type(exc).__name__}") from exc
