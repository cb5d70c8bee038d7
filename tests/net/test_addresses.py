"""The outbound address check: which addresses and URLs are refused, under which settings."""

import ipaddress
import runpy
from pathlib import Path

import pytest

from common import net
from common.net.addresses import Policy, address_kind

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "config" / "settings.py"

STRICT = Policy(allow_private=False, allow_metadata=False)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        # IPv4
        ("8.8.8.8", None),
        ("93.184.216.34", None),
        ("127.0.0.1", "loopback"),
        ("127.255.255.254", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("100.64.0.1", "private"),  # carrier-grade NAT
        ("169.254.10.1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("0.1.2.3", "private"),  # "this network"
        ("192.0.2.10", "private"),  # documentation
        # cloud metadata
        ("169.254.169.254", "cloud metadata"),
        ("169.254.170.2", "cloud metadata"),
        ("100.100.100.200", "cloud metadata"),
        ("192.0.0.192", "cloud metadata"),
        ("fd00:ec2::254", "cloud metadata"),
        ("::ffff:169.254.169.254", "cloud metadata"),
        ("64:ff9b::a9fe:a9fe", "cloud metadata"),  # NAT64 of 169.254.169.254
        # IPv6
        ("2606:4700:4700::1111", None),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("fd12:3456::1", "private"),
        ("fec0::1", "private"),  # site-local, deprecated
        ("ff02::1", "multicast"),
        ("2001:db8::1", "private"),  # documentation
        # IPv6 carrying IPv4
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.1.2.3", "private"),
        ("::ffff:8.8.8.8", None),
        ("::127.0.0.1", "loopback"),  # IPv4-compatible
        ("::10.0.0.1", "private"),
        ("::8.8.8.8", "reserved"),  # IPv4-compatible is obsolete: nothing public lives there
        ("2002:7f00:1::1", "loopback"),  # 6to4 of 127.0.0.1
        ("2002:a00:1::1", "private"),  # 6to4 of 10.0.0.1
        ("2002:808:808::1", None),  # 6to4 of 8.8.8.8
        ("64:ff9b::7f00:1", "loopback"),  # NAT64 of 127.0.0.1
        ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
        ("64:ff9b::808:808", None),  # NAT64 of 8.8.8.8
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"),  # Teredo, client 127.0.0.1
    ],
)
def test_address_kind(address, kind):
    assert address_kind(ipaddress.ip_address(address)) == kind
    assert STRICT.refusal(ipaddress.ip_address(address)) == kind


def test_the_development_override_allows_all_but_metadata():
    development = Policy(allow_private=True, allow_metadata=False)
    for address in ("127.0.0.1", "10.0.0.1", "::1", "::ffff:127.0.0.1", "0.0.0.0", "fe80::1"):
        assert development.refusal(ipaddress.ip_address(address)) is None, address
    for address in ("169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254"):
        assert development.refusal(ipaddress.ip_address(address)) == "cloud metadata", address
    assert Policy(allow_private=True, allow_metadata=True).refusal(ipaddress.ip_address("169.254.169.254")) is None


def test_allowed_networks_open_only_themselves_and_never_metadata():
    policy = Policy(allow_private=False, allow_metadata=False, allowed_networks=("10.20.0.0/16", "169.254.0.0/16"))
    assert policy.refusal(ipaddress.ip_address("10.20.3.4")) is None
    assert policy.refusal(ipaddress.ip_address("::ffff:10.20.3.4")) is None
    assert policy.refusal(ipaddress.ip_address("10.21.0.1")) == "private"
    assert policy.refusal(ipaddress.ip_address("127.0.0.1")) == "loopback"
    assert policy.refusal(ipaddress.ip_address("169.254.169.254")) == "cloud metadata"


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("https://hooks.example.com/x", None),
        ("https://8.8.8.8/x", None),
        ("http://[2606:4700:4700::1111]:8080/x", None),
        ("http://127.0.0.1:9000/x", "127.0.0.1, a loopback address"),
        ("http://127.1/x", "127.0.0.1, a loopback address"),  # the resolver's short form
        ("http://2130706433/x", "127.0.0.1, a loopback address"),  # one number
        ("http://0x7f.0.0.1/x", "127.0.0.1, a loopback address"),  # hexadecimal
        ("http://localhost:8000/x", "a loopback address"),
        ("http://api.localhost/x", "a loopback address"),
        ("http://LOCALHOST./x", "a loopback address"),
        ("http://10.0.0.5/x", "10.0.0.5, a private address"),
        ("http://0.0.0.0:8000/x", "0.0.0.0, an unspecified address"),
        ("http://[::]/x", "::, an unspecified address"),
        ("http://[::1]/x", "::1, a loopback address"),
        ("http://[::ffff:127.0.0.1]/x", "(127.0.0.1), a loopback address"),
        ("http://[fe80::1%25eth0]/x", "a link-local address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254, a cloud metadata address"),
        ("http://metadata.google.internal/computeMetadata/v1/", "a cloud metadata address"),
        ("http://[fd00:ec2::254]/latest", "a cloud metadata address"),
        ("ftp://example.com/a", "must be an http(s) URL"),
        ("file:///etc/passwd", "must be an http(s) URL"),
        ("http:///nohost", "must be an http(s) URL"),
        ("http://example.com:99999/", "must be an http(s) URL"),
        ("not a url", "must be an http(s) URL"),
    ],
)
def test_url_problem_at_the_api_edge(settings, url, refused):
    settings.ALLOW_PRIVATE_URLS = False
    problem = net.url_problem(url, subject="file_url")
    if refused is None:
        assert problem is None
    else:
        assert problem is not None and problem.startswith("file_url ") and refused in problem


