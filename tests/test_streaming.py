"""Streaming behaviour with TestStream: windows, per-feed state, dedup across polls; and the pure rules
behind them (feed state, input messages, drain accounting)."""
import datetime as dt
import glob
import json
import os

import apache_beam as beam
import pyarrow.parquet as pq
import pytest
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.runners.direct.direct_runner import BundleBasedDirectRunner
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.test_stream import TestStream
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.transforms.window import FixedWindows, TimestampedValue

from pipeline.graph import GraphSettings, StreamSettings, build_streaming
from pipeline.launcher import drained, progress_line
from schemas import Article, FeedEntry
from tools.localserver import GrowingFeed, LocalServer, send
from transforms import feedstate
from transforms.dedup import ClusterSyndication
from transforms.feeds import PollFeedsWithState, SkipSeenEntries
from transforms.httpfetch import FetchConfig
from transforms.messages import HEARTBEAT, BadMessage, parse_input_message, tick_message

LOCAL = FetchConfig(connect_timeout=2, read_timeout=2, deadline=5, allow_private=True)
UTC = dt.timezone.utc


def streaming_pipeline():
    options = PipelineOptions()
    options.view_as(StandardOptions).streaming = True
    return TestPipeline(runner=BundleBasedDirectRunner(), options=options)


def ticks_at(*seconds, payload=b"tick"):
    """A TestStream of one message per time, the watermark following them, then closing."""
    stream = TestStream()
    for second in seconds:
        stream = stream.advance_watermark_to(second).add_elements([TimestampedValue(payload, second)])
    return stream.advance_watermark_to_infinity()


def by_window(pcoll, label, size=10):
    """(window start in seconds, value) pairs, to assert what each window holds."""
    return (pcoll
            | f"{label}Windows" >> beam.WindowInto(FixedWindows(size))
            | f"{label}Tag" >> beam.ParDo(lambda v, w=beam.DoFn.WindowParam: [(int(w.start), v)]))


# Pure rules -------------------------------------------------------------------------------------

def test_feed_state_keeps_validators_and_backs_off_exponentially():
    state = feedstate.after_success(feedstate.FeedState(), {"etag": '"v1"', "last-modified": "Mon"}, "h1")
    assert feedstate.conditional_headers(state) == {"If-None-Match": '"v1"', "If-Modified-Since": "Mon"}
    assert feedstate.after_success(state, {}, None).body_hash == "h1"      # a 304 keeps what it knew
    waits = []
    for now in (0, 100, 300, 700):
        state = feedstate.after_failure(state, now, poll_interval=100)
        waits.append(state.retry_at - now)
    assert waits == [50, 150, 350, 750]         # 1, 2, 4, 8 intervals, less half an interval
    assert not feedstate.due(state, 1400) and feedstate.due(state, 1450)
    for _ in range(20):
        state = feedstate.after_failure(state, 0, poll_interval=100)
    assert state.retry_at <= feedstate.MAX_BACKOFF_SECONDS
    assert feedstate.after_success(state, {}, "h2").failures == 0


@pytest.mark.parametrize("data,expected", [
    (b'{"feed_url": "https://example.com/rss"}', ("feed", "https://example.com/rss")),
    (b'{"url": " https://example.com/a.html "}', ("article", "https://example.com/a.html")),
])
def test_input_messages_name_a_feed_or_an_article(data, expected):
    assert parse_input_message(data) == expected


@pytest.mark.parametrize("data,reason", [
    (b"not json", "bad_message"), (b"[1, 2]", "bad_message"), (b"{}", "bad_message"),
    (b'{"url": "a", "feed_url": "b"}', "bad_message"), (b'{"url": "file:///etc/passwd"}', "bad_url"),
    (b'{"url": 42}', "bad_url"), (b"\xff\xfe", "bad_message"),
])
def test_unreadable_input_messages_are_refused_with_a_reason(data, reason):
    with pytest.raises(BadMessage) as err:
        parse_input_message(data)
    assert err.value.reason == reason


def test_drain_waits_for_every_tick_entry_and_file():
    done = {"ticks_received": 3, "poll_requests": 6, "feeds_polled": 5, "polls_backed_off": 1,
            "entries_seen": 4, "rows_written.articles": 2, "rows_committed.articles": 2,
            "dead_letter.fetch.http_404": 1, "rows_written.dead_letter": 2, "rows_committed.dead_letter": 2,
            "dead_letter.input.bad_message": 1, "skipped.seen_before": 1}
    assert drained(done, ticks_published=3)
    assert not drained(done, ticks_published=4)                                   # a tick not yet read
    assert not drained({**done, "rows_committed.articles": 1}, ticks_published=3)  # a file not yet final
    assert not drained({**done, "entries_seen": 5}, ticks_published=3)             # an entry in flight
    assert not drained(done, ticks_published=3, events=True)                       # events not yet sent
    assert drained({**done, "events_published": 2}, ticks_published=3, events=True)
    line = progress_line(done, 0, 10)
    assert "articles written 2" in line and "fetch/http_404 1" in line and "backed off 1" in line


