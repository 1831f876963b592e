"""Fetch stage: download each entry's page with many requests in flight inside one worker."""
from __future__ import annotations

import collections
import concurrent.futures
import datetime as dt

import apache_beam as beam
from apache_beam.utils.windowed_value import WindowedValue

from schemas import FeedEntry, Page
from transforms import httpfetch
from transforms.deadletters import DEAD_LETTERS, counter, dead_letter

STAGE = "fetch"


def fetch_page(entry: FeedEntry, config: httpfetch.FetchConfig) -> Page:
    """The decoded page behind a feed entry; FetchError if there is none."""
    response = httpfetch.fetch(entry.link, config)
    html, _charset = httpfetch.decode_html(response.body, response.charset)
    return Page(entry=entry, final_url=response.final_url, status=response.status,
                content_type=response.content_type, html=html,
                fetched_at=dt.datetime.now(dt.timezone.utc))


class _ConcurrentFetchFn(beam.DoFn):
    """Keeps up to `concurrency` requests in flight; a result is emitted in the window and with the
    timestamp of the entry it belongs to, whichever element is being processed when it completes."""

    def __init__(self, config: httpfetch.FetchConfig, concurrency: int):
        self._config = config
        self._concurrency = concurrency

    def setup(self):
        self._pool = concurrent.futures.ThreadPoolExecutor(self._concurrency, thread_name_prefix="fetch")
        self._fetched = counter("pages_fetched")

    def start_bundle(self):
        self._in_flight = collections.deque()

    def process(self, entry: FeedEntry, window=beam.DoFn.WindowParam, timestamp=beam.DoFn.TimestampParam):
        self._in_flight.append((self._pool.submit(self._fetch_one, entry), timestamp, window))
        # Memory stays bounded: never more than 2x concurrency pages held at once.
        while self._in_flight and (self._in_flight[0][0].done()
                                   or len(self._in_flight) >= 2 * self._concurrency):
            yield self._emit(*self._in_flight.popleft())

    def finish_bundle(self):
        while self._in_flight:
            yield self._emit(*self._in_flight.popleft())

    def teardown(self):
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _fetch_one(self, entry: FeedEntry):
        try:
            return fetch_page(entry, self._config)
        except httpfetch.FetchError as err:
            return dead_letter(STAGE, err.reason, entry.link, entry.feed_url, str(err), err.http_status)

    def _emit(self, future, timestamp, window):
        result = future.result()
        if isinstance(result, Page):
            self._fetched.inc()
            return WindowedValue(result, timestamp, [window])
        return beam.pvalue.TaggedOutput(DEAD_LETTERS, WindowedValue(result, timestamp, [window]))


class FetchPages(beam.PTransform):
    """FeedEntry -> (Page, dead letters). Every hop is vetted by netguard; limits come from config.

    Keep the extract stage directly after this one: raw HTML must not cross a shuffle.
    """

    def __init__(self, config: httpfetch.FetchConfig, concurrency: int = 16):
        super().__init__()
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._config = config
        self._concurrency = concurrency

    def expand(self, entries):
        fetched = entries | "Get" >> beam.ParDo(_ConcurrentFetchFn(self._config, self._concurrency)).with_outputs(
            DEAD_LETTERS, main="pages")
        return fetched.pages, fetched[DEAD_LETTERS]
