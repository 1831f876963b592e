"""A fault-injecting HTTP server on 127.0.0.1: one feed whose entries each meet one kind of fault.

Every fault names the outcome newsbeam must report for it: a dead letter (stage, reason), an
article row, or an article row flagged paywalled. The chaos test runs `newsbeam run` over all of
them; run `python -m tools.chaosserver` to serve them by hand (it prints the feeds file to use).

Timing: tuned for `CHAOS_ARGS` (read timeout 0.5 s, page deadline 1.5 s, 2 retries): the stalls
last STALL seconds, longer than any of those, and end by themselves so no thread lingers.
"""
from __future__ import annotations

import collections
import dataclasses
import gzip
import os
import socket
import struct
import threading
import time

from tools.localserver import LocalServer, send

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WALLS = os.path.join(ROOT, "tests", "fixtures", "walls")
STALL = 3.0
ARTICLE = ("article", "")
PAYWALLED = ("article", "paywalled")
# Flags a `newsbeam run` over this server needs to finish quickly (add --allow-hosts 127.0.0.1:PORT).
CHAOS_ARGS = ["--read-timeout", "0.5", "--connect-timeout", "1", "--page-deadline", "1.5",
              "--max-page-bytes", "300000", "--max-redirects", "4", "--fetch-retries", "2",
              "--retry-backoff", "0.05", "--max-retry-wait", "2", "--per-host-rate", "0",
              "--per-host-concurrency", "12", "--fetch-concurrency", "16"]

ROBOTS_TXT = b"User-agent: *\nDisallow: /private/\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00" + b"\x00" * 64


def article_html(name: str, extra: str = "") -> bytes:
    """A plain news article page, different for each fault so that none is a copy of another."""
    paragraphs = "".join(
        f"<p>Paragraph {i} of the {name} story. The town council met on Tuesday evening to discuss the "
        f"state of the harbour wall, the cost of repairs after the winter storms and the timetable for "
        f"the works, which residents of the lower streets say cannot start soon enough.{extra}</p>"
        for i in range(1, 6))
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>The {name} story</title>"
            f"</head><body><article><h1>The {name} story</h1><p class='byline'>By Jane Doe</p>"
            f"{paragraphs}</article></body></html>").encode()


@dataclasses.dataclass(frozen=True)
class Fault:
    name: str
    expect: tuple          # (stage, reason) of the dead letter, or ARTICLE / PAYWALLED
    handler: object = None  # route handler at /fault/<name>; None when `link` points elsewhere
    link: str = ""          # the entry's link when not on this server; {port} is filled in


class ChaosServer(LocalServer):
    """LocalServer with every fault routed; `hits[path]` counts the requests each path received."""

    def __init__(self):
        self.hits = collections.Counter()
        self._hits_lock = threading.Lock()
        self.faults = _faults(self)
        self.feed_faults = _feed_faults(self)
        routes = {f"/fault/{f.name}": self._counted(f"/fault/{f.name}", f.handler) for f in self.faults if f.handler}
        routes.update({f"/feeds/{f.name}.xml": self._counted(f"/feeds/{f.name}.xml", f.handler)
                       for f in self.feed_faults})
        routes["/robots.txt"] = self._counted("/robots.txt", lambda h: send(h, 200, ROBOTS_TXT, "text/plain"))
        routes["/feed.xml"] = self._feed
        super().__init__(routes=routes)

    def _counted(self, path, handler):
        def counted(h):
            with self._hits_lock:
                self.hits[path] += 1
            handler(h)
        return counted

    def link(self, fault: Fault) -> str:
        return fault.link.format(port=self.port) if fault.link else self.url(f"/fault/{fault.name}")

    def feed_urls(self) -> list[str]:
        return [self.url("/feed.xml")] + [self.url(f"/feeds/{f.name}.xml") for f in self.feed_faults]

    def expected_entries(self) -> dict:
        """{entry link: (stage, reason) or ARTICLE or PAYWALLED}"""
        return {self.link(f): f.expect for f in self.faults}

    def expected_feeds(self) -> dict:
        return {self.url(f"/feeds/{f.name}.xml"): f.expect for f in self.feed_faults}

    def _feed(self, handler):
        items = "".join(f"<item><title>{f.name}</title><link>{_xml(self.link(f))}</link><guid>chaos-{f.name}</guid></item>"
                        for f in self.faults)
        # One entry without a link (dead letter no_link) and one repeat of a guid (a counted skip).
        items += "<item><title>no link</title><guid isPermaLink='false'>chaos-no-link</guid></item>"
        items += f"<item><title>again</title><link>{_xml(self.link(self.faults[0]))}</link><guid>chaos-{self.faults[0].name}</guid></item>"
        send(handler, 200, f"<?xml version='1.0'?><rss version='2.0'><channel><title>Chaos</title>{items}"
                           f"</channel></rss>".encode(), "application/rss+xml")


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _wall(name: str) -> bytes:
    with open(os.path.join(WALLS, name), "rb") as handle:
        return handle.read()


