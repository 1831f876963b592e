"""A small HTTP GET client with the limits a crawler needs, and charset decoding.

Built on http.client rather than requests so that every hop connects to the very address that
netguard checked (no second DNS lookup between check and connect), and so that size and time
limits apply while reading, after decompression too.
"""
from __future__ import annotations

import codecs
import dataclasses
import http.client
import re
import socket
import ssl
import time
import urllib.parse
import zlib

from transforms import netguard

HTML_TYPES = ("text/html", "application/xhtml+xml")
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024


@dataclasses.dataclass(frozen=True)
class FetchConfig:
    user_agent: str = "newsbeam/0.1 (+https://github.com/newsbeam/newsbeam)"
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0          # whole request, redirects included
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    allow_private: bool = False
    allow_hosts: tuple = ()         # HOST or HOST:PORT that may be private all the same


@dataclasses.dataclass(frozen=True)
class Response:
    url: str
    final_url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    headers: dict = dataclasses.field(default_factory=dict)   # lower-cased names, of the final hop


class FetchError(Exception):
    """A request that yields no usable response; `reason` is the dead-letter reason."""

    def __init__(self, reason: str, message: str, http_status: int | None = None):
        super().__init__(message)
        self.reason = reason
        self.http_status = http_status


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to an already vetted address while speaking HTTP to the original host name."""

    def __init__(self, host, port, address, connect_timeout, read_timeout, **kwargs):
        super().__init__(host, port, timeout=connect_timeout, **kwargs)
        self._address = address
        self._read_timeout = read_timeout

    def _create_connection(self, address, timeout, source_address=None):
        sock = socket.create_connection((self._address, address[1]), timeout, source_address)
        sock.settimeout(self._read_timeout)
        return sock


class _PinnedHTTPSConnection(_PinnedHTTPConnection, http.client.HTTPSConnection):
    pass


def fetch(url: str, config: FetchConfig, accept_types=HTML_TYPES, extra_headers: dict | None = None) -> Response:
    """GET `url`, following redirects, every hop vetted by netguard; FetchError on any failure.

    `accept_types=None` takes any content type (feeds are served under many wrong ones; the feed
    parser is the judge of those). `extra_headers` (e.g. If-None-Match) go with every hop; a 304
    answer is returned as a Response with status 304 and an empty body."""
    started = time.monotonic()
    seen = {url}
    current = url
    for _hop in range(config.max_redirects + 1):
        status, headers, body = _request_once(current, config, started, extra_headers or {})
        if status in REDIRECT_STATUSES and headers.get("location"):
            target = urllib.parse.urljoin(current, headers["location"].strip())
            if target in seen:
                raise FetchError("redirect_loop", f"redirect loop at {target}", status)
            seen.add(target)
            current = target
            continue
        if status >= 400 or status < 200:
            raise FetchError(f"http_{status}", f"HTTP {status} from {current}", status)
        content_type, charset = parse_content_type(headers.get("content-type", ""))
        if accept_types is not None and not _acceptable(content_type, body, accept_types):
            raise FetchError("not_html", f"content type {content_type or 'unknown'!r} is not a page", status)
        return Response(url, current, status, content_type, charset, body, headers)
    raise FetchError("too_many_redirects", f"more than {config.max_redirects} redirects from {url}")


def _request_once(url: str, config: FetchConfig, started: float, extra_headers: dict):
    try:
        scheme, host, port = netguard.split_target(url)
        addresses = netguard.resolve_allowed(host, port, config.allow_private, config.allow_hosts)
    except netguard.AddressRefused as err:
        raise FetchError(err.reason, str(err)) from None
    parts = urllib.parse.urlsplit(url)
    target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    conn_type = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    kwargs = {"context": ssl.create_default_context()} if scheme == "https" else {}
    conn = conn_type(host, port, addresses[0], config.connect_timeout, config.read_timeout, **kwargs)
    try:
        conn.putrequest("GET", target, skip_accept_encoding=True)
        for name, value in (("User-Agent", config.user_agent), ("Accept-Encoding", "gzip, deflate"),
                            ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5"),
                            *extra_headers.items()):
            conn.putheader(name, value)
        conn.endheaders()
        resp = conn.getresponse()
        headers = {k.lower(): v for k, v in resp.getheaders()}
        if resp.status in REDIRECT_STATUSES or resp.status >= 400:
            return resp.status, headers, b""
        body = _read_capped(resp, headers.get("content-encoding", ""), config, started)
        return resp.status, headers, body
    except FetchError:
        raise
    except (socket.timeout, TimeoutError):
        raise FetchError("timeout", f"timed out talking to {host}") from None
    except ssl.SSLError as err:
        raise FetchError("tls_error", f"TLS error with {host}: {err}") from None
    except (OSError, http.client.HTTPException) as err:
        raise FetchError("connection_error", f"{type(err).__name__} from {host}: {err}") from None
    finally:
        conn.close()


def _read_capped(resp, encoding: str, config: FetchConfig, started: float) -> bytes:
    encoding = encoding.strip().lower()
    decoder = None
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = zlib.decompressobj()
    out = bytearray()
    limit = config.max_bytes
    while True:
        if time.monotonic() - started > config.deadline:
            raise FetchError("timeout", f"page not complete within the {config.deadline:.0f} s deadline")
        chunk = resp.read1(CHUNK)
        if not chunk:
            break
        if decoder is not None:
            # max_length keeps a decompression bomb from inflating past the cap in one call.
            chunk = decoder.decompress(chunk, limit + 1 - len(out))
        out += chunk
        if len(out) > limit:
            raise FetchError("too_large", f"response larger than {limit} bytes")
    return bytes(out)


def parse_content_type(value: str) -> tuple[str, str | None]:
    """('text/html', 'utf-8') from a Content-Type header value."""
    media, _, params = value.partition(";")
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.I)
    return media.strip().lower(), (match.group(1).lower() if match else None)


def _acceptable(content_type: str, body: bytes, accept_types) -> bool:
    head = body[:1024].lstrip().lower()
    if b"\x00" in body[:1024] or head.startswith(b"%pdf"):
        return False
    if content_type:
        return content_type in accept_types
    return head.startswith((b"<", b"\xef\xbb\xbf<"))


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def decode_html(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes: BOM, then the declared charset, then <meta charset>, then UTF-8, then a
    detector. A declared charset that cannot decode the bytes is not trusted (mislabelled pages
    are common), which is what keeps mojibake out of the body column."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(name, errors="replace"), name
    meta = _META_CHARSET.search(body[:4096])
    # Strict UTF-8 first: bytes that decode as UTF-8 are almost never meant as a single-byte
    # charset, whatever the label says.
    candidates = ["utf-8", declared, meta.group(1).decode("ascii", "ignore").lower() if meta else None]
    for name in candidates:
        if not name:
            continue
        try:
            codecs.lookup(name)
            return body.decode(name), name
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        from charset_normalizer import from_bytes
        best = from_bytes(body[:200_000]).best()
        if best is not None:
            return body.decode(best.encoding, errors="replace"), best.encoding
    except ImportError:
        pass
    return body.decode("cp1252", errors="replace"), "cp1252"
