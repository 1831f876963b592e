"""The HTTP client against a real local server: limits, redirects, content types, charsets."""
import gzip
import zlib
import time

import pytest

from tools.localserver import LocalServer, send, stalled_body
from transforms import httpfetch

HTML = b"<html><head><title>t</title></head><body><p>Hello</p></body></html>"
CONFIG = httpfetch.FetchConfig(connect_timeout=2, read_timeout=1, deadline=3, max_bytes=100_000,
                               max_redirects=3, allow_private=True)




def _drip(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    for _ in range(40):  # never silent long enough for the read timeout, so only the deadline stops it
        handler.wfile.write(b"<p>x</p>" * 10)
        handler.wfile.flush()
        time.sleep(0.2)


def _gzip_bomb(handler):
    body = gzip.compress(b"<html>" + b" " * 20_000_000)
    send(handler, 200, body, "text/html", {"Content-Encoding": "gzip"})


ROUTES = {
    "/ok.html": lambda h: send(h, 200, HTML, "text/html; charset=utf-8"),
    "/gzip.html": lambda h: send(h, 200, gzip.compress(HTML), "text/html", {"Content-Encoding": "gzip"}),
    "/latin1.html": lambda h: send(h, 200, "<p>Café Zürich</p>".encode("latin-1"), "text/html; charset=iso-8859-1"),
    "/mislabelled.html": lambda h: send(h, 200, "<p>Café Zürich</p>".encode("utf-8"), "text/html; charset=iso-8859-1"),
    "/meta-charset.html": lambda h: send(h, 200, '<meta charset="windows-1252"><p>“quoted”</p>'.encode("cp1252"), "text/html"),
    "/r1": lambda h: send(h, 302, b"", "text/plain", {"Location": "/r2"}),
    "/r2": lambda h: send(h, 301, b"", "text/plain", {"Location": "/ok.html"}),
    "/loop-a": lambda h: send(h, 302, b"", "text/plain", {"Location": "/loop-b"}),
    "/loop-b": lambda h: send(h, 302, b"", "text/plain", {"Location": "/loop-a"}),
    "/chain0": lambda h: send(h, 302, b"", "text/plain", {"Location": "/chain1"}),
    "/chain1": lambda h: send(h, 302, b"", "text/plain", {"Location": "/chain2"}),
    "/chain2": lambda h: send(h, 302, b"", "text/plain", {"Location": "/chain3"}),
    "/chain3": lambda h: send(h, 302, b"", "text/plain", {"Location": "/chain4"}),
    "/chain4": lambda h: send(h, 302, b"", "text/plain", {"Location": "/ok.html"}),
    "/to-metadata": lambda h: send(h, 302, b"", "text/plain", {"Location": "http://169.254.169.254/latest/"}),
    "/to-file": lambda h: send(h, 302, b"", "text/plain", {"Location": "file:///etc/passwd"}),
    "/missing": lambda h: send(h, 404, b"nope", "text/html"),
    "/error": lambda h: send(h, 503, b"busy", "text/html"),
    "/report.pdf": lambda h: send(h, 200, b"%PDF-1.4\n...", "application/pdf"),
    "/pdf-as-html": lambda h: send(h, 200, b"%PDF-1.4\n" + b"\x00" * 50, "text/html"),
    "/huge.html": lambda h: send(h, 200, b"<html>" + b"a" * 200_000, "text/html"),
    "/slow.html": stalled_body(b"<html>", 100_000, 3),
    "/drip.html": _drip,
    "/bomb.html": _gzip_bomb,
}


@pytest.fixture(scope="module")
def server():
    with LocalServer(routes=ROUTES) as srv:
        yield srv


def fetch_error(url, config=CONFIG):
    with pytest.raises(httpfetch.FetchError) as failed:
        httpfetch.fetch(url, config)
    return failed.value


def test_plain_and_gzip_pages_are_read(server):
    for path in ("/ok.html", "/gzip.html"):
        response = httpfetch.fetch(server.url(path), CONFIG)
        assert (response.status, response.body) == (200, HTML)


def test_redirects_are_followed_to_the_final_url(server):
    response = httpfetch.fetch(server.url("/r1"), CONFIG)
    assert response.final_url == server.url("/ok.html")
    assert response.url == server.url("/r1")


@pytest.mark.parametrize("path,reason,status", [
    ("/loop-a", "redirect_loop", 302), ("/chain0", "too_many_redirects", None), ("/missing", "http_404", 404),
    ("/error", "http_503", 503), ("/report.pdf", "not_html", 200), ("/pdf-as-html", "not_html", 200),
    ("/huge.html", "too_large", None), ("/bomb.html", "too_large", None), ("/slow.html", "timeout", None),
    ("/drip.html", "timeout", None), ("/to-metadata", "blocked_address", None), ("/to-file", "bad_scheme", None),
])
def test_failures_have_exact_reasons(server, path, reason, status):
    config = CONFIG if path != "/to-metadata" else httpfetch.FetchConfig(allow_private=False)
    url = server.url(path)
    if path == "/to-metadata":
        # Only the redirect target is internal-only; the test server itself must stay reachable.
        config = httpfetch.FetchConfig(allow_private=True)
        error = _fetch_with_guarded_hops(url)
    else:
        error = fetch_error(url, config)
    assert error.reason == reason
    assert error.http_status == status


def _fetch_with_guarded_hops(url):
    """Follows the first hop to the local server, then refuses internal addresses for the rest."""
    original = httpfetch.netguard.resolve_allowed
    calls = []

    def guarded(host, port, allow_private, allow_hosts=()):
        calls.append(host)
        return original(host, port, allow_private=len(calls) == 1)

    httpfetch.netguard.resolve_allowed = guarded
    try:
        return fetch_error(url, httpfetch.FetchConfig(allow_private=True))
    finally:
        httpfetch.netguard.resolve_allowed = original


def test_loopback_is_refused_without_the_flag(server):
    error = fetch_error(server.url("/ok.html"), httpfetch.FetchConfig())
    assert error.reason == "blocked_address"


def test_connection_refused_is_reported():
    error = fetch_error("http://127.0.0.1:9/nothing-listens-here")
    assert error.reason in ("connection_error", "timeout")


@pytest.mark.parametrize("path,text", [
    ("/latin1.html", "Café Zürich"), ("/mislabelled.html", "Café Zürich"), ("/meta-charset.html", "“quoted”"),
])
def test_charsets_decode_without_mojibake(server, path, text):
    response = httpfetch.fetch(server.url(path), CONFIG)
    decoded, _charset = httpfetch.decode_html(response.body, response.charset)
    assert text in decoded


def test_content_type_parsing():
    assert httpfetch.parse_content_type('Text/HTML; Charset="UTF-8"') == ("text/html", "utf-8")
    assert httpfetch.parse_content_type("") == ("", None)


def test_the_connection_goes_to_the_vetted_address(server, monkeypatch):
    """No second DNS lookup between check and connect: a name that does not resolve at all is
    reached through the address netguard vetted (DNS rebinding has no window)."""
    vetted = []

    def resolve(host, port, allow_private, allow_hosts=()):
        vetted.append(host)
        return ["127.0.0.1"]

    monkeypatch.setattr(httpfetch.netguard, "resolve_allowed", resolve)
    response = httpfetch.fetch(f"http://rebind.invalid:{server.port}/ok.html", CONFIG)
    assert (response.status, response.body, vetted) == (200, HTML, ["rebind.invalid"])


def test_reads_use_the_read_timeout_not_the_connect_timeout(server):
    conn = httpfetch._PinnedHTTPConnection("127.0.0.1", server.port, "127.0.0.1", connect_timeout=7,
                                           read_timeout=0.25)
    conn.connect()
    try:
        assert conn.sock.gettimeout() == 0.25
    finally:
        conn.close()


def _raw_deflate(data):
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


ENCODING_ROUTES = {
    "/deflate-zlib": lambda h: send(h, 200, zlib.compress(HTML), "text/html", {"Content-Encoding": "deflate"}),
    "/deflate-raw": lambda h: send(h, 200, _raw_deflate(HTML), "text/html", {"Content-Encoding": "deflate"}),
    "/brotli": lambda h: send(h, 200, b"\x1b\x03\x00\xf8", "text/html", {"Content-Encoding": "br"}),
    "/utf16": lambda h: send(h, 200, HTML.decode().encode("utf-16"), "text/html"),
    "/xhtml-as-xml": lambda h: send(h, 200, HTML, "application/xml"),
}


@pytest.fixture(scope="module")
def encodings_server():
    with LocalServer(routes=ENCODING_ROUTES) as srv:
        yield srv


@pytest.mark.parametrize("path", ["/deflate-zlib", "/deflate-raw", "/xhtml-as-xml"])
def test_both_deflate_forms_and_xml_pages_are_read(encodings_server, path):
    assert httpfetch.fetch(encodings_server.url(path), CONFIG).body == HTML


def test_utf16_pages_are_not_mistaken_for_binary(encodings_server):
    response = httpfetch.fetch(encodings_server.url("/utf16"), CONFIG)
    assert httpfetch.decode_html(response.body, response.charset)[0] == HTML.decode()


def test_an_unrequested_encoding_is_refused(encodings_server):
    assert fetch_error(encodings_server.url("/brotli")).reason == "bad_encoding"


@pytest.mark.parametrize("body,declared,text", [
    ("<html lang='en'><p>Café “naïve” façade</p>".encode("cp1252"), None, "Café “naïve” façade"),
    ("<html lang='pl'><p>Zażółć gęślą jaźń</p>".encode("cp1250"), None, "Zażółć gęślą jaźń"),
    ("<p>“quoted” – dash</p>".encode("cp1252"), "iso-8859-1", "“quoted” – dash"),   # Latin-1 label, cp1252 bytes
    ("<html lang='ru'><p>Привет, мир</p>".encode("cp1251"), None, "Привет, мир"),
])
def test_undeclared_and_latin1_labelled_pages_decode_as_browsers_do(body, declared, text):
    assert text in httpfetch.decode_html(body, declared)[0]
