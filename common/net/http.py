"""HTTP(S) to a user's URL: connect to the checked address, follow redirects checking each, cap size and time.

The connection goes to an address `resolve` checked; the Host header, TLS server name and certificate
check carry the URL's name, so a DNS answer that changes between check and connect cannot send the
request elsewhere. Proxies from the environment are not used (they would connect by name).
"""

import base64
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import urllib3

from common.net.errors import ConnectFailed, HttpStatus, TooLarge, TooManyRedirects, TooSlow, UrlRefused, size_text
from common.net.urls import HTTP, Target, parse, resolve

# None: the system's trusted certificates (tests point it at their own authority).
CA_CERTS: str | None = None
CHUNK = 64 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)
_CREDENTIAL_HEADERS = ("authorization", "cookie", "proxy-authorization")


def pinned_pool(target: Target, address: str, *, maxsize: int = 1) -> urllib3.HTTPConnectionPool:
    """A connection pool to `address` that speaks to it as `target.host` (Host header set per request)."""
    if target.secure:
        return urllib3.HTTPSConnectionPool(
            address,
            target.port,
            maxsize=maxsize,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=CA_CERTS,
        )
    return urllib3.HTTPConnectionPool(address, target.port, maxsize=maxsize)


def request_headers(target: Target, headers: dict[str, str] | None = None) -> dict[str, str]:
    """The caller's headers plus Host (the URL's own) and Basic credentials from the URL, if any."""
    merged = {"Host": target.host_header, **(headers or {})}
    if target.username is not None and not any(k.lower() == "authorization" for k in merged):
        pair = f"{target.username}:{target.password or ''}".encode()
        merged["Authorization"] = "Basic " + base64.b64encode(pair).decode()
    return merged


@dataclass(frozen=True)
class _Limits:
    subject: str
    timeout_s: float
    connect_timeout_s: float
    deadline: float

    def too_slow(self) -> TooSlow:
        return TooSlow(f"{self.subject} took longer than {self.timeout_s:g} s")


class Response:
    """A 2xx answer whose body is read with the size and time limits of the request."""

    def __init__(self, raw: urllib3.BaseHTTPResponse, *, url: str, max_bytes: int, limits: "_Limits"):
        self._raw = raw
        self.url = url
        self.status = raw.status
        self.headers = raw.headers
        self._max_bytes = max_bytes
        self._limits = limits
        self.size = 0

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    def iter_content(self, chunk: int = CHUNK) -> Iterator[bytes]:
        while True:
            remaining = self._limits.deadline - time.monotonic()
            if remaining <= 0:
                raise self._limits.too_slow()
            sock = getattr(self._raw.connection, "sock", None)
            if sock is not None:
                # A server that trickles a byte now and then must not outlast the total time limit.
                sock.settimeout(remaining)
            try:
                block = self._raw.read1(chunk)
            except (urllib3.exceptions.ReadTimeoutError, TimeoutError) as exc:
                raise self._limits.too_slow() from exc
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                raise ConnectFailed(f"{self._limits.subject} broke off the transfer") from exc
            if not block:
                return
            self.size += len(block)
            if self.size > self._max_bytes:
                raise TooLarge(f"{self._limits.subject} is larger than {size_text(self._max_bytes)}")
            yield block

    def read(self) -> bytes:
        return b"".join(self.iter_content())

    def save(self, path: Path) -> Path:
        with open(path, "wb") as out:
            for block in self.iter_content():
                out.write(block)
        return path


