"""One HTTP POST of a webhook through the common outbound check (`common.net`), on kept-alive connections.

The host is resolved and every address checked right before sending (the answer is kept 10 s per
process, keyed by the settings that judged it), and the connection goes to the address that was
checked, with the Host header and TLS server name carrying the original name: a DNS answer that changes
between check and connect cannot redirect the request inside the network. Redirects are never
followed. Connections are kept alive per worker process, one pool per (address, port, name).
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import urllib3
from django.conf import settings

from common import net

EXCERPT_CHARS = 500
_READ_LIMIT = 4096
_RESOLVE_TTL_S = 10.0
_MAX_POOLS = 64
_POOL_SIZE = 4  # kept-alive connections per receiver address, per process (a threads pool shares them)

_pools: OrderedDict[tuple, urllib3.HTTPConnectionPool] = OrderedDict()
_resolved: dict[tuple, tuple[float, str]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class SendResult:
    status_code: int | None
    latency_ms: int
    response_excerpt: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _address(target: net.Target) -> str:
    """A checked address of the target's host; cached briefly per process (only checked answers are kept)."""
    policy = net.Policy.current()
    key = (target.host, target.port, policy)
    now = time.monotonic()
    cached = _resolved.get(key)
    if cached and now - cached[0] < _RESOLVE_TTL_S:
        return cached[1]
    address = net.resolve(target, subject="the webhook URL", policy=policy)[0]
    _resolved[key] = (now, address)
    return address


def _pool(target: net.Target, address: str) -> urllib3.HTTPConnectionPool:
    # CA_CERTS is part of the key so that a pool made before a change of trusted authorities is not reused.
    key = (target.scheme, address, target.port, target.host, net.http.CA_CERTS)
    with _lock:
        pool = _pools.get(key)
        if pool is not None:
            _pools.move_to_end(key)
            return pool
        pool = net.pinned_pool(target, address, maxsize=_POOL_SIZE)
        _pools[key] = pool
        while len(_pools) > _MAX_POOLS:
            _pools.popitem(last=False)[1].close()
        return pool


def _error_text(exc: Exception, timeout: float) -> str:
    if isinstance(exc, urllib3.exceptions.NewConnectionError):
        # Checked first: urllib3 makes it a subclass of its timeout error.
        return f"connection failed: {exc.__context__ or exc}"[:500]
    if isinstance(exc, urllib3.exceptions.TimeoutError):
        return f"timeout: the receiver took longer than {timeout:g} s"
    reason = getattr(exc, "reason", None) or exc
    return f"{type(exc).__name__}: {reason}"[:500]


def post(url: str, *, body: bytes, headers: dict[str, str], timeout: float | None = None) -> SendResult:
    """POST body to url; never raises for network trouble (the result carries the error)."""
    started = time.monotonic()
    timeout = timeout or settings.WEBHOOK_TIMEOUT_S
    try:
        target = net.parse(url, subject="the webhook URL")
        address = _address(target)
    except net.UrlRefused as exc:
        return SendResult(None, 0, error=f"refused: {exc.message}"[:500])
    except net.FetchError as exc:
        return SendResult(None, 0, error=f"connection failed: {exc.message}"[:500])
    pool = _pool(target, address)
    try:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers=net.request_headers(target, headers),
            redirect=False,
            retries=False,
            assert_same_host=False,
            timeout=urllib3.Timeout(total=timeout),
            preload_content=False,
        )
    except Exception as exc:  # every network failure is an attempt outcome, not a crash
        return SendResult(None, int((time.monotonic() - started) * 1000), error=_error_text(exc, timeout))
    try:
        data = response.read(_READ_LIMIT)
        # A body we did not read whole poisons the kept-alive connection: drop that one.
        if len(data) >= _READ_LIMIT:
            response.close()
        else:
            response.release_conn()
    except Exception as exc:
        response.close()
        return SendResult(response.status, int((time.monotonic() - started) * 1000), error=_error_text(exc, timeout))
    latency_ms = int((time.monotonic() - started) * 1000)
    excerpt = data.decode("utf-8", errors="replace")[:EXCERPT_CHARS]
    error = "" if 200 <= response.status < 300 else f"HTTP {response.status}"
    return SendResult(response.status, latency_ms, response_excerpt=excerpt, error=error)
