"""A small HTTP GET client with the limits a crawler needs, and charset decoding.

Built on http.client rather than requests so that every hop connects to the very address that
netguard checked (no second DNS lookup between check and connect), and so that size and time
limits apply while reading, after decompression too.
"""
from __future__ import annotations

import codecs
import dataclasses
import email.utils
import http.client
import re
import socket
import ssl
import time
import urllib.parse
import zlib

from transforms import netguard

HTML_TYPES = ("text/html", "application/xhtml+xml", "text/xml", "application/xml")
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024
# Enough of an error page to recognise a bot wall or challenge (they are small); the rest is not read.
ERROR_BODY_BYTES = 64 * 1024


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

    def __init__(self, reason: str, message: str, http_status: int | None = None,
                 retry_after: float | None = None, body: bytes = b""):
        super().__init__(message)
        self.reason = reason
        self.http_status = http_status
        self.retry_after = retry_after   # seconds the server asked us to wait (Retry-After)
        self.body = body                 # start of an error response's body, to recognise bot walls


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to an already vetted address while speaking HTTP to the original host name."""

    def __init__(self, host, port, address, connect_timeout, read_timeout, **kwargs):
        super().__init__(host, port, timeout=connect_timeout, **kwargs)
        self._address = address
        self._read_timeout = read_timeout
        # HTTPConnection.__init__ sets `_create_connection` as an instance attribute
        # (socket.create_connection), which would shadow a method of that name here: without this
        # assignment the host name is resolved again at connect time (a DNS-rebinding window) and
        # the read timeout is never applied.
        self._create_connection = self._connect_pinned

    def _connect_pinned(self, address, timeout, source_address=None):
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
            raise FetchError(f"http_{status}", f"HTTP {status} from {current}", status,
                             retry_after=parse_retry_after(headers.get("retry-after")), body=body)
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
    # Feeds list links with spaces and other raw characters; send them percent-encoded, as browsers do.
    target = urllib.parse.urlunsplit(("", "", urllib.parse.quote(parts.path or "/", safe=_PATH_SAFE),
                                      urllib.parse.quote(parts.query, safe=_PATH_SAFE + "?"), ""))
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
        if resp.status in REDIRECT_STATUSES:
            return resp.status, headers, b""
        if resp.status >= 400:
            return resp.status, headers, _read_error_body(resp, headers, config, started)
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


_PATH_SAFE = "/%:@!$&'()*+,;=-._~"


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _read_error_body(resp, headers: dict, config: FetchConfig, started: float) -> bytes:
    """The first ERROR_BODY_BYTES of an error response, or b"" if it cannot be read: it only serves
    to recognise bot walls, so a failure here must not hide the HTTP status."""
    small = dataclasses.replace(config, max_bytes=min(config.max_bytes, ERROR_BODY_BYTES))
    try:
        return _read_capped(resp, headers.get("content-encoding", ""), small, started, truncate=True)
    except (FetchError, OSError, http.client.HTTPException, zlib.error):
        return b""


def _read_capped(resp, encoding: str, config: FetchConfig, started: float, truncate: bool = False) -> bytes:
    """The body, decompressed, within the deadline and size cap. `truncate` returns the first
    max_bytes instead of failing with too_large. A body shorter than its Content-Length (the
    server closed early) is `truncated`, never a silently shortened page."""
    encoding = encoding.strip().lower()
    if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
        # We ask for gzip and deflate only; anything else (br, zstd, ...) would reach the page as bytes.
        raise FetchError("bad_encoding", f"unrequested Content-Encoding {encoding!r}")
    decoder = None
    out = bytearray()
    limit = config.max_bytes
    while True:
        if time.monotonic() - started > config.deadline:
            raise FetchError("timeout", f"page not complete within the {config.deadline:.0f} s deadline")
        chunk = resp.read1(CHUNK)
        if not chunk:
            # http.client leaves `length` at the bytes still owed by the Content-Length.
            if resp.length:
                raise FetchError("truncated", f"connection closed {resp.length} bytes before the "
                                              "end announced by Content-Length")
            break
        if decoder is None and encoding not in ("", "identity"):
            decoder = _decompressor(encoding, chunk)
        if decoder is not None:
            # max_length keeps a decompression bomb from inflating past the cap in one call.
            try:
                chunk = decoder.decompress(chunk, limit + 1 - len(out))
            except zlib.error as err:
                raise FetchError("bad_encoding", f"{encoding} body does not decompress: {err}") from None
        out += chunk
        if len(out) > limit:
            if truncate:
                return bytes(out[:limit])
            raise FetchError("too_large", f"response larger than {limit} bytes")
    return bytes(out)


def _decompressor(encoding: str, first_chunk: bytes):
    """zlib decompressor for gzip, or for deflate either zlib-wrapped (as RFC 9110 says) or raw (as
    some servers send it): a zlib header is 0x78 followed by a byte making the pair a multiple of 31."""
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    wrapped = len(first_chunk) >= 2 and first_chunk[0] & 0x0F == 8 and (first_chunk[0] << 8 | first_chunk[1]) % 31 == 0
    return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)


def parse_content_type(value: str) -> tuple[str, str | None]:
    """('text/html', 'utf-8') from a Content-Type header value."""
    media, _, params = value.partition(";")
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.I)
    return media.strip().lower(), (match.group(1).lower() if match else None)


def _acceptable(content_type: str, body: bytes, accept_types) -> bool:
    """A page type, and bytes that look like text (binary served as text/html is not a page)."""
    head = body[:1024].lstrip().lower()
    utf16 = body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if (b"\x00" in body[:1024] and not utf16) or head.startswith(b"%pdf"):
        return False
    if content_type:
        return content_type in accept_types
    return head.startswith((b"<", b"\xef\xbb\xbf<"))


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


# The WHATWG Encoding Standard decodes these labels as windows-1252, as every browser does: pages
# labelled Latin-1 use its curly quotes and dashes (0x80-0x9F), which Latin-1 turns into controls.
_WINDOWS_1252_LABELS = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii",
                                  "iso_8859-1", "cp819", "ibm819", "windows-1252", "x-cp1252"})
# For a page that names no charset: the WHATWG HTML standard's default encoding by locale (section
# "determining the character encoding", suggested defaults), keyed on <html lang>. Languages not
# listed here default to windows-1252 like the standard; a detector guess is used only without lang.
_DEFAULT_BY_LANG = {
    **dict.fromkeys(("ar", "fa", "ur"), "cp1256"), **dict.fromkeys(("lt", "lv", "et"), "cp1257"),
    **dict.fromkeys(("cs", "hu", "pl", "sk", "sl", "hr", "ro", "bs"), "cp1250"),
    **dict.fromkeys(("bg", "ru", "uk", "sr", "mk", "be", "kk", "ky", "tg", "tt"), "cp1251"),
    "el": "cp1253", "he": "cp1255", "iw": "cp1255", "ja": "shift_jis", "ko": "euc-kr", "th": "cp874",
    "tr": "cp1254", "az": "cp1254", "vi": "cp1258", "zh": "gb18030",
}
_HTML_LANG = re.compile(rb"""<html\b[^>]{0,300}?\blang\s*=\s*["']?([A-Za-z]{2,3})\b""", re.I)


def _codec_for_label(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    return "cp1252" if label in _WINDOWS_1252_LABELS else label


def decode_html(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes: BOM, then strict UTF-8, then the declared charset, then <meta charset>,
    then the default for the page's <html lang>, then a detector. A declared charset that cannot
    decode the bytes is not trusted (mislabelled pages are common), and Latin-1 labels mean
    windows-1252 as in browsers: this is what keeps mojibake out of the body column."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(name, errors="replace"), name
    meta = _META_CHARSET.search(body[:4096])
    lang = _HTML_LANG.search(body[:4096])
    # Strict UTF-8 first: bytes that decode as UTF-8 are almost never meant as a single-byte
    # charset, whatever the label says.
    candidates = ["utf-8", _codec_for_label(declared),
                  _codec_for_label(meta.group(1).decode("ascii", "ignore")) if meta else None,
                  _DEFAULT_BY_LANG.get(lang.group(1).decode().lower(), "cp1252") if lang else None]
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
