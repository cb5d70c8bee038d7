"""The one way out to a URL a user gave (webhooks, bot_image_url, file_url, streaming.audio_url, ...).

- `url_check` / `url_problem`: the API edge; shape, and hosts that are themselves non-public addresses.
- `open_url`, `fetch_to_file`, `fetch_bytes`: HTTP(S) with redirects re-checked hop by hop, size and time caps.
- `ws_connect`: a WebSocket client connection, checked and pinned the same way.
- `resolve` + `pinned_pool`: the parts, for a caller that keeps its own connections (webhook delivery).

Every host is resolved once per connection, each address is checked (`addresses.Policy`), and the
connection goes to the checked address. Failures are `FetchError`s whose message is a sentence for users.
Settings: ALLOW_PRIVATE_URLS (development), ALLOWED_PRIVATE_NETWORKS, ALLOW_METADATA_URLS.
"""

from common.net.addresses import Policy, address_kind
from common.net.errors import (
    ConnectFailed,
    FetchError,
    HttpStatus,
    TooLarge,
    TooManyRedirects,
    TooSlow,
    UnsafeUrl,
    UrlRefused,
)
from common.net.http import Response, fetch_bytes, fetch_to_file, open_url, pinned_pool, request_headers
from common.net.urls import HTTP, WEBSOCKET, Target, parse, resolve, url_check, url_problem
from common.net.websocket import ws_connect

__all__ = [
    "HTTP",
    "WEBSOCKET",
    "ConnectFailed",
    "FetchError",
    "HttpStatus",
    "Policy",
    "Response",
    "Target",
    "TooLarge",
    "TooManyRedirects",
    "TooSlow",
    "UnsafeUrl",
    "UrlRefused",
    "address_kind",
    "fetch_bytes",
    "fetch_to_file",
    "open_url",
    "parse",
    "pinned_pool",
    "request_headers",
    "resolve",
    "url_check",
    "url_problem",
    "ws_connect",
]
