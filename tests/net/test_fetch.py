"""The outbound HTTP fetcher against local servers: pinning, redirects checked hop by hop, size and time caps."""

import time

import pytest

from common import net
from tests.net.servers import INTERNAL, PUBLIC, Route

pytestmark = pytest.mark.usefixtures("production_rules")

LIMITS = {"subject": "file_url", "max_bytes": 1024 * 1024, "timeout_s": 10}


def _url(server, path="/a", name="files.example.test"):
    return f"http://{name}:{server.port}{path}"


def test_connects_to_the_address_it_checked_even_if_dns_changes_at_once(http_pair, dns):
    public, internal = http_pair
    public.routes["/a"] = internal.routes["/a"] = Route(body=b"hello")
    dns.set("files.example.test", PUBLIC, INTERNAL)  # a second lookup, at connect time, would go inside
    assert net.fetch_bytes(_url(public), **LIMITS) == b"hello"
    assert dns.lookups == ["files.example.test"]
    assert public.requests == [("GET", "/a", f"files.example.test:{public.port}", "")]
    assert internal.requests == []


def test_the_next_fetch_checks_again_and_is_refused(http_pair, dns):
    public, internal = http_pair
    public.routes["/a"] = internal.routes["/a"] = Route(body=b"hello")
    dns.set("files.example.test", PUBLIC, INTERNAL)
    net.fetch_bytes(_url(public), **LIMITS)
    with pytest.raises(net.UrlRefused) as refused:
        net.fetch_bytes(_url(public), **LIMITS)
    assert refused.value.message == (
        "file_url: 'files.example.test' resolves to 127.0.0.2, a loopback address; only public addresses are allowed"
    )
    assert internal.requests == [] and len(public.requests) == 1


def test_one_private_answer_among_public_ones_refuses_the_name(http_pair, dns):
    public, internal = http_pair
    dns.set("files.example.test", f"{PUBLIC},{INTERNAL}")
    with pytest.raises(net.UrlRefused, match="127.0.0.2, a loopback address"):
        net.fetch_bytes(_url(public), **LIMITS)
    assert public.requests == [] and internal.requests == []


@pytest.mark.parametrize(
    ("location", "refusal"),
    [
        ("http://{internal}:{port}/secret", "redirects to '127.0.0.2', which is 127.0.0.2, a loopback address"),
        ("http://inside.example.test:{port}/secret", "redirects to 'inside.example.test', which resolves to 127.0.0.2"),
        ("http://[::ffff:127.0.0.2]:{port}/secret", "(127.0.0.2), a loopback address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254, a cloud metadata address"),
        ("http://localhost:{port}/secret", "'localhost', which is a loopback address"),
    ],
)
def test_a_redirect_to_a_private_address_is_refused_before_connecting(http_pair, dns, location, refusal):
    public, internal = http_pair
    dns.set("files.example.test", PUBLIC)
    dns.set("inside.example.test", INTERNAL)
    target = location.format(internal=INTERNAL, port=internal.port)
    public.routes["/a"] = Route(302, headers={"Location": target})
    internal.routes["/secret"] = Route(body=b"credentials")
    with pytest.raises(net.UrlRefused) as refused:
        net.fetch_bytes(_url(public), **LIMITS)
    assert refusal in refused.value.message and refused.value.message.startswith("file_url redirects to")
    assert [r[1] for r in public.requests] == ["/a"] and internal.requests == []


def test_redirects_to_public_hosts_are_followed_and_checked_each(http_pair, dns):
    public, _ = http_pair
    dns.set("files.example.test", PUBLIC)
    dns.set("cdn.example.test", PUBLIC)
    public.routes["/a"] = Route(301, headers={"Location": "/b"})
    public.routes["/b"] = Route(303, headers={"Location": f"http://cdn.example.test:{public.port}/c"})
    public.routes["/c"] = Route(body=b"the file")
    assert net.fetch_bytes(_url(public), **LIMITS) == b"the file"
    assert [(r[1], r[2]) for r in public.requests] == [
        ("/a", f"files.example.test:{public.port}"),
        ("/b", f"files.example.test:{public.port}"),
        ("/c", f"cdn.example.test:{public.port}"),
    ]
    assert dns.lookups == ["files.example.test", "files.example.test", "cdn.example.test"]


def test_international_names_and_raw_characters_travel_escaped(http_pair, dns):
    public, _ = http_pair
    dns.set("xn--bcher-kva.example", PUBLIC)
    public.routes["/a%20b/%C3%A4?q=%C3%BC"] = Route(body=b"ok")
    assert net.fetch_bytes(f"http://bücher.example:{public.port}/a b/ä?q=ü", **LIMITS) == b"ok"
    assert public.requests == [("GET", "/a%20b/%C3%A4?q=%C3%BC", f"xn--bcher-kva.example:{public.port}", "")]