def _send(target: Target, addresses: list[str], *, method, body, headers, limits: _Limits):
    """One request to the first of `addresses` that accepts a connection: (response, pool)."""
    failure: Exception | None = None
    for address in addresses:
        remaining = limits.deadline - time.monotonic()
        if remaining <= 0:
            break
        pool = pinned_pool(target, address)
        try:
            raw = pool.urlopen(
                method,
                target.path,
                body=body,
                headers=headers,
                redirect=False,
                retries=False,
                assert_same_host=False,
                timeout=urllib3.Timeout(connect=min(limits.connect_timeout_s, remaining), read=remaining),
                preload_content=False,
                decode_content=False,
            )
            return raw, pool
        except urllib3.exceptions.NewConnectionError as exc:  # before its parent, the connect timeout
            failure = ConnectFailed(f"{limits.subject} could not be reached: connection refused or unreachable")
            failure.__cause__ = exc
        except urllib3.exceptions.ConnectTimeoutError as exc:
            failure = ConnectFailed(f"{limits.subject} could not be reached within {limits.connect_timeout_s:g} s")
            failure.__cause__ = exc
        except urllib3.exceptions.SSLError as exc:
            pool.close()
            raise ConnectFailed(f"{limits.subject} failed the TLS check: {exc.__context__ or exc}"[:300]) from exc
        except urllib3.exceptions.ReadTimeoutError as exc:
            pool.close()
            raise limits.too_slow() from exc
        except (urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
            pool.close()
            raise ConnectFailed(f"{limits.subject} broke off the connection: {type(exc).__name__}") from exc
        pool.close()
    raise failure or limits.too_slow()


@contextmanager
def open_url(
    url: str,
    *,
    subject: str,
    max_bytes: int,
    timeout_s: float,
    connect_timeout_s: float = 10.0,
    max_redirects: int = 5,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Iterator[Response]:
    """Request `url` and yield its 2xx answer, body unread; raises a FetchError with a sentence.

    Every host on the way (the URL's, each redirect's) is resolved once, checked, and connected to at
    the checked address. `max_redirects=0` follows none (a 3xx is then an HttpStatus). The body is
    asked for and counted as sent (`Accept-Encoding: identity`). `timeout_s` bounds the whole exchange.
    """
    limits = _Limits(subject, timeout_s, connect_timeout_s, time.monotonic() + timeout_s)
    current, redirected, hops = url, False, 0
    extra = {"Accept-Encoding": "identity", "User-Agent": "Notula", **(headers or {})}
    while True:
        target = parse(current, schemes=HTTP, subject=subject)
        addresses = resolve(target, subject=subject, redirected=redirected)
        raw, pool = _send(
            target, addresses, method=method, body=body, headers=request_headers(target, extra), limits=limits
        )
        status = raw.status
        location = raw.headers.get("Location")
        if status in _REDIRECTS and location and max_redirects > 0:
            raw.close()
            pool.close()
            if hops >= max_redirects:
                raise TooManyRedirects(f"{subject} redirected more than {max_redirects} times")
            hops += 1
            following = urljoin(current, location)
            if urlsplit(following).scheme.lower() not in HTTP:
                raise UrlRefused(f"{subject} redirects to a URL that is not http(s)")
            if status == 303 or (status in (301, 302) and method == "POST"):
                method, body = "GET", None
            if parse(following, schemes=HTTP, subject=subject).host != target.host:
                extra = {k: v for k, v in extra.items() if k.lower() not in _CREDENTIAL_HEADERS}
            current, redirected = following, True
            continue
        try:
            if not 200 <= status < 300:
                hint = " (redirects are not followed)" if status in _REDIRECTS and max_redirects == 0 else ""
                raise HttpStatus(f"{subject} answered HTTP {status}{hint}", status=status)
            declared = raw.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise TooLarge(f"{subject} is larger than {size_text(max_bytes)}")
            yield Response(raw, url=current, max_bytes=max_bytes, limits=limits)
        finally:
            raw.close()
            pool.close()
        return


def fetch_to_file(url: str, path: Path, **limits) -> Response:
    """Download `url` into `path` (see `open_url` for the limits); returns the answer, body consumed."""
    with open_url(url, **limits) as response:
        response.save(path)
    return response


def fetch_bytes(url: str, **limits) -> bytes:
    with open_url(url, **limits) as response:
        return response.read()
