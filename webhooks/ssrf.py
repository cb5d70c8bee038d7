"""Refuses webhook URLs that point inside the network, unless settings.WEBHOOK_ALLOW_PRIVATE."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from common.errors import ValidationError


class UnsafeUrl(ValidationError):
    code = "unsafe_url"


def _is_private(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified


def resolve_public(host: str, port: int) -> list[str]:
    """The host's addresses; raises UnsafeUrl if any is private/loopback/link-local."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise UnsafeUrl(f"Cannot resolve '{host}': {exc}.", fields={"url": ["host does not resolve"]}) from exc
    addresses = sorted({info[4][0] for info in infos})
    if not settings.WEBHOOK_ALLOW_PRIVATE and any(_is_private(a) for a in addresses):
        raise UnsafeUrl(
            f"'{host}' resolves to a private, loopback or link-local address; webhooks must go to public hosts.",
            fields={"url": ["private address"]},
        )
    return addresses


def url_check(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeUrl("Webhook URLs must be http(s) URLs.", fields={"url": ["http(s) URL required"]})
    if settings.WEBHOOK_ALLOW_PRIVATE:
        return
    host = parts.hostname
    try:
        if _is_private(host):
            raise UnsafeUrl(
                f"'{host}' is a private, loopback or link-local address.", fields={"url": ["private address"]}
            )
        return
    except ValueError:
        pass  # a name, not an address: resolved at delivery time, each time (DNS can change)
