"""`newsbeam run` end to end, as a user runs it, against a local server with broken entries."""
import glob
import os
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from conftest import FIXTURES, ROOT, read_fixture
from tools.localserver import LocalServer, send, stalled_body




def _feed(handler):
    base = f"http://127.0.0.1:{handler.server.server_address[1]}"
    links = {"ok": f"{base}/article-jsonld.html?utm_source=rss", "missing": f"{base}/missing.html",
             "slow": f"{base}/slow.html", "huge": f"{base}/huge.html", "pdf": f"{base}/report.pdf",
             "empty": f"{base}/empty.html", "other-loopback": f"http://127.0.0.2:{base.rsplit(':', 1)[1]}/x.html",
             "metadata": "http://169.254.169.254/latest/meta-data/", "file": "file:///etc/passwd"}
    items = "".join(f"<item><title>{name}</title><link>{link.replace('&', '&amp;')}</link><guid>e2e-{name}</guid></item>"
                    for name, link in links.items())
    items += f"<item><title>ok again</title><link>{links['ok']}</link><guid>e2e-ok</guid></item>"
    send(handler, 200, f"<rss version='2.0'><channel><title>E2E</title>{items}</channel></rss>".encode(),
         "application/rss+xml")


ROUTES = {
    "/feed.xml": _feed,
    "/bad-feed.xml": lambda h: send(h, 200, read_fixture("feeds", "not-a-feed.json"), "text/xml"),
    "/missing.html": lambda h: send(h, 404, b"not here", "text/html"),
    "/slow.html": stalled_body(b"<html><body><p>", 50_000, 4),
    "/huge.html": lambda h: send(h, 200, b"<html><body>" + b"<p>word</p>" * 40_000, "text/html"),
    "/report.pdf": lambda h: send(h, 200, b"%PDF-1.4\n%binary", "application/pdf"),
}
EXPECTED_DEAD = {
    ("fetch", "http_404", "missing.html"), ("fetch", "timeout", "slow.html"), ("fetch", "too_large", "huge.html"),
    ("fetch", "not_html", "report.pdf"), ("extract", "no_content", "empty.html"),
    ("fetch", "blocked_address", "x.html"), ("fetch", "blocked_address", "meta-data/"),
    ("fetch", "bad_scheme", "passwd"), ("feeds", "unreadable_feed", "bad-feed.xml"),
}


def run_newsbeam(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "run", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="module")
def site():
    with LocalServer(root=os.path.join(FIXTURES, "pages"), routes=ROUTES) as server:
        yield server


def test_every_entry_is_one_row_or_one_dead_letter(site, tmp_path):
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# e2e\n{site.url('/feed.xml')}\n{site.url('/bad-feed.xml')}\n")
    out = tmp_path / "out"
    result = run_newsbeam("--feeds", str(feeds), "--output", str(out), "--allow-hosts", f"127.0.0.1:{site.port}",
                          "--read-timeout", "1", "--page-deadline", "3", "--max-page-bytes", "200000",
                          "--per-host-rate", "0", "--per-host-concurrency", "8", "--retry-backoff", "0.05")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "10 entries = 1 articles + 8 dead letters + 1 skipped: balanced" in result.stdout

    [article_file] = glob.glob(str(out / "articles" / "ingest_date=*" / "*.parquet"))
    articles = pq.read_table(article_file).to_pylist()
    assert [a["title"] for a in articles] == ["Ferry service returns to Gull Island"]
    assert articles[0]["canonical_url"] == site.url("/article-jsonld.html")
    assert articles[0]["authors"] == ["Jane Doe", "Tom Roe"]

    dead = [row for f in glob.glob(str(out / "dead_letter" / "ingest_date=*" / "*.parquet"))
            for row in pq.read_table(f).to_pylist()]
    assert {(d["stage"], d["reason"], d["url"].rsplit("/", 1)[1] or d["url"].rsplit("/", 2)[1] + "/")
            for d in dead} == EXPECTED_DEAD
    assert len(dead) == len(EXPECTED_DEAD)
    assert all(d["message"] and d["occurred_at"] for d in dead)
    assert not os.path.exists(out / "_temporary")


def test_loopback_feed_is_refused_without_the_flag(site, tmp_path):
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(site.url("/feed.xml") + "\n")
    requests_before = site.requests
    result = run_newsbeam("--feeds", str(feeds), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "blocked_address" in result.stdout
    [dead_file] = glob.glob(str(tmp_path / "out" / "dead_letter" / "ingest_date=*" / "*.parquet"))
    assert pq.read_table(dead_file).column("reason").to_pylist() == ["blocked_address"]
    assert site.requests == requests_before  # refused before connecting


@pytest.mark.parametrize("args,message", [
    ([], "--feeds FEEDS is required"),
    (["--feeds", "/nonexistent/feeds.txt", "--output", "/tmp/x"], "feeds file not found"),
    (["--feeds", "f.txt", "--output", "/tmp/x", "--run-id", "../../escape"], "--run-id may hold only"),
    (["--feeds", "f.txt", "--output", "/tmp/x", "--fetch-user-agent", "bot\r\nX-Injected: 1"],
     "--fetch-user-agent must be printable"),
    (["--feeds", "f.txt", "--output", "/tmp/x", "--per-host-concurrency", "0"], "--per-host-concurrency must be"),
])
def test_bad_arguments_are_explained(args, message):
    result = run_newsbeam(*args)
    assert result.returncode == 2
    assert message in result.stderr
