"""Each stage as a Beam transform, with TestPipeline and assert_that."""
import datetime as dt
import glob
import os
import threading

import apache_beam as beam
import pyarrow.parquet as pq
import pytest
from apache_beam.runners.portability.fn_api_runner import FnApiRunner
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.transforms.window import GlobalWindow

from conftest import FIXTURES, read_fixture
from schemas import ARTICLE_SCHEMA, DEAD_LETTER_SCHEMA, Article, FeedEntry
from tools.localserver import LocalServer, send
from transforms.byline import NormaliseBylines
from transforms.dedup import ClusterSyndication
from transforms.extract import ExtractArticles
from transforms.feeds import PollFeeds
from transforms.fetch import FetchPages, _ConcurrentFetchFn
from transforms.politeness import PolitenessConfig
from transforms.httpfetch import FetchConfig
from transforms.sinks import WriteArticles, WriteDeadLetters

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
LOCAL = FetchConfig(connect_timeout=2, read_timeout=2, deadline=5, allow_private=True)


def pipeline():
    return TestPipeline(runner=FnApiRunner())


@pytest.fixture(scope="module")
def server():
    routes = {
        "/missing.html": lambda h: send(h, 404, b"gone", "text/html"),
        "/report.pdf": lambda h: send(h, 200, b"%PDF-1.4 ...", "application/pdf"),
        "/broken-feed.xml": lambda h: send(h, 200, read_fixture("feeds", "not-a-feed.json"), "application/json"),
        "/rss.xml": lambda h: send(h, 200, _local_rss(h.server.server_address[1]), "application/rss+xml"),
    }
    with LocalServer(root=os.path.join(FIXTURES, "pages"), routes=routes) as srv:
        yield srv


def _local_rss(port):
    base = f"http://127.0.0.1:{port}"
    items = "".join(f"<item><title>{name}</title><link>{base}/{name}</link><guid>{base}/{name}</guid></item>"
                    for name in ("article-jsonld.html", "empty.html", "missing.html", "report.pdf"))
    repeat = f"<item><title>again</title><link>{base}/article-jsonld.html</link><guid>{base}/article-jsonld.html</guid></item>"
    return f"<rss version='2.0'><channel><title>Local</title>{items}{repeat}</channel></rss>".encode()


def test_poll_fetch_extract_route_every_entry(server):
    with pipeline() as p:
        feeds = p | beam.Create([server.url("/rss.xml"), server.url("/broken-feed.xml")])
        entries, feed_dead = feeds | "Poll" >> PollFeeds(LOCAL)
        pages, fetch_dead = entries | "Fetch" >> FetchPages(LOCAL, concurrency=4)
        articles, extract_dead = pages | "Extract" >> ExtractArticles()
        assert_that(articles | beam.Map(lambda a: (a.url.rsplit("/", 1)[1], a.title)),
                    equal_to([("article-jsonld.html", "Ferry service returns to Gull Island")]), label="Articles")
        assert_that(feed_dead | beam.Map(lambda d: (d.stage, d.reason, d.url.rsplit("/", 1)[1])),
                    equal_to([("feeds", "unreadable_feed", "broken-feed.xml")]), label="FeedDead")
        assert_that(fetch_dead | beam.Map(lambda d: (d.reason, d.http_status, d.url.rsplit("/", 1)[1])),
                    equal_to([("http_404", 404, "missing.html"), ("not_html", 200, "report.pdf")]), label="FetchDead")
        assert_that(extract_dead | beam.Map(lambda d: (d.reason, d.url.rsplit("/", 1)[1])),
                    equal_to([("no_content", "empty.html")]), label="ExtractDead")


def test_fetch_refuses_loopback_without_the_flag(server):
    entry = FeedEntry(feed_url="f", link=server.url("/article-jsonld.html"), guid="g")
    with pipeline() as p:
        pages, dead = p | beam.Create([entry]) | FetchPages(FetchConfig(), concurrency=2)
        assert_that(pages, equal_to([]), label="NoPages")
        assert_that(dead | beam.Map(lambda d: (d.stage, d.reason)), equal_to([("fetch", "blocked_address")]),
                    label="Blocked")


def _article(url, body, day, feed="f", byline=None):
    return Article(url=url, final_url=url, canonical_url=url, feed_url=feed, body=body, byline_raw=byline,
                   published_at=dt.datetime(2026, 11, day, tzinfo=UTC), fetched_at=NOW)


def test_bylines_and_duplicates_marked_not_dropped():
    articles = [
        _article("https://a.example/wire", "Bridge reopens after repairs.", 2, byline="By SAM REED"),
        _article("https://b.example/copy", "Bridge reopens after repairs!", 3),
        _article("https://a.example/wire?utm_source=rss", "Bridge reopens after repairs.", 2, feed="g"),
        _article("https://c.example/other", "A different story.", 1),
    ]
    with pipeline() as p:
        normalised, failures = p | beam.Create(articles) | NormaliseBylines()
        marked = normalised | ClusterSyndication()
        assert_that(failures, equal_to([]), label="NoFailures")
        assert_that(marked | beam.Map(lambda a: (a.url, a.is_canonical, a.duplicate_kind, a.cluster_id == a.article_id)),
                    equal_to([("https://a.example/wire", True, None, True),
                              ("https://b.example/copy", False, "exact", False),
                              ("https://a.example/wire?utm_source=rss", False, "url", True),
                              ("https://c.example/other", True, None, True)]), label="Clusters")
        assert_that(marked | beam.Filter(lambda a: a.byline_raw) | beam.Map(lambda a: a.authors),
                    equal_to([["Sam Reed"]]), label="Authors")


