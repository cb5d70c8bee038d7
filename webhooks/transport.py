"""One HTTP POST of a webhook: SSRF check at send time, then a request to the checked address.

The host is resolved and every address checked right before sending, and the connection goes to the
address that was checked (the Host header and TLS server name carry the original name): a DNS answer
that changes between check and connect cannot redirect the request inside the network. Redirects are
never followed. Connections are kept alive per worker process, one pool per (address, port, name).
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from django.conf import settings

from webhooks.ssrf import UnsafeUrl, resolve_public

EXCERPT_CHARS = 500
_READ_LIMIT = 4096
_RESOLVE_TTL_S = 10.0
_MAX_POOLS = 64

# None: the system's trusted certificates (tests point it at their own authority).
CA_CERTS: str | None = None
_POOL_SIZE = 4  # kept-alive connections per receiver address, per process (a threads pool shares them)

_pools: OrderedDict[tuple, urllib3.HTTPConnectionPool] = OrderedDict()
_resolved: dict[tuple[str, int], tuple[float, str]] = {}
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


def _address(host: str, port: int) -> str:
    """A checked address of host; cached briefly per process (the cache holds only checked answers)."""
    now = time.monotonic()
    cached = _resolved.get((host, port))
    if cached and now - cached[0] < _RESOLVE_TTL_S:
        return cached[1]
    address = resolve_public(host, port)[0]
    _resolved[(host, port)] = (now, address)
    return address


def _pool(scheme: str, address: str, port: int, host: str) -> urllib3.HTTPConnectionPool:
    key = (scheme, address, port, host)
    with _lock:
        pool = _pools.get(key)
        if pool is not None:
            _pools.move_to_end(key)
            return pool
        if scheme == "https":
            pool = urllib3.HTTPSConnectionPool(
                address,
                port,
                maxsize=_POOL_SIZE,
                server_hostname=host,
                assert_hostname=host,
                cert_reqs="CERT_REQUIRED",
                ca_certs=CA_CERTS,
            )
        else:
            pool = urllib3.HTTPConnectionPool(address, port, maxsize=_POOL_SIZE)
        _pools[key] = pool
        while len(_pools) > _MAX_POOLS:
            _pools.popitem(last=False)[1].close()
        return pool


def _error_text(exc: Exception) -> str:
    if isinstance(exc, urllib3.exceptions.NewConnectionError):
        # Checked first: urllib3 makes it a subclass of its timeout error.
        return f"connection failed: {exc}"[:500]
    if isinstance(exc, urllib3.exceptions.TimeoutError):
        return f"timeout after {settings.WEBHOOK_TIMEOUT_S:g} s"
    reason = getattr(exc, "reason", None) or exc
    return f"{type(exc).__name__}: {reason}"[:500]


def post(url: str, *, body: bytes, headers: dict[str, str], timeout: float | None = None) -> SendResult:
    """POST body to url; never raises for network trouble (the result carries the error)."""
    started = time.monotonic()
    parts = urlsplit(url)
    host = parts.hostname or ""
    scheme = parts.scheme
    port = parts.port or (443 if scheme == "https" else 80)
    try:
        if scheme not in ("http", "https") or not host:
            raise UnsafeUrl("Webhook URLs must be http(s) URLs.")
        address = _address(host, port)
    except UnsafeUrl as exc:
        return SendResult(None, 0, error=f"refused: {exc.message}"[:500])
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host_header = parts.netloc.rpartition("@")[2]
    pool = _pool(scheme, address, port, host)
    try:
        response = pool.urlopen(
            "POST",
            path,
            body=body,
            headers={**headers, "Host": host_header},
            redirect=False,
            retries=False,
            assert_same_host=False,
            timeout=urllib3.Timeout(total=timeout or settings.WEBHOOK_TIMEOUT_S),
            preload_content=False,
        )
    except Exception as exc:  # every network failure is an attempt outcome, not a crash
        return SendResult(None, int((time.monotonic() - started) * 1000), error=_error_text(exc))
    try:
        data = response.read(_READ_LIMIT)
        # A body we did not read whole poisons the kept-alive connection: drop that one.
        if len(data) >= _READ_LIMIT:
            response.close()
        else:
            response.release_conn()
    except Exception as exc:
        response.close()
        return SendResult(response.status, int((time.monotonic() - started) * 1000), error=_error_text(exc))
    latency_ms = int((time.monotonic() - started) * 1000)
    excerpt = data.decode("utf-8", errors="replace")[:EXCERPT_CHARS]
    error = "" if 200 <= response.status < 300 else f"HTTP {response.status}"
    return SendResult(response.status, latency_ms, response_excerpt=excerpt, error=error)