# Per-feed state and first sightings, across polls ----------------------------------------------

def test_feed_polled_on_every_tick_yields_each_entry_once_in_its_windows():
    # Poll 1 lists two items; poll 2 gets a 304; poll 3 lists a third item besides the first two.
    feed = GrowingFeed(grow_at_poll={1: 2, 3: 1})
    with LocalServer(routes=feed.routes()) as server:
        url = server.url("/live/feed.xml")
        with streaming_pipeline() as p:
            requests = p | ticks_at(0, 10, 20) | beam.Map(lambda _tick: url)
            entries, dead = requests | PollFeedsWithState(LOCAL, poll_interval=10)
            first = entries | SkipSeenEntries(horizon_days=1)
            assert_that(by_window(first | beam.Map(lambda e: e.link.rsplit("/", 1)[1]), "New"),
                        equal_to([(0, f"{feed.number(0)}.html"), (0, f"{feed.number(1)}.html"),
                                  (20, f"{feed.number(2)}.html")]), label="NewEntriesPerWindow")
            assert_that(dead, equal_to([]), label="NoDeadLetters")
        assert feed.polls == 3 and feed.not_modified == 1


def test_feed_with_constant_validators_is_skipped_by_its_body_hash():
    # This server ignores conditional requests and always sends the same Last-Modified.
    feed = GrowingFeed(etag=False, grow_at_poll={1: 1, 3: 1})
    with LocalServer(routes=feed.routes()) as server:
        url = server.url("/live/feed.xml")
        with streaming_pipeline() as p:
            entries, _dead = p | ticks_at(0, 10, 20) | beam.Map(lambda _t: url) | PollFeedsWithState(LOCAL, 10)
            # The unchanged second poll yields nothing at all; the third yields the whole feed again.
            assert_that(by_window(entries | beam.Map(lambda e: 1), "All") | beam.CombinePerKey(sum),
                        equal_to([(0, 1), (20, 2)]))


def test_failing_feed_backs_off_and_each_failure_is_a_dead_letter():
    with LocalServer(routes={"/down.xml": lambda h: send(h, 503, b"down", "text/plain")}) as server:
        url = server.url("/down.xml")
        with streaming_pipeline() as p:
            _entries, dead = p | ticks_at(*range(0, 70, 10)) | beam.Map(lambda _t: url) | PollFeedsWithState(LOCAL, 10)
            # Fails at 0 and 10; waits two intervals (20 skipped), fails at 30; waits four (40-60 skipped).
            assert_that(by_window(dead | beam.Map(lambda d: (d.stage, d.reason)), "Dead"),
                        equal_to([(0, ("feeds", "http_503")), (10, ("feeds", "http_503")),
                                  (30, ("feeds", "http_503"))]))
        assert server.requests == 3


# The whole streaming graph, windows and files ---------------------------------------------------