def test_a_failing_byline_rule_is_a_dead_letter_not_a_failed_bundle(monkeypatch):
    import transforms.byline as byline

    def explode(body):
        if "Bridge" in (body or ""):
            raise RecursionError("maximum recursion depth exceeded")
        return byline.BodyCredit()
    monkeypatch.setattr(byline, "find_body_credit", explode)
    articles = [_article("https://a.example/wire", "Bridge reopens after repairs.", 2, byline="By SAM REED"),
                _article("https://c.example/other", "A different story.", 1, byline="By Ana Gil")]
    with pipeline() as p:
        normalised, failures = p | beam.Create(articles) | NormaliseBylines()
        assert_that(normalised | beam.Map(lambda a: (a.url, a.authors)),
                    equal_to([("https://c.example/other", ["Ana Gil"])]), label="Kept")
        assert_that(failures | beam.Map(lambda d: (d.stage, d.reason, d.url, d.message)),
                    equal_to([("byline", "byline_failed", "https://a.example/wire",
                               "RecursionError: maximum recursion depth exceeded")]), label="DeadLetter")


def test_sinks_write_readable_partitioned_parquet(tmp_path):
    from transforms.dedup import identify
    from transforms.deadletters import dead_letter
    article = identify(_article("https://a.example/x", "Some words here.", 2))
    failure = dead_letter("fetch", "http_404", "https://a.example/y", "f", "HTTP 404", 404)
    with pipeline() as p:
        article_files = p | "Articles" >> beam.Create([article]) | WriteArticles(str(tmp_path), "run1")
        dead_files = p | "Dead" >> beam.Create([failure]) | WriteDeadLetters(str(tmp_path), "run1")
        assert_that(article_files | beam.Map(os.path.basename),
                    equal_to(["part-run1-00000-of-00001.parquet"]), label="ArticleFile")
        assert_that(dead_files | beam.Map(lambda path: os.path.dirname(path).rsplit("/", 2)[1]),
                    equal_to(["dead_letter"]), label="DeadFile")
    [path] = glob.glob(str(tmp_path / "articles" / "ingest_date=2026-11-25" / "*.parquet"))
    table = pq.read_table(path)
    assert table.schema.equals(ARTICLE_SCHEMA, check_metadata=False)
    assert table.column("run_id").to_pylist() == ["run1"]
    assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == "ZSTD"
    [dead_path] = glob.glob(str(tmp_path / "dead_letter" / "ingest_date=*" / "*.parquet"))
    dead = pq.read_table(dead_path)
    assert dead.schema.equals(DEAD_LETTER_SCHEMA, check_metadata=False)
    assert dead.column("reason").to_pylist() == ["http_404"]
    assert not glob.glob(str(tmp_path / "articles" / "**" / "*.tmp"), recursive=True)


def test_a_throttled_host_does_not_hold_up_another_host():
    """One bundle: entries of a slow host (one request at a time) first, then one of another host.
    The other host's page is fetched while the slow host's first request is still running. The
    DoFn is driven directly: a runner may split a Create into several bundles, and this is about
    what happens inside one."""
    fast_done = threading.Event()
    slow_saw_fast_done = []

    def slow(h):
        slow_saw_fast_done.append(fast_done.is_set())
        fast_done.wait(5)
        send(h, 200, b"<html><body><p>slow</p></body></html>", "text/html")

    def fast(h):
        fast_done.set()
        send(h, 200, b"<html><body><p>fast</p></body></html>", "text/html")

    with LocalServer(routes={"/slow": slow}) as slow_host, LocalServer(routes={"/fast": fast}) as fast_host:
        entries = [FeedEntry(feed_url="f", link=slow_host.url(f"/slow?{i}"), guid=str(i)) for i in range(4)]
        entries.append(FeedEntry(feed_url="f", link=fast_host.url("/fast"), guid="fast"))
        polite = PolitenessConfig(per_host_concurrency=1, per_host_rate=0, obey_robots=False)
        fn = _ConcurrentFetchFn(FetchConfig(allow_private=True, read_timeout=6), polite, concurrency=2)
        fn.setup()
        fn.start_bundle()
        out = [o for e in entries for o in fn.process(e, GlobalWindow(), 0)] + list(fn.finish_bundle())
        fn.teardown()
    assert sorted(o.value.entry.link.rsplit("/", 1)[1] for o in out) == ["fast"] + [f"slow?{i}" for i in range(4)]
    # The first slow request may reach the server before or after the fast one; every later one
    # comes after it (held up behind the slow host, the fast page would only come after all of them).
    assert slow_saw_fast_done[1:] == [True, True, True]


def test_extract_command_prints_every_column_as_json(tmp_path):
    import json
    import subprocess
    import sys
    from conftest import ROOT, fixture_path
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", fixture_path("pages", "article-jsonld.html")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    line = json.loads(result.stdout)
    assert set(ARTICLE_SCHEMA.names) - {"run_id"} <= set(line)
    assert len(bytes.fromhex(line["minhash"])) == 128 * 4
