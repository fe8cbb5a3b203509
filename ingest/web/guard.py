"""The SSRF guard: ctx fetches public web pages only, unless told to trust private networks.

A URL given to ctx (or found on a crawled page, or in a redirect) could point at a cloud
metadata endpoint, a router or a service on localhost. Before every request and every redirect
hop the host is resolved and every address it resolves to must be globally routable: not
private, loopback, link-local, multicast, reserved, unspecified or shared (CGNAT 100.64/10),
also when wrapped in IPv6 (IPv4-mapped, 6to4, Teredo, NAT64). Only http and https are fetched.

DNS rebinding (a host that resolves to a public address when checked and a private one when
connected) is closed by `transport.GuardedTransport`, which connects to the very addresses it
has just checked. A transport injected for tests (httpx's MockTransport) opens no sockets, so
only the check before each request applies to it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import FetchError

Resolver = Callable[[str, int], Awaitable[tuple[str, ...]]]
"""Resolves (host, port) to IP address strings; raises OSError when the name does not resolve."""

_IP = ipaddress.IPv4Address | ipaddress.IPv6Address
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: RFC 6598
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_HINT = (
    "ctx fetches public internet addresses only; to reach a local or intranet server you trust, "
    "allow private addresses explicitly (--allow-private on the ctx command or MCP server)"
)


@dataclass(frozen=True)
class GuardPolicy:
    """Which URLs may be fetched: http(s) to public addresses, or also private ones when allowed."""

    allow_private: bool = False
    schemes: frozenset[str] = frozenset({"http", "https"})


async def system_resolver(host: str, port: int) -> tuple[str, ...]:
    """The operating system's resolver (getaddrinfo), run off the event loop."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return tuple(dict.fromkeys(str(info[4][0]) for info in infos))


def static_resolver(table: Mapping[str, str | Sequence[str]]) -> Resolver:
    """A deterministic resolver for tests: host → address(es); other hosts fail like unknown names."""

    known = {host.lower(): found for host, found in table.items()}

    async def resolve(host: str, port: int) -> tuple[str, ...]:
        found = known.get(host.lower())
        if found is None:
            raise socket.gaierror(socket.EAI_NONAME, f"unknown host {host}")
        return (found,) if isinstance(found, str) else tuple(found)

    return resolve


def blocked_reason(address: str) -> str | None:
    """Why `address` must not be fetched ("loopback", "private"...), or None for a public address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone ("fe80::1%eth0") is dropped
    ip = _embedded_ipv4(ip) or ip
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("shared (CGNAT)", isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("not globally routable", not ip.is_global),
    )
    return next((name for name, hit in checks if hit), None)


def check_scheme(url: str, policy: GuardPolicy) -> str:
    """The host of `url`; raises `FetchError` for a scheme the policy refuses or a missing host."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise FetchError(f"{url} is not a valid URL ({exc})", url=url, hint="check the URL for typos") from exc
    if parts.scheme.lower() not in policy.schemes:
        shown = parts.scheme or "(none)"
        raise FetchError(f"refusing to fetch {url}: scheme {shown} is not allowed", url=url,
                         hint="give an http:// or https:// URL")
    if not parts.hostname:
        raise FetchError(f"refusing to fetch {url}: it names no host", url=url,
                         hint="give a full URL such as https://example.com/")
    return parts.hostname


async def check_url(url: str, policy: GuardPolicy, resolver: Resolver = system_resolver) -> None:
    """Refuse `url` (raise `FetchError`) unless its scheme is allowed and its host resolves to public addresses only."""
    host = check_scheme(url, policy)
    if not policy.allow_private:
        port = urlsplit(url).port or (443 if urlsplit(url).scheme.lower() == "https" else 80)
        await resolve_checked(host, port, policy, resolver, url=url)


async def resolve_checked(host: str, port: int, policy: GuardPolicy, resolver: Resolver, *, url: str) -> tuple[str, ...]:
    """The addresses of `host`, every one of them allowed by `policy`; raises `FetchError` otherwise."""
    addresses = await _resolve(host, port, resolver, url)
    if not policy.allow_private:
        for address in addresses:
            reason = blocked_reason(address)
            if reason is not None:
                what = f"address {address} is" if _literal(host) else f"{host} resolves to {address}, which is"
                raise FetchError(f"refusing to fetch {url}: {what} {reason}", url=url, hint=_HINT)
    return addresses


async def _resolve(host: str, port: int, resolver: Resolver, url: str) -> tuple[str, ...]:
    literal = _literal(host)
    if literal is not None:
        return (literal,)
    try:
        addresses = await resolver(host, port)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host} for {url}", url=url,
                         hint="check the host name and your network connection") from exc
    if not addresses:
        raise FetchError(f"cannot resolve {host} for {url}", url=url, hint="check the host name")
    return addresses


def _literal(host: str) -> str | None:
    """`host` (without brackets) when it is an IP address, as written; else None."""
    bare = host.strip("[]")
    try:
        ipaddress.ip_address(bare.split("%", 1)[0])
    except ValueError:
        return None
    return bare


def _embedded_ipv4(ip: _IP) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo client, NAT64), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None
