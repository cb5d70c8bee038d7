"""Parsing a user's URL, the check at the API edge, and the resolve-and-check before each connection.

At the API edge a URL is checked for its shape and for a host that is itself a non-public address
(`127.0.0.1`, `[::1]`, `0x7f.1`, `localhost`); names are resolved only at fetch time, every time,
because their answers change.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, quote, urlsplit

from common.net.addresses import METADATA, METADATA_NAMES, IPAddress, Policy, embedded_ipv4
from common.net.errors import ConnectFailed, UnsafeUrl, UrlRefused

HTTP = ("http", "https")
WEBSOCKET = ("ws", "wss")
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
_SAFE = "!#$%&'()*+,/:;=?@[]~"


@dataclass(frozen=True)
class Target:
    """One URL taken apart: where to connect, and what to say in the Host header and TLS."""

    url: str
    scheme: str
    host: str
    port: int
    host_header: str
    path: str
    username: str | None
    password: str | None

    @property
    def secure(self) -> bool:
        return self.scheme in ("https", "wss")


def _scheme_text(schemes: tuple[str, ...]) -> str:
    return {HTTP: "an http(s)", WEBSOCKET: "a ws(s)"}.get(schemes, "a " + "/".join(schemes))


def parse(url: str, *, schemes: tuple[str, ...] = HTTP, subject: str = "the URL") -> Target:
    """The parts of `url`; raises UrlRefused if it is not an absolute URL with one of `schemes`."""
    wrong = UrlRefused(f"{subject} must be {_scheme_text(schemes)} URL")
    try:
        parts: SplitResult = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise wrong from exc
    scheme = parts.scheme.lower()
    if scheme not in schemes or not parts.hostname:
        raise wrong
    host = parts.hostname.rstrip(".") or parts.hostname
    if ":" not in host:  # a name or IPv4: international names travel as their ASCII form
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise wrong from exc
    bracketed = f"[{host}]" if ":" in host else host
    # Characters a URL should not carry raw (spaces, non-ASCII) are escaped, as browsers do.
    path = quote(parts.path or "/", safe=_SAFE) + (f"?{quote(parts.query, safe=_SAFE)}" if parts.query else "")
    return Target(
        url=url.strip(),
        scheme=scheme,
        host=host,
        port=port or _DEFAULT_PORTS[scheme],
        host_header=f"{bracketed}:{port}" if port else bracketed,
        path=path,
        username=parts.username,
        password=parts.password,
    )


def literal_address(host: str) -> IPAddress | None:
    """The address `host` spells, in any form the resolver accepts (`127.1`, `0x7f000001`), else None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefxABCDEFX." for c in host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _article(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"


def _refused(subject: str, host: str, ip: IPAddress | None, kind: str, *, literal: bool, redirected: bool):
    what = f"{_article(kind)} {kind} address"
    if ip is not None:
        inner = embedded_ipv4(ip)
        shown = f"{ip} ({inner})" if inner is not None else str(ip)
        what = f"{shown}, {what}"
    if redirected:
        place = f"{subject} redirects to '{host}', which " + ("is" if literal else "resolves to")
    elif literal:
        place = f"{subject} points to"
    else:
        place = f"{subject}: '{host}' resolves to"
    return UrlRefused(f"{place} {what}; only public addresses are allowed")


def _name_kind(host: str, policy: Policy) -> str | None:
    name = host.lower()
    if name in METADATA_NAMES and not policy.allow_metadata:
        return METADATA
    if (name == "localhost" or name.endswith(".localhost")) and not policy.allow_private:
        return "loopback"
    return None


def check_target(target: Target, *, subject: str, policy: Policy | None = None, redirected: bool = False) -> None:
    """Refuse a host that is, by its spelling alone, a non-public address (no DNS lookup)."""
    policy = policy or Policy.current()
    ip = literal_address(target.host)
    if ip is not None:
        kind = policy.refusal(ip)
        if kind:
            raise _refused(subject, target.host, ip, kind, literal=True, redirected=redirected)
        return
    kind = _name_kind(target.host, policy)
    if kind:
        raise _refused(subject, target.host, None, kind, literal=True, redirected=redirected)


def url_problem(url: str, *, schemes: tuple[str, ...] = HTTP, subject: str = "the URL") -> str | None:
    """Why the API refuses `url` (a sentence), or None. Names are not resolved here."""
    try:
        check_target(parse(url, schemes=schemes, subject=subject), subject=subject)
    except UrlRefused as exc:
        return exc.message
    return None


def url_check(url: str, *, field: str, schemes: tuple[str, ...] = HTTP, subject: str | None = None) -> None:
    """The API edge: raises UnsafeUrl (400, naming `field`) for a malformed or non-public URL."""
    problem = url_problem(url, schemes=schemes, subject=subject or field)
    if problem:
        raise UnsafeUrl(problem, fields={field: [problem]})


def resolve(target: Target, *, subject: str, policy: Policy | None = None, redirected: bool = False) -> list[str]:
    """The addresses to connect to, every one of them checked; raises UrlRefused or ConnectFailed.

    One non-public answer refuses the whole name: a resolver that mixes answers is not trusted.
    """
    policy = policy or Policy.current()
    check_target(target, subject=subject, policy=policy, redirected=redirected)
    literal = literal_address(target.host)
    if literal is not None:
        return [str(literal)]
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ConnectFailed(f"{subject}: '{target.host}' does not resolve") from exc
    addresses: list[str] = []
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        kind = policy.refusal(ip)
        if kind:
            raise _refused(subject, target.host, ip, kind, literal=False, redirected=redirected)
        if str(ip) not in addresses:
            addresses.append(str(ip))
    if not addresses:
        raise ConnectFailed(f"{subject}: '{target.host}' does not resolve")
    return addresses
