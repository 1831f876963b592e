"""Which addresses newsbeam may connect to: checked after DNS resolution, on every hop."""
from __future__ import annotations

import ipaddress
import socket
import urllib.parse

ALLOWED_SCHEMES = ("http", "https")


class AddressRefused(Exception):
    """The URL may not be fetched; `reason` is the dead-letter reason."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def is_public_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for a globally routable unicast address; False for loopback, private, link-local
    (cloud metadata 169.254.169.254), multicast, reserved, unspecified and shared space."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and not is_public_ip(embedded):
            return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified
                                 or ip.is_loopback or ip.is_link_local or ip.is_private)


def split_target(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL, or AddressRefused."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise AddressRefused("bad_url", f"unparseable URL {url!r}: {err}") from None
    if parts.scheme not in ALLOWED_SCHEMES:
        raise AddressRefused("bad_scheme", f"scheme {parts.scheme!r} is not fetched (only http, https)")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise AddressRefused("bad_url", f"no host in URL {url!r}")
    if not host.isascii():
        # An internationalised name is looked up, sent in Host and matched in SNI as its IDNA form.
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as err:
            raise AddressRefused("bad_url", f"host {host!r} is not a valid domain name: {err}") from None
    if any(c in host for c in "\x00\r\n\t /\\"):
        raise AddressRefused("bad_url", f"host {host!r} holds characters no host name has")
    return parts.scheme, host, port or (443 if parts.scheme == "https" else 80)


def host_allowed(host: str, port: int, allow_hosts) -> bool:
    """True when HOST or HOST:PORT is on the explicit allow-list."""
    return host in allow_hosts or f"{host}:{port}" in allow_hosts


def resolve_allowed(host: str, port: int, allow_private: bool, allow_hosts=()) -> list[str]:
    """The addresses `host` resolves to, every one of them checked; AddressRefused otherwise.
    Hosts on `allow_hosts` (HOST or HOST:PORT) skip the check, like --allow-private-networks
    but for those hosts only.

    All addresses must pass, not just one: a name that resolves to both a public and an internal
    address is refused, so a connection can never land on the internal one.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise AddressRefused("dns_error", f"cannot resolve {host!r}: {err}") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not allow_private and not host_allowed(host, port, allow_hosts):
        for address in addresses:
            if not is_public_ip(ipaddress.ip_address(address.split("%")[0])):
                raise AddressRefused("blocked_address",
                                     f"{host} resolves to non-public address {address} "
                                     "(use --allow-private-networks to permit)")
    return addresses
