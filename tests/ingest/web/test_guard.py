"""The SSRF guard refuses every non-public address, on the first request and on every redirect."""

from __future__ import annotations

import asyncio
import http.server
import threading
from collections.abc import Iterator

import pytest

from ingest.web import (
    Fetcher,
    FetchError,
    FetchOptions,
    GuardPolicy,
    Resolver,
    Response,
    check_url,
    static_resolver,
    system_resolver,
)
from tests.ingest.web.fakes import PUBLIC_IP, RESOLVER, FakeSite, Reply

ALLOW_PRIVATE = FetchOptions(policy=GuardPolicy(allow_private=True), retries=0)

REFUSED = [
    ("10.1.2.3", "private"),
    ("172.16.5.4", "private"),
    ("192.168.1.1", "private"),
    ("127.0.0.1", "loopback"),
    ("127.8.9.10", "loopback"),
    ("169.254.169.254", "link-local"),  # cloud metadata
    ("224.0.0.1", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "reserved"),
    ("0.0.0.0", "unspecified"),
    ("100.64.0.1", "shared (CGNAT)"),
    ("100.127.255.254", "shared (CGNAT)"),
    ("192.0.2.10", "private"),  # documentation range
    ("::1", "loopback"),
    ("::", "unspecified"),
    ("fe80::1", "link-local"),
    ("fc00::1", "private"),
    ("ff02::1", "multicast"),
    ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
    ("::ffff:10.0.0.1", "private"),
    ("::ffff:169.254.169.254", "link-local"),
    ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
    ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 around 169.254.169.254
]


def run_check(url: str, resolver: Resolver = RESOLVER, policy: GuardPolicy = GuardPolicy()) -> None:
    asyncio.run(check_url(url, policy, resolver))


@pytest.mark.parametrize(("address", "reason"), REFUSED)
def test_a_host_resolving_to_a_non_public_address_is_refused(address: str, reason: str) -> None:
    resolver = static_resolver({"inside.example": address})
    with pytest.raises(FetchError) as caught:
        run_check("https://inside.example/page", resolver)
    assert str(caught.value.message) == (
        f"refusing to fetch https://inside.example/page: inside.example resolves to {address}, which is {reason}"
    )
    assert caught.value.url == "https://inside.example/page"
    assert "--allow-private" in str(caught.value.hint)


@pytest.mark.parametrize(("address", "reason"), REFUSED)
def test_a_literal_non_public_address_is_refused_without_asking_dns(address: str, reason: str) -> None:
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(FetchError) as caught:
        run_check(f"http://{host}/", static_resolver({}))
    assert caught.value.message == f"refusing to fetch http://{host}/: address {address} is {reason}"


@pytest.mark.parametrize("url", ["http://2130706433/", "http://0x7f.1/", "http://0177.0.0.1/"])
def test_numeric_spellings_of_loopback_are_refused(url: str) -> None:
    with pytest.raises(FetchError) as caught:
        run_check(url, system_resolver)
    # glibc and macOS read these as 127.0.0.1; a resolver that does not is refusing them anyway
    assert "127.0.0.1, which is loopback" in caught.value.message or "cannot resolve" in caught.value.message


def test_a_public_address_is_allowed() -> None:
    run_check("https://docs.example.com/", RESOLVER)
    run_check("http://93.184.216.34:8080/x", static_resolver({}))


def test_one_private_address_among_public_ones_is_enough_to_refuse() -> None:
    resolver = static_resolver({"mixed.example": [PUBLIC_IP, "10.0.0.7"]})
    with pytest.raises(FetchError, match="10.0.0.7, which is private"):
        run_check("https://mixed.example/", resolver)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "gopher://example.com/", "javascript:alert(1)"])
def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(FetchError, match="is not allowed") as caught:
        run_check(url)
    assert caught.value.hint == "give an http:// or https:// URL"


@pytest.mark.parametrize("url", ["http://[oops/", "http://example.com:99999/"])
def test_a_malformed_url_is_an_error_not_a_crash(url: str) -> None:
    with pytest.raises(FetchError, match="is not a valid URL"):
        run_check(url)


def test_a_host_that_does_not_resolve_is_an_error_with_a_hint() -> None:
    with pytest.raises(FetchError, match="cannot resolve nowhere.example") as caught:
        run_check("https://nowhere.example/")
    assert caught.value.hint == "check the host name and your network connection"


def test_allow_private_lets_private_addresses_through() -> None:
    run_check("http://127.0.0.1:9/", static_resolver({}), GuardPolicy(allow_private=True))


def test_a_redirect_to_a_private_address_is_refused_before_it_is_requested() -> None:
    site = FakeSite({"https://docs.example.com/go": Reply(status=302, headers=(("location", "http://169.254.169.254/latest/meta-data/"),))})

    async def run() -> None:
        async with site.fetcher() as fetcher:
            await fetcher.get("https://docs.example.com/go")

    with pytest.raises(FetchError, match="address 169.254.169.254 is link-local"):
        asyncio.run(run())
    assert site.requests == ["https://docs.example.com/go"]


def test_a_redirect_to_another_scheme_is_refused() -> None:
    site = FakeSite({"https://docs.example.com/go": Reply(status=301, headers=(("location", "file:///etc/passwd"),))})

    async def run() -> None:
        async with site.fetcher() as fetcher:
            await fetcher.get("https://docs.example.com/go")

    with pytest.raises(FetchError, match="scheme file is not allowed"):
        asyncio.run(run())


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self.hits.append(self.path)
        body = b"<html><body><p>hello from loopback</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep test output quiet
        pass


@pytest.fixture
def loopback() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1 in a thread: its base URL and the paths it was asked for."""
    hits: list[str] = []
    handler = type("Handler", (_Handler,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def fetch(url: str, options: FetchOptions, resolver: Resolver = system_resolver) -> Response:
    async def run() -> Response:
        async with Fetcher(options, resolver=resolver) as fetcher:
            return await fetcher.get(url)

    return asyncio.run(run())


def test_allow_private_fetches_from_a_loopback_server(loopback: tuple[str, list[str]]) -> None:
    base, hits = loopback
    response = fetch(f"{base}/page", ALLOW_PRIVATE)
    assert (response.status, response.text, hits) == (200, "<html><body><p>hello from loopback</p></body></html>", ["/page"])


def test_the_default_policy_refuses_the_loopback_server_without_a_request(loopback: tuple[str, list[str]]) -> None:
    base, hits = loopback
    with pytest.raises(FetchError, match="address 127.0.0.1 is loopback"):
        fetch(f"{base}/page", FetchOptions(retries=0))
    assert hits == []


def test_dns_rebinding_between_check_and_connect_is_refused_at_connect_time(loopback: tuple[str, list[str]]) -> None:
    base, hits = loopback
    answers = iter([(PUBLIC_IP,), ("127.0.0.1",)])

    async def rebinding(host: str, port: int) -> tuple[str, ...]:
        return next(answers)  # public when checked, loopback when connecting

    port = base.rsplit(":", 1)[1]
    with pytest.raises(FetchError, match="rebind.example resolves to 127.0.0.1, which is loopback") as caught:
        fetch(f"http://rebind.example:{port}/secret", FetchOptions(retries=0), rebinding)
    assert caught.value.url == f"http://rebind.example:{port}/secret"
    assert hits == []