def test_websocket_urls_need_a_websocket_scheme(settings):
    assert net.url_problem("wss://audio.example.com/in", schemes=net.WEBSOCKET) is None
    assert "must be a ws(s) URL" in net.url_problem("https://audio.example.com/in", schemes=net.WEBSOCKET)


def test_names_are_not_resolved_at_the_edge(settings, monkeypatch):
    settings.ALLOW_PRIVATE_URLS = False

    def no_dns(*args, **kwargs):
        raise AssertionError("resolved at the API edge")

    monkeypatch.setattr("socket.getaddrinfo", no_dns)
    assert net.url_problem("https://does-not-exist.example.com/hook") is None


def test_development_edge_allows_private_but_not_metadata(settings):
    settings.ALLOW_PRIVATE_URLS = True
    assert net.url_problem("http://127.0.0.1:9000/hook") is None
    assert net.url_problem("http://localhost:9000/hook") is None
    assert "cloud metadata" in net.url_problem("http://169.254.169.254/latest")
    settings.ALLOW_METADATA_URLS = True
    assert net.url_problem("http://169.254.169.254/latest") is None


@pytest.mark.parametrize(
    ("env", "allowed"),
    [
        ({"NOTULA_ENV": "development"}, True),
        ({"NOTULA_ENV": "production"}, False),
        ({"NOTULA_ENV": "production", "NOTULA_ALLOW_PRIVATE_URLS": "1"}, True),
        ({"NOTULA_ENV": "development", "NOTULA_ALLOW_PRIVATE_URLS": "0"}, False),
        # the older names, read when the new one is unset
        ({"NOTULA_ENV": "production", "NOTULA_WEBHOOK_ALLOW_PRIVATE": "1", "NOTULA_IMPORT_ALLOW_PRIVATE": "1"}, True),
        ({"NOTULA_ENV": "development", "NOTULA_WEBHOOK_ALLOW_PRIVATE": "0"}, False),
        ({"NOTULA_ENV": "development", "NOTULA_IMPORT_ALLOW_PRIVATE": "false"}, False),
        # one old name on in production leaves the other's default (off): refused, never silently widened
        ({"NOTULA_ENV": "production", "NOTULA_WEBHOOK_ALLOW_PRIVATE": "1"}, False),
        # the new name wins
        ({"NOTULA_ENV": "production", "NOTULA_WEBHOOK_ALLOW_PRIVATE": "1", "NOTULA_ALLOW_PRIVATE_URLS": "0"}, False),
    ],
)
def test_the_override_setting_and_its_older_names(monkeypatch, env, allowed):
    for name in (
        "NOTULA_ALLOW_PRIVATE_URLS",
        "NOTULA_WEBHOOK_ALLOW_PRIVATE",
        "NOTULA_IMPORT_ALLOW_PRIVATE",
        "NOTULA_ALLOW_METADATA_URLS",
        "NOTULA_ALLOWED_PRIVATE_NETWORKS",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    values = runpy.run_path(str(SETTINGS_FILE))
    assert values["ALLOW_PRIVATE_URLS"] is allowed
    assert values["ALLOW_METADATA_URLS"] is False
    assert values["ALLOWED_PRIVATE_NETWORKS"] == []


def test_allowed_networks_setting_is_parsed_and_checked(monkeypatch):
    monkeypatch.setenv("NOTULA_ALLOWED_PRIVATE_NETWORKS", "10.20.0.0/16, fd00:1::/64,192.168.1.7")
    values = runpy.run_path(str(SETTINGS_FILE))
    assert values["ALLOWED_PRIVATE_NETWORKS"] == ["10.20.0.0/16", "fd00:1::/64", "192.168.1.7/32"]
    monkeypatch.setenv("NOTULA_ALLOWED_PRIVATE_NETWORKS", "10.20.0.0/33")
    with pytest.raises(ValueError):
        runpy.run_path(str(SETTINGS_FILE))
