"""Which IP addresses an outbound URL may reach: public ones only, unless settings say otherwise.

`address_kind` names what is wrong with an address (or None for a public one), the same for IPv4 and
IPv6. An IPv6 address that carries an IPv4 one (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible
`::a.b.c.d`, 6to4 `2002::/16`, Teredo, NAT64 `64:ff9b::/96`) is judged by the IPv4 address inside it
too: `::ffff:127.0.0.1` is loopback, and a NAT64 gateway would carry `64:ff9b::a00:1` to 10.0.0.1.
"""

import functools
import ipaddress
from dataclasses import dataclass

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

METADATA = "cloud metadata"

# Instance metadata services hand out credentials of the machine they run on.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle, ...
        "169.254.170.2",  # AWS ECS task metadata and credentials
        "169.254.170.23",  # AWS EKS pod identity
        "fd00:ec2::254",  # AWS, over IPv6
        "fd00:ec2::23",  # AWS EKS pod identity, over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud (older instances)
    )
)
METADATA_NAMES = frozenset({"metadata.google.internal", "metadata.goog", "metadata.azure.com"})

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries, where it carries one."""
    if ip.version == 4:
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64 or (ip.packed[:12] == bytes(12) and int(ip) > 1):
        return ipaddress.IPv4Address(ip.packed[12:])
    return None


def _own_kind(ip: IPAddress) -> str | None:
    if ip in METADATA_ADDRESSES:
        return METADATA
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.version == 6 and ip.is_site_local:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private or not ip.is_global:
        return "private"
    return None


def address_kind(ip: IPAddress) -> str | None:
    """What makes `ip` not public ("loopback", "private", "cloud metadata", ...), or None if it is public."""
    inner = embedded_ipv4(ip)
    if inner is not None:
        kind = _own_kind(inner)
        if kind is not None:
            return kind
        if ip.ipv4_mapped is not None or ip in _NAT64:
            return None  # a public IPv4 address, reached over IPv6
    return _own_kind(ip)


@dataclass(frozen=True)
class Policy:
    """What settings allow beyond public addresses; read at each check, so a change applies at once."""

    allow_private: bool
    allow_metadata: bool
    allowed_networks: tuple[str, ...] = ()

    @classmethod
    def current(cls) -> "Policy":
        return cls(
            allow_private=settings.ALLOW_PRIVATE_URLS,
            allow_metadata=settings.ALLOW_METADATA_URLS,
            allowed_networks=tuple(settings.ALLOWED_PRIVATE_NETWORKS),
        )

    def refusal(self, ip: IPAddress) -> str | None:
        """The kind of `ip` if this policy refuses it, else None."""
        kind = address_kind(ip)
        if kind is None:
            return None
        if kind == METADATA:
            return None if self.allow_metadata else kind
        if self.allow_private:
            return None
        effective = embedded_ipv4(ip) or ip
        if any(effective in network for network in _networks(self.allowed_networks)):
            return None
        return kind


@functools.lru_cache(maxsize=32)
def _networks(cidrs: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(c, strict=False) for c in cidrs)
