"""Streaming sources' messages: poll ticks (and heartbeats) and input requests, read from Pub/Sub.

A tick asks for every listed feed to be polled; on Dataflow Cloud Scheduler publishes them, locally
the launcher does. A heartbeat carries nothing: locally the launcher sends one a second to every subscription the
pipeline reads, because the local runner pulls its sources one after another on one thread, each
pull blocking up to 30 s when empty, and its watermark is the wall clock at each pull: without
heartbeats windows would close up to 30 s late. An input message
names a feed to poll now (`{"feed_url": ...}`) or an article to ingest (`{"url": ...}`); one that
cannot be read is a dead letter (and is acknowledged like any other: never redelivered forever).
"""
from __future__ import annotations

import json
import urllib.parse

import apache_beam as beam

from schemas import FeedEntry
from transforms.deadletters import DEAD_LETTERS, counter, dead_letter

STAGE = "input"
HEARTBEAT = b'{"heartbeat": true}'
FEED_REQUESTS = "feeds"


class BadMessage(ValueError):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def is_heartbeat(data: bytes) -> bool:
    return data.strip() == HEARTBEAT


def tick_message(sent_at: str) -> bytes:
    return json.dumps({"tick": sent_at}).encode()


def parse_input_message(data: bytes) -> tuple[str, str]:
    """('feed', url) or ('article', url) for an input message; BadMessage if it is neither."""
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise BadMessage("bad_message", f"not JSON: {err}") from None
    if not isinstance(body, dict):
        raise BadMessage("bad_message", "not a JSON object")
    kinds = [k for k in ("feed_url", "url") if k in body]
    if len(kinds) != 1:
        raise BadMessage("bad_message", "expected exactly one of 'feed_url' or 'url'")
    url = body[kinds[0]]
    if not isinstance(url, str) or urllib.parse.urlsplit(url.strip()).scheme not in ("http", "https") \
            or not urllib.parse.urlsplit(url.strip()).hostname:
        raise BadMessage("bad_url", f"{kinds[0]} is not an http(s) URL: {str(url)[:200]!r}")
    return ("feed" if kinds[0] == "feed_url" else "article"), url.strip()


class _ExpandTickFn(beam.DoFn):
    def __init__(self, feed_urls: list[str]):
        self._feed_urls = list(feed_urls)

    def setup(self):
        self._ticks = counter("ticks_received")
        self._requests = counter("poll_requests")

    def process(self, data: bytes):
        if is_heartbeat(data):
            return
        self._ticks.inc()
        self._requests.inc(len(self._feed_urls))
        yield from self._feed_urls


class ExpandTicks(beam.PTransform):
    """Tick messages -> one poll request (feed URL) per listed feed, at the tick's time; heartbeats
    are dropped here."""

    def __init__(self, feed_urls: list[str]):
        super().__init__()
        self._feed_urls = list(feed_urls)

    def expand(self, messages):
        return messages | "PerFeed" >> beam.ParDo(_ExpandTickFn(self._feed_urls))


class _ParseInputFn(beam.DoFn):
    def __init__(self, source: str):
        self._source = source

    def setup(self):
        self._requests = counter("poll_requests")
        self._entries = counter("entries_seen")

    def process(self, data: bytes):
        if is_heartbeat(data):
            return
        try:
            kind, url = parse_input_message(data)
        except BadMessage as err:
            yield beam.pvalue.TaggedOutput(DEAD_LETTERS, dead_letter(
                STAGE, err.reason, None, self._source, f"{err}; message: {data[:300]!r}"))
            return
        if kind == "feed":
            self._requests.inc()
            yield beam.pvalue.TaggedOutput(FEED_REQUESTS, url)
        else:
            self._entries.inc()
            yield FeedEntry(feed_url=self._source, link=url, guid=url)


class ParseInputMessages(beam.PTransform):
    """Input messages -> (FeedEntry for article URLs, feed URLs to poll now, dead letters).
    `source` (the subscription) is recorded as the feed_url of articles requested this way."""

    def __init__(self, source: str):
        super().__init__()
        self._source = source

    def expand(self, messages):
        parsed = messages | "Parse" >> beam.ParDo(_ParseInputFn(self._source)).with_outputs(
            FEED_REQUESTS, DEAD_LETTERS, main="entries")
        return parsed.entries, parsed[FEED_REQUESTS], parsed[DEAD_LETTERS]
