"""ClusterSyndication in Beam: deterministic in batch, stateful across windows in streaming, and
remembering earlier runs."""
import datetime as dt
import glob
import subprocess
import sys

import apache_beam as beam
import pyarrow.parquet as pq
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.runners.portability.fn_api_runner import FnApiRunner
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.test_stream import TestStream
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.transforms.window import FixedWindows, TimestampedValue

from conftest import ROOT, fixture_path
from schemas import Article
from transforms import dedup
from transforms.dedup import ClusterSyndication

UTC = dt.timezone.utc
FETCHED = dt.datetime(2026, 11, 25, tzinfo=UTC)


def story(name: str, day: int, outlet: str) -> Article:
    with open(fixture_path("syndication", name + ".txt"), encoding="utf-8") as handle:
        body = handle.read()
    url = f"https://{outlet}.example/{name}"
    return Article(url=url, final_url=url, canonical_url=url, feed_url=f"https://{outlet}.example/feed",
                   body=body, published_at=dt.datetime(2026, 11, day, tzinfo=UTC), fetched_at=FETCHED)


CORPUS = [story("original", 17, "tribune"), story("teaser", 18, "courier"), story("trimmed", 18, "gazette"),
          story("copyedit", 19, "pulse"), story("quotes_background", 17, "courier"),
          story("same_people_same_day", 17, "tribune"), story("brief_a", 16, "ledger"),
          story("brief_b", 16, "ledger")]


def id_of(name: str) -> str:
    return next(dedup.identify(a).article_id for a in CORPUS if a.url.endswith("/" + name))


EXPECTED_BATCH = [
    ("original", True, "original", None), ("teaser", False, "original", "contained"),
    ("trimmed", False, "original", "near"), ("copyedit", False, "original", "near"),
    ("quotes_background", True, "quotes_background", None),
    ("same_people_same_day", True, "same_people_same_day", None),
    ("brief_a", True, "brief_a", None), ("brief_b", True, "brief_b", None)]


def test_batch_clusters_copies_keeps_negatives_apart_in_any_order():
    expected = [(name, canonical, id_of(cluster), kind) for name, canonical, cluster, kind in EXPECTED_BATCH]
    for order in (CORPUS, list(reversed(CORPUS))):
        with TestPipeline(runner=FnApiRunner()) as p:
            clustered = p | beam.Create(order, reshuffle=False) | ClusterSyndication()
            assert_that(clustered | beam.Map(lambda a: (a.url.rsplit("/", 1)[1], a.is_canonical, a.cluster_id,
                                                         a.duplicate_kind)), equal_to(expected))


def test_streaming_copies_join_clusters_of_earlier_windows():
    original, teaser, trimmed, negative = CORPUS[0], CORPUS[1], CORPUS[2], CORPUS[4]
    stream = (TestStream()
              .advance_watermark_to(0)
              .add_elements([TimestampedValue(original, 1), TimestampedValue(negative, 2)])
              .advance_watermark_to(15)
              .add_elements([TimestampedValue(teaser, 16)])
              .advance_watermark_to(35)
              .add_elements([TimestampedValue(trimmed, 36)])
              .advance_watermark_to_infinity())
    options = PipelineOptions()
    options.view_as(StandardOptions).streaming = True
    with TestPipeline(options=options) as p:
        clustered = (p | stream | beam.WindowInto(FixedWindows(10))
                     | ClusterSyndication(window_seconds=10))
        assert_that(clustered | beam.Map(lambda a: (a.url.rsplit("/", 1)[1], a.is_canonical, a.duplicate_kind)),
                    equal_to([("original", True, None), ("quotes_background", True, None),
                              ("teaser", False, "contained"), ("trimmed", False, "near")]), label="Kinds")
        assert_that(clustered | beam.Filter(lambda a: a.url.endswith(("teaser", "trimmed")))
                    | beam.Map(lambda a: (a.url.rsplit("/", 1)[1], a.cluster_id, a.duplicate_of)),
                    equal_to([("teaser", id_of("original"), id_of("original")),
                              ("trimmed", id_of("original"), id_of("original"))]), label="JoinedEarlierCluster")