# ---- fault handlers -------------------------------------------------------------------------

def _status_line_and_headers(h, headers: dict, status: int = 200):
    """Starts a response by hand, for faults that then misbehave in the body."""
    h.send_response(status)
    for name, value in headers.items():
        h.send_header(name, value)
    h.end_headers()


def _headers_then_stall(h):
    _status_line_and_headers(h, {"Content-Type": "text/html", "Content-Length": "100000"})
    h.wfile.write(b"<html><body><p>The start of")
    h.wfile.flush()
    time.sleep(STALL)
    h.close_connection = True


def _stall_before_headers(h):
    time.sleep(STALL)
    h.close_connection = True


def _drip(h):
    """Never silent for long enough to trip the read timeout: only the page deadline stops it."""
    _status_line_and_headers(h, {"Content-Type": "text/html"})
    deadline = time.monotonic() + STALL
    while time.monotonic() < deadline:
        h.wfile.write(b"<p>x</p>")
        h.wfile.flush()
        time.sleep(0.1)
    h.close_connection = True


def _reset(h):
    # SO_LINGER 0: close() sends RST instead of FIN.
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()
    h.close_connection = True


def _short_content_length(h):
    _status_line_and_headers(h, {"Content-Type": "text/html", "Content-Length": "50000"})
    h.wfile.write(article_html("short")[:400])
    h.wfile.flush()
    h.connection.shutdown(socket.SHUT_WR)
    h.close_connection = True


def _endless_chunked(h):
    _status_line_and_headers(h, {"Content-Type": "text/html", "Transfer-Encoding": "chunked"})
    chunk = b"<p>" + b"more " * 2000 + b"</p>"
    for _ in range(5000):   # 50 MB at most, should the client never hang up
        h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    h.close_connection = True


_BOMB = gzip.compress(b"<html><body>" + b" " * 50_000_000, compresslevel=9)


def _gzip_bomb(h):
    send(h, 200, _BOMB, "text/html", {"Content-Encoding": "gzip"})


def _corrupt_gzip(h):
    send(h, 200, b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"not gzip at all" * 20, "text/html",
         {"Content-Encoding": "gzip"})


def _redirect(location):
    return lambda h: send(h, 302, b"", "text/plain", {"Location": location})


def _redirect_chain(h):
    """/fault/redirect-chain?n=K redirects to n=K+1 ... up to 10 hops, then to an article."""
    step = int(h.path.rsplit("n=", 1)[1]) if "n=" in h.path else 0
    send(h, 302, b"", "text/plain", {"Location": f"/fault/redirect-chain?n={step + 1}" if step < 10 else "/fault/ok"})


def _then_ok(server_hits, path, first_status, headers):
    """First request: `first_status`; later ones: the article."""
    def handler(h):
        if server_hits[path] <= 1:
            send(h, first_status, b"<html><body>busy</body></html>", "text/html", headers)
        else:
            send(h, 200, article_html(path.rsplit("/", 1)[1]), "text/html; charset=utf-8")
    return handler