def test_a_redirect_to_another_scheme_is_refused(http_pair, dns):
    public, _ = http_pair
    dns.set("files.example.test", PUBLIC)
    public.routes["/a"] = Route(302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(net.UrlRefused, match="^file_url redirects to a URL that is not http\\(s\\)$"):
        net.fetch_bytes(_url(public), **LIMITS)


def test_credentials_do_not_follow_a_redirect_to_another_host(http_pair, dns):
    public, _ = http_pair
    dns.set("files.example.test", PUBLIC)
    dns.set("cdn.example.test", PUBLIC)
    public.routes["/a"] = Route(302, headers={"Location": f"http://cdn.example.test:{public.port}/c"})
    public.routes["/c"] = Route(body=b"ok")
    url = f"http://user:secret@files.example.test:{public.port}/a"
    assert net.fetch_bytes(url, **LIMITS) == b"ok"
    assert public.requests[0][3] == "Basic dXNlcjpzZWNyZXQ=" and public.requests[1][3] == ""


def test_redirect_hops_are_capped(http_pair, dns):
    public, _ = http_pair
    dns.set("files.example.test", PUBLIC)
    public.routes["/a"] = Route(302, headers={"Location": "/a"})
    with pytest.raises(net.TooManyRedirects, match="file_url redirected more than 3 times"):
        net.fetch_bytes(_url(public), **{**LIMITS, "max_redirects": 3})
    assert len(public.requests) == 4


def test_a_caller_that_follows_no_redirect_gets_the_status(http_pair, dns):
    public, _ = http_pair
    dns.set("files.example.test", PUBLIC)
    public.routes["/a"] = Route(302, headers={"Location": "/b"})
    with pytest.raises(net.HttpStatus, match=r"file_url answered HTTP 302 \(redirects are not followed\)"):
        net.fetch_bytes(_url(public), **{**LIMITS, "max_redirects": 0})
    assert [r[1] for r in public.requests] == ["/a"]


def test_an_error_status_is_a_sentence(http_pair, dns):
    public, _ = http_pair
    dns.set("files.example.test", PUBLIC)
    with pytest.raises(net.HttpStatus, match="^file_url answered HTTP 404$") as failed:
        net.fetch_bytes(_url(public, "/missing"), **LIMITS)
    assert failed.value.status == 404


def test_a_declared_length_over_the_cap_is_refused_before_reading(http_pair, dns):
    public, _ = http_pair
    dns.set("files.example.test", PUBLIC)
    # Declares 2 GB and sends 5 bytes: reading would wait for the rest until the timeout.
    public.routes["/a"] = Route(body=b"start", headers={"Content-Length": str(2 * 1024**3)})
    started = time.monotonic()
    with pytest.raises(net.TooLarge, match="^file_url is larger than 1 MB$"):
        net.fetch_bytes(_url(public), **{**LIMITS, "timeout_s": 30})
    assert time.monotonic() - started < 2


def test_a_body_over_the_cap_is_refused_while_streaming(http_pair, dns, tmp_path):
    public, _ = http_pair
    dns.set("files.example.test", PUBLIC)
    public.routes["/a"] = Route(body=b"x" * 65536, chunks=40)  # 2.5 MB, no Content-Length
    with pytest.raises(net.TooLarge, match="larger than 1 MB"):
        net.fetch_to_file(_url(public), tmp_path / "out", **LIMITS)
    assert (tmp_path / "out").stat().st_size <= 1024 * 1024


def test_a_trickling_server_is_cut_at_the_total_time(http_pair, dns):
    public, _ = http_pair
    dns.set("files.example.test", PUBLIC)
    public.routes["/a"] = Route(body=b"x", chunks=50, delay_s=0.2)  # each read is quick, the whole is 10 s
    started = time.monotonic()
    with pytest.raises(net.TooSlow, match="^file_url took longer than 1 s$"):
        net.fetch_bytes(_url(public), **{**LIMITS, "timeout_s": 1})
    assert time.monotonic() - started < 1.6


def test_a_name_that_does_not_resolve(dns):
    dns.set("gone.example.test", "")
    with pytest.raises(net.ConnectFailed, match="^file_url: 'gone.example.test' does not resolve$"):
        net.fetch_bytes("https://gone.example.test/a", **LIMITS)


def test_only_http_urls_are_fetched(dns):
    with pytest.raises(net.UrlRefused, match="file_url must be an http\\(s\\) URL"):
        net.fetch_bytes("file:///etc/passwd", **LIMITS)
    assert dns.lookups == []