def test_a_second_run_clusters_with_stored_articles_and_never_rewrites_a_url(tmp_path):
    from tools.localserver import LocalServer
    site = tmp_path / "site"
    site.mkdir()
    first, second = ["original", "quotes_background"], ["original", "teaser", "trimmed"]
    for name in set(first + second):
        paragraphs = open(fixture_path("syndication", name + ".txt"), encoding="utf-8").read().splitlines()
        (site / f"{name}.html").write_text(
            "<html lang='en'><head><title>%s</title></head><body><article><h1>%s</h1>%s</article></body></html>"
            % (name, name, "".join(f"<p>{p}</p>" for p in paragraphs)), encoding="utf-8")
    out = tmp_path / "out"
    with LocalServer(root=str(site)) as server:
        for run, names in enumerate((first, second)):
            items = "".join(f"<item><title>{n}</title><link>{server.url('/' + n + '.html')}</link>"
                            f"<guid>{n}-{run}</guid><pubDate>Tue, 1{run} Nov 2026 10:00:00 +0000</pubDate></item>"
                            for n in names)
            (site / "feed.xml").write_text(f"<rss version='2.0'><channel><title>t</title>{items}</channel></rss>")
            feeds = tmp_path / "feeds.txt"
            feeds.write_text(server.url("/feed.xml") + "\n")
            result = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--feeds", str(feeds), "--output",
                                     str(out), "--allow-private-networks", "--per-host-rate", "0"],
                                    cwd=ROOT, capture_output=True, text=True, timeout=300)
            assert result.returncode == 0, result.stderr[-2000:]
    assert "already_stored: 1" in result.stdout
    rows = [r for f in glob.glob(str(out / "articles" / "*" / "*.parquet")) for r in pq.read_table(f).to_pylist()]
    urls = [r["url"].rsplit("/", 1)[1] for r in rows]
    assert sorted(urls) == ["original.html", "quotes_background.html", "teaser.html", "trimmed.html"]
    original = next(r for r in rows if r["url"].endswith("original.html"))
    for copy in ("teaser.html", "trimmed.html"):
        row = next(r for r in rows if r["url"].endswith(copy))
        assert (row["cluster_id"], row["is_canonical"]) == (original["article_id"], False), copy


def test_streaming_copies_join_clusters_stored_by_earlier_runs():
    from schemas import StoredArticle
    original, trimmed = dedup.identify(CORPUS[0]), dedup.identify(CORPUS[2])

    def stored(article, cluster_id):
        return StoredArticle(article_id=article.article_id, canonical_url=article.canonical_url,
                             content_hash=article.content_hash, cluster_id=cluster_id,
                             published_at=article.published_at, url=article.url,
                             shingle_count=article.shingle_count, signature=article.minhash,
                             fetched_at=article.fetched_at, tail=article.tail_paragraphs,
                             lede=article.lede_minhash)
    stream = (TestStream().advance_watermark_to(0)
              .add_elements([TimestampedValue(CORPUS[3], 1), TimestampedValue(CORPUS[4], 2)])
              .advance_watermark_to_infinity())
    options = PipelineOptions()
    options.view_as(StandardOptions).streaming = True
    with TestPipeline(options=options) as p:
        memory = p | "Stored" >> beam.Create([stored(original, original.article_id),
                                              stored(trimmed, original.article_id)])
        clustered = (p | stream | beam.WindowInto(FixedWindows(10))
                     | ClusterSyndication(stored=memory, window_seconds=10))
        assert_that(clustered | beam.Map(lambda a: (a.url.rsplit("/", 1)[1], a.is_canonical, a.cluster_id)),
                    equal_to([("copyedit", False, original.article_id),
                              ("quotes_background", True, id_of("quotes_background"))]))


def test_streaming_arrival_order_does_not_make_chains():
    # Published trimmed < original < copyedit, arriving in the opposite order, in one window: every
    # copy must point at the canonical (earliest published) member, which must exist exactly once.
    trimmed, original, copyedit = story("trimmed", 10, "gazette"), story("original", 11, "tribune"), \
        story("copyedit", 12, "pulse")
    stream = (TestStream().advance_watermark_to(0)
              .add_elements([TimestampedValue(copyedit, 1), TimestampedValue(original, 2),
                             TimestampedValue(trimmed, 3)])
              .advance_watermark_to_infinity())
    options = PipelineOptions()
    options.view_as(StandardOptions).streaming = True
    canonical = dedup.identify(trimmed).article_id
    with TestPipeline(options=options) as p:
        clustered = p | stream | beam.WindowInto(FixedWindows(10)) | ClusterSyndication(window_seconds=10)
        assert_that(clustered | beam.Map(lambda a: (a.url.rsplit("/", 1)[1], a.is_canonical, a.cluster_id)),
                    equal_to([("trimmed", True, canonical), ("original", False, canonical),
                              ("copyedit", False, canonical)]))