def _not_http(h):
    h.wfile.write(b"SSH-2.0-OpenSSH_9.6\r\n")
    h.wfile.flush()
    h.close_connection = True


def _header_flood(h):
    flood = {f"X-Flood-{i}": "x" * 20 for i in range(150)}   # http.client accepts 100 at most
    _status_line_and_headers(h, {**flood, "Content-Type": "text/html", "Content-Length": "2"})
    h.wfile.write(b"hi")


def _page(body: bytes, ctype: str = "text/html; charset=utf-8", status: int = 200, headers=None):
    return lambda h: send(h, status, body, ctype, headers)


def _faults(server: ChaosServer) -> list[Fault]:
    nested = b"<html><body>" + b"<div>" * 3000 + article_html("nested").split(b"<body>")[1].split(b"</body>")[0] \
        + b"</div>" * 3000 + b"</body></html>"
    mislabelled = article_html("charset", " Café Zürich, naïve façade.")   # UTF-8 bytes, labelled Latin-1
    # cp1252 bytes with no charset anywhere (detected), and with only a <meta> naming it.
    undeclared = article_html("undeclared", " Café Zürich, naïve façade.").decode().replace(
        "<meta charset='utf-8'>", "").encode("cp1252")
    meta_only = article_html("meta", " “Café Zürich”, naïve façade.").decode().replace(
        "<meta charset='utf-8'>", "<meta charset='windows-1252'>").encode("cp1252")
    f = Fault
    return [
        f("ok", ARTICLE, _page(article_html("ok"))),
        f("slow-body", ("fetch", "timeout"), _headers_then_stall),
        f("stalled-before-headers", ("fetch", "timeout"), _stall_before_headers),
        f("drip-past-deadline", ("fetch", "timeout"), _drip),
        f("connection-reset", ("fetch", "connection_error"), _reset),
        f("short-content-length", ("fetch", "truncated"), _short_content_length),
        f("endless-chunked", ("fetch", "too_large"), _endless_chunked),
        f("gzip-bomb", ("fetch", "too_large"), _gzip_bomb),
        f("huge-page", ("fetch", "too_large"), _page(b"<html><body>" + b"<p>word</p>" * 40_000)),
        f("corrupt-gzip", ("fetch", "bad_encoding"), _corrupt_gzip),
        f("redirect-loop", ("fetch", "redirect_loop"), _redirect("/fault/redirect-loop?again=1")),
        f("redirect-chain", ("fetch", "too_many_redirects"), _redirect_chain),
        f("redirect-to-metadata", ("fetch", "blocked_address"), _redirect("http://169.254.169.254/latest/meta-data/")),
        f("redirect-to-file", ("fetch", "bad_scheme"), _redirect("file:///etc/passwd")),
        f("rate-limited-then-ok", ARTICLE, _then_ok(server.hits, "/fault/rate-limited-then-ok", 429, {"Retry-After": "1"})),
        f("rate-limited-too-long", ("fetch", "http_429"), _page(b"slow down", "text/plain", 429, {"Retry-After": "120"})),
        f("unavailable-then-ok", ARTICLE, _then_ok(server.hits, "/fault/unavailable-then-ok", 503, {})),
        f("always-500", ("fetch", "http_500"), _page(b"<html><body>oops</body></html>", status=500)),
        f("not-found", ("fetch", "http_404"), _page(b"<html><body>not here</body></html>", status=404)),
        f("bot-wall-403", ("fetch", "bot_wall"), _page(_wall("bot_wall.html"), status=403)),
        f("js-challenge-503", ("fetch", "js_challenge"), _page(_wall("js_challenge.html"), status=503)),
        f("enable-javascript-202", ("fetch", "js_challenge"), _page(_wall("enable_javascript.html"), status=202)),
        f("captcha", ("fetch", "captcha"), _page(_wall("captcha.html"))),
        f("consent-wall", ("fetch", "consent_wall"), _page(_wall("consent_wall.html"))),
        f("paywall-teaser", PAYWALLED, _page(_wall("paywall_teaser.html"))),
        f("paywall-hard", ("extract", "paywall"), _page(_wall("paywall_hard.html"))),
        f("wrong-charset", ARTICLE, _page(mislabelled, "text/html; charset=iso-8859-1")),
        f("undeclared-charset", ARTICLE, _page(undeclared, "text/html")),
        f("meta-charset-only", ARTICLE, _page(meta_only, "text/html")),
        f("binary-as-html", ("fetch", "not_html"), _page(PNG, "text/html")),
        f("pdf", ("fetch", "not_html"), _page(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/pdf")),
        f("deeply-nested", ("extract", "too_deep"), _page(nested)),
        f("empty-page", ("extract", "no_content"), _page(b"<html><head><title>x</title></head><body></body></html>")),
        f("not-http", ("fetch", "connection_error"), _not_http),
        f("header-flood", ("fetch", "connection_error"), _header_flood),
        f("robots-disallowed", ("fetch", "robots_disallowed"), link="http://127.0.0.1:{port}/private/story.html"),
        f("metadata-address", ("fetch", "blocked_address"), link="http://169.254.169.254/latest/meta-data/"),
        f("metadata-decimal", ("fetch", "blocked_address"), link="http://2852039166/latest/"),
        f("metadata-hex", ("fetch", "blocked_address"), link="http://0xa9fea9fe/latest/"),
        f("metadata-octal", ("fetch", "blocked_address"), link="http://0251.0376.0251.0376/latest/"),
        f("metadata-ipv4-mapped", ("fetch", "blocked_address"), link="http://[::ffff:169.254.169.254]/latest/"),
        f("metadata-trailing-dot", ("fetch", "blocked_address"), link="http://169.254.169.254./latest/"),
        f("userinfo-trick", ("fetch", "blocked_address"), link="http://127.0.0.1:{port}@169.254.169.254/latest/"),
        f("localhost-not-allowed", ("fetch", "blocked_address"), link="http://localhost:{port}/fault/ok"),
        f("unspecified-address", ("fetch", "blocked_address"), link="http://0.0.0.0:{port}/fault/ok"),
        f("ipv6-loopback", ("fetch", "blocked_address"), link="http://[::1]:{port}/fault/ok"),
        f("private-network", ("fetch", "blocked_address"), link="http://10.0.0.1/admin"),
        f("file-url", ("fetch", "bad_scheme"), link="file://localhost/etc/passwd"),
        f("gopher-url", ("fetch", "bad_scheme"), link="gopher://127.0.0.1:{port}/_GET"),
        f("unresolvable-host", ("fetch", "dns_error"), link="http://nonexistent.invalid/story"),
    ]


def _feed_faults(server: ChaosServer) -> list[Fault]:
    def fixture(name):
        with open(os.path.join(ROOT, "tests", "fixtures", "feeds", name), "rb") as handle:
            return handle.read()
    f = Fault
    return [
        f("entity-bomb", ("feeds", "unsafe_xml"), _page(fixture("entity-bomb.xml"), "application/rss+xml")),
        f("external-entity", ("feeds", "unsafe_xml"), _page(fixture("external-entity.xml"), "application/rss+xml")),
        f("not-a-feed", ("feeds", "unreadable_feed"), _page(b'{"items": []}', "application/json")),
        f("feed-500", ("feeds", "http_500"), _page(b"oops", "text/plain", 500)),
        f("feed-to-metadata", ("feeds", "blocked_address"), _redirect("http://169.254.169.254/latest/feed.xml")),
    ]


def main():
    import tempfile
    with ChaosServer() as server:
        feeds = os.path.join(tempfile.mkdtemp(prefix="chaos-"), "feeds.txt")
        with open(feeds, "w") as handle:
            handle.write("\n".join(server.feed_urls()) + "\n")
        print(f"{len(server.faults)} entry faults, {len(server.feed_faults)} feed faults at {server.base_url}\n"
              f"  newsbeam run --feeds {feeds} --output OUT --allow-hosts 127.0.0.1:{server.port} "
              f"{' '.join(CHAOS_ARGS)}\nCtrl-C to stop.", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
