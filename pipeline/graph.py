"""The newsbeam graph on one screen: feeds -> fetch -> extract -> byline -> dedup -> sinks.

Batch and streaming differ only in the source (a feed list once; Pub/Sub ticks and input messages),
the per-feed state that streaming keeps between polls, and the windowing.
"""
from __future__ import annotations

import dataclasses

import apache_beam as beam
from apache_beam.transforms.window import FixedWindows

from transforms.byline import NormaliseBylines
from transforms.dedup import ClusterSyndication, ReadStoredArticles
from transforms.events import PublishEvents
from transforms.extract import ExtractArticles
from transforms.feeds import PollFeeds, PollFeedsWithState, ReadStoredEntries, SkipSeenEntries
from transforms.fetch import FetchPages
from transforms.httpfetch import FetchConfig
from transforms.messages import ExpandTicks, ParseInputMessages
from transforms.politeness import PolitenessConfig
from transforms.sinks import WriteArticles, WriteDeadLetters


@dataclasses.dataclass(frozen=True)
class GraphSettings:
    output: str
    run_id: str
    fetch: FetchConfig
    fetch_concurrency: int = 16
    politeness: PolitenessConfig = PolitenessConfig()
    stored_files: tuple = ()        # Parquet files of earlier runs in the same output
    dedup_horizon_days: float = 7.0
    near_duplicates: bool = True


@dataclasses.dataclass(frozen=True)
class StreamSettings:
    poll_interval: float            # seconds between ticks (the launcher's or Cloud Scheduler's)
    window: float                   # seconds per ingest window: one set of files per window
    tick_subscription: str | None = None
    input_subscription: str | None = None
    output_topic: str | None = None


def build_batch(pipeline: beam.Pipeline, feed_urls: list[str], settings: GraphSettings):
    """Adds the batch graph (each feed polled once) to `pipeline`; returns the written file paths."""
    feeds = pipeline | "ReadFeedList" >> beam.Create(feed_urls)
    entries, feed_failures = feeds | "PollFeeds" >> PollFeeds(settings.fetch, settings.politeness)
    stored = (pipeline | "ReadStoredArticles" >> ReadStoredArticles(settings.stored_files, settings.dedup_horizon_days)
              if settings.stored_files else None)
    clustered, failures = _ingest(entries, settings, stored)
    return _write(clustered, (feed_failures, *failures), settings)


def build_streaming(pipeline: beam.Pipeline, feed_urls: list[str], settings: GraphSettings, stream: StreamSettings,
                    ticks=None, inputs=None):
    """Adds the streaming graph: every tick polls every feed, each ingest window is written as
    Parquet (and announced on `stream.output_topic`); returns the written file paths. `ticks` and
    `inputs` replace the Pub/Sub reads (tests pass TestStream PCollections of message bytes)."""
    if ticks is None:
        ticks = pipeline | "ReadTicks" >> beam.io.ReadFromPubSub(subscription=stream.tick_subscription)
    if inputs is None and stream.input_subscription:
        inputs = pipeline | "ReadInput" >> beam.io.ReadFromPubSub(subscription=stream.input_subscription)
    requests = ticks | "ExpandTicks" >> ExpandTicks(feed_urls)
    sources, global_failures = [], []
    if inputs is not None:
        url_entries, feed_requests, bad_messages = inputs | "ParseInput" >> ParseInputMessages(
            stream.input_subscription or "input")
        requests = (requests, feed_requests) | "AllPollRequests" >> beam.Flatten()
        sources, global_failures = [url_entries], [bad_messages]
    polled, feed_failures = requests | "PollFeeds" >> PollFeedsWithState(settings.fetch, stream.poll_interval,
                                                                         settings.politeness)
    written_before = (pipeline | "ReadStoredEntries" >> ReadStoredEntries(settings.stored_files,
                                                                         settings.dedup_horizon_days)
                      if settings.stored_files else None)
    entries = ((polled, *sources) | "AllEntries" >> beam.Flatten()
               | "SkipSeenEntries" >> SkipSeenEntries(settings.dedup_horizon_days, written_before)
               | "IngestWindows" >> beam.WindowInto(FixedWindows(stream.window)))
    stored = (pipeline | "ReadStoredArticles" >> ReadStoredArticles(settings.stored_files, settings.dedup_horizon_days)
              if settings.stored_files else None)
    clustered, failures = _ingest(entries, settings, stored, window_seconds=stream.window)
    state_failures = ((feed_failures, *global_failures) | "StateStageFailures" >> beam.Flatten()
                      | "WindowFailures" >> beam.WindowInto(FixedWindows(stream.window)))
    article_files, dead_letter_files = _write(clustered, (state_failures, *failures), settings)
    if stream.output_topic:
        article_files | "PublishEvents" >> PublishEvents(stream.output_topic)
    return article_files, dead_letter_files


def _ingest(entries, settings: GraphSettings, stored, window_seconds: float | None = None):
    """FeedEntry -> clustered Article, plus the fetch and extract dead letters."""
    pages, fetch_failures = entries | "FetchPages" >> FetchPages(settings.fetch, settings.fetch_concurrency,
                                                                 settings.politeness)
    articles, extract_failures = pages | "ExtractArticles" >> ExtractArticles()
    normalised, byline_failures = articles | "NormaliseBylines" >> NormaliseBylines()
    clustered = normalised | "ClusterSyndication" >> ClusterSyndication(
        stored, settings.dedup_horizon_days, window_seconds, near_duplicates=settings.near_duplicates)
    return clustered, (fetch_failures, extract_failures, byline_failures)


def _write(clustered, failures, settings: GraphSettings):
    dead_letters = failures | "CollectDeadLetters" >> beam.Flatten()
    article_files = clustered | "WriteArticles" >> WriteArticles(settings.output, settings.run_id)
    dead_letter_files = dead_letters | "WriteDeadLetters" >> WriteDeadLetters(settings.output, settings.run_id)
    return article_files, dead_letter_files