def test_streaming_graph_writes_each_window_once_and_dead_letters_bad_messages(tmp_path):
    feed = GrowingFeed(grow_at_poll={1: 2, 3: 1})
    with LocalServer(routes=feed.routes()) as server:
        extra = server.url("/extra/news/7.html")
        server.routes.update(GrowingFeed(prefix="/extra").routes())
        settings = GraphSettings(output=str(tmp_path), run_id="ts", fetch=LOCAL, fetch_concurrency=4)
        messages = (TestStream()
                    .advance_watermark_to(0).add_elements([TimestampedValue(tick_message("t0"), 0),
                                                           TimestampedValue(HEARTBEAT, 1)])
                    .advance_watermark_to(10).add_elements([TimestampedValue(tick_message("t1"), 10),
                                                            TimestampedValue(json.dumps({"url": extra}).encode(), 11),
                                                            TimestampedValue(b"{oops", 12)])
                    .advance_watermark_to(20).add_elements([TimestampedValue(tick_message("t2"), 20),
                                                            TimestampedValue(json.dumps({"url": extra}).encode(), 21)])
                    .advance_watermark_to_infinity())
        with streaming_pipeline() as p:
            stream = p | messages
            build_streaming(p, [server.url("/live/feed.xml")], settings, StreamSettings(poll_interval=10, window=10),
                            ticks=stream | "Ticks" >> beam.Filter(lambda m: b"tick" in m or m == HEARTBEAT),
                            inputs=stream | "Inputs" >> beam.Filter(lambda m: b"tick" not in m and m != HEARTBEAT))
    files = sorted(glob.glob(str(tmp_path / "articles" / "ingest_date=*" / "*.parquet")))
    rows_per_window = {os.path.basename(f).split("-w")[1].split("-")[0]: pq.read_table(f).column("url").to_pylist()
                       for f in files}
    # One file per window that had articles; each article once, in the window of the poll that found it.
    assert {w: len(urls) for w, urls in rows_per_window.items()} == {
        "19700101T000000000": 2, "19700101T000010000": 1, "19700101T000020000": 1}
    assert rows_per_window["19700101T000010000"] == [extra]
    assert all(f.endswith("-p0-00000-of-00001.parquet") for f in files)
    [dead_file] = glob.glob(str(tmp_path / "dead_letter" / "ingest_date=*" / "*.parquet"))
    dead = pq.read_table(dead_file).to_pylist()
    assert [(d["stage"], d["reason"]) for d in dead] == [("input", "bad_message")]
    assert "oops" in dead[0]["message"]


# Syndication in streaming -----------------------------------------------------------------------

BODY = " ".join(f"word{i} common{i % 7}" for i in range(150))


def _article(url, body, day):
    return Article(url=url, final_url=url, canonical_url=url, feed_url="f", body=body,
                   published_at=dt.datetime(2026, 11, day, tzinfo=UTC), fetched_at=dt.datetime(2026, 11, 25, tzinfo=UTC))


def test_exact_and_url_copies_in_one_window_are_marked_in_streaming():
    stream = (TestStream().advance_watermark_to(0)
              .add_elements([TimestampedValue(_article("https://a.example/1", BODY, 1), 1),
                             TimestampedValue(_article("https://b.example/2", BODY, 2), 2),
                             TimestampedValue(_article("https://a.example/1?utm_source=x", BODY, 3), 3)])
              .advance_watermark_to_infinity())
    with streaming_pipeline() as p:
        marked = p | stream | beam.WindowInto(FixedWindows(10)) | ClusterSyndication(window_seconds=10)
        assert_that(marked | beam.Map(lambda a: (a.url, a.is_canonical, a.duplicate_kind)),
                    equal_to([("https://a.example/1", True, None), ("https://b.example/2", False, "exact"),
                              ("https://a.example/1?utm_source=x", False, "url")]))


def test_near_copy_and_a_later_exact_copy_are_marked_in_streaming():
    stream = (TestStream().advance_watermark_to(0)
              .add_elements([TimestampedValue(_article("https://a.example/1", BODY, 1), 1),
                             TimestampedValue(_article("https://b.example/2", BODY + " and one more line", 2), 2)])
              .advance_watermark_to(12)
              .add_elements([TimestampedValue(_article("https://c.example/3", BODY, 3), 13)])
              .advance_watermark_to_infinity())
    with streaming_pipeline() as p:
        marked = p | stream | beam.WindowInto(FixedWindows(10)) | ClusterSyndication(window_seconds=10)
        assert_that(marked | beam.Map(lambda a: (a.url, a.is_canonical, a.duplicate_kind)),
                    equal_to([("https://a.example/1", True, None), ("https://b.example/2", False, "near"),
                              ("https://c.example/3", False, "exact")]))


def test_entries_an_earlier_run_wrote_are_not_ingested_again():
    old = FeedEntry(feed_url="f", link="https://a.example/old", guid="https://a.example/old")
    moved = FeedEntry(feed_url="g", link="https://a.example/moved?utm_source=x", guid="g-17")
    fresh = FeedEntry(feed_url="f", link="https://a.example/new", guid="https://a.example/new")
    polls = (TestStream().advance_watermark_to(100)
             .add_elements([TimestampedValue(e, 100) for e in (old, fresh)])
             .advance_watermark_to(110)
             .add_elements([TimestampedValue(FeedEntry(feed_url="g", link="https://a.example/moved", guid="g-18"), 110)])
             .advance_watermark_to_infinity())
    with streaming_pipeline() as p:
        known = p | "Known" >> beam.Create([TimestampedValue(old, 50), TimestampedValue(moved, 50)])
        new = p | polls | SkipSeenEntries(horizon_days=1, known=known)
        assert_that(new | beam.Map(lambda e: e.link), equal_to(["https://a.example/new"]))
