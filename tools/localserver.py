"""A local HTTP server on 127.0.0.1 for the demo, the tests and the benchmark.

It serves a folder, replacing the placeholder {{BASE_URL}} in text files with its own address, can
add latency to every response, and takes extra routes (path -> handler) for fault cases.
"""
from __future__ import annotations

import http.server
import mimetypes
import os
import socketserver
import threading
import time
import urllib.parse
import zlib

PLACEHOLDER = b"{{BASE_URL}}"
TEXT_TYPES = {".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
              ".xml": "application/xml; charset=utf-8", ".rss": "application/rss+xml; charset=utf-8",
              ".atom": "application/atom+xml; charset=utf-8", ".opml": "text/x-opml; charset=utf-8",
              ".txt": "text/plain; charset=utf-8", ".json": "application/json"}


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        pass  # clients that hang up early are what several tests are about


class LocalServer:
    """Use as a context manager: `with LocalServer(folder) as server: server.url("/a.html")`."""

    def __init__(self, root: str | None = None, routes: dict | None = None, latency: float = 0.0):
        """`routes` maps a path, or a prefix ending in '*', to a handler(request_handler)."""
        self.root = os.path.abspath(root) if root else None
        self.routes = dict(routes or {})
        self.latency = latency
        self.requests = 0
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), self._handler_class())
        self.port = self._httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread = None

    def url(self, path: str) -> str:
        return self.base_url + path

    def __enter__(self):
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="localserver", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._httpd.shutdown()
        self._httpd.server_close()

    def _handler_class(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                with server._lock:
                    server.requests += 1
                if server.latency:
                    time.sleep(server.latency)
                path = urllib.parse.urlsplit(self.path).path
                route = server.routes.get(path) or next(
                    (r for prefix, r in server.routes.items() if prefix.endswith("*") and path.startswith(prefix[:-1])),
                    None)
                try:
                    if route is not None:
                        route(self)
                    else:
                        server._serve_file(self, path)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler

    def _serve_file(self, handler, path: str):
        if self.root is None:
            return send(handler, 404, b"not found", "text/plain")
        local = os.path.normpath(os.path.join(self.root, urllib.parse.unquote(path).lstrip("/")))
        if not local.startswith(os.path.abspath(self.root)) or not os.path.isfile(local):
            return send(handler, 404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html")
        with open(local, "rb") as fh:
            body = fh.read()
        ext = os.path.splitext(local)[1].lower()
        if ext in TEXT_TYPES:
            body = body.replace(PLACEHOLDER, self.base_url.encode())
            ctype = TEXT_TYPES[ext]
        else:
            ctype = mimetypes.guess_type(local)[0] or "application/octet-stream"
        send(handler, 200, body, ctype)


def send(handler, status: int, body: bytes, content_type: str, headers: dict | None = None):
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def stalled_body(prefix: bytes, declared_length: int, seconds: float):
    """A route that promises `declared_length` bytes, sends `prefix`, then goes silent: a read timeout."""
    def route(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(declared_length))
        handler.end_headers()
        handler.wfile.write(prefix)
        handler.wfile.flush()
        time.sleep(seconds)
    return route


def render_placeholders(text: str, base_url: str) -> str:
    return text.replace(PLACEHOLDER.decode(), base_url)


_SYLLABLES = ("ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "ve", "da", "go", "hu", "zi", "be", "fa", "ru")


def story_text(n: int, paragraphs: int = 4) -> list[str]:
    """Paragraphs of made-up words that differ from story to story (no near-duplicates among them)."""
    import random
    rng = random.Random(n)
    words = ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(60 * paragraphs)]
    return [" ".join(words[i * 60:(i + 1) * 60]).capitalize() + "." for i in range(paragraphs)]


class GrowingFeed:
    """An RSS feed that gains items while it is served, with an article page per item.

    Route it with `server.routes.update(feed.routes())`. The feed answers If-None-Match with 304
    when nothing was added (`etag=True`), or sends a Last-Modified that never changes and ignores
    it (`etag=False`), as many servers do. `added_at[link]` is when each item appeared."""

    def __init__(self, prefix: str = "/live", etag: bool = True, grow_at_poll: dict | None = None):
        """`grow_at_poll` {poll number: items}: items added just before that poll (1-based) is
        answered, for tests whose polls come faster than they could add items themselves."""
        self.prefix = prefix
        self.etag = etag
        self.grow_at_poll = dict(grow_at_poll or {})
        self.items = []
        self.added_at = {}
        self.polls = 0
        self.not_modified = 0
        self._lock = threading.Lock()

    def routes(self) -> dict:
        return {f"{self.prefix}/feed.xml": self._feed, f"{self.prefix}/news/*": self._page}

    def number(self, index: int) -> int:
        """The story number of the index-th item added (0-based); its page is news/<number>.html."""
        return index + 1 + zlib.crc32(self.prefix.encode()) % 1000 * 1000

    def add(self, base_url: str, count: int = 1) -> list[str]:
        links = []
        with self._lock:
            for _ in range(count):
                n = self.number(len(self.items))
                link = f"{base_url}{self.prefix}/news/{n}.html"
                self.items.append((n, link))
                self.added_at[link] = time.time()
                links.append(link)
        return links

    def _feed(self, handler):
        with self._lock:
            self.polls += 1
            count = self.grow_at_poll.get(self.polls, 0)
        if count:
            self.add(f"http://127.0.0.1:{handler.server.server_address[1]}", count)
        with self._lock:
            items = list(self.items)
            tag = f'"{len(items)}"'
            if self.etag and handler.headers.get("If-None-Match") == tag:
                self.not_modified += 1
                handler.send_response(304)
                handler.send_header("ETag", tag)
                handler.send_header("Content-Length", "0")
                handler.end_headers()
                return
        body = "".join(f"<item><title>Story {n}</title><link>{link}</link><guid>{link}</guid></item>"
                       for n, link in reversed(items))
        headers = {"ETag": tag} if self.etag else {"Last-Modified": "Mon, 02 Nov 2026 08:00:00 GMT"}
        send(handler, 200, f"<rss version='2.0'><channel><title>Live {self.prefix}</title>{body}</channel></rss>"
             .encode(), "application/rss+xml", headers)

    def _page(self, handler):
        n = int(urllib.parse.urlsplit(handler.path).path.rsplit("/", 1)[1].split(".")[0])
        paragraphs = "".join(f"<p>{p}</p>" for p in story_text(n))
        html_text = (f"<html lang='en'><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1>"
                     f"<p class='byline'>By Ada Lovelace</p>{paragraphs}</article></body></html>")
        send(handler, 200, html_text.encode(), "text/html; charset=utf-8")
