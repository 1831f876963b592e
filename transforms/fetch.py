"""Fetch stage: download each entry's page with many requests in flight inside one worker."""
from __future__ import annotations

import concurrent.futures
import datetime as dt
import logging

import apache_beam as beam
from apache_beam.utils.windowed_value import WindowedValue

from schemas import FeedEntry, Page
from transforms import httpfetch, pagecheck, politeness
from transforms.deadletters import DEAD_LETTERS, counter, dead_letter

STAGE = "fetch"
# Entries held per DoFn instance (waiting for their host's turn or in flight): about 1 KB each.
MAX_QUEUED = 1000
_log = logging.getLogger(__name__)


def fetch_page(entry: FeedEntry, fetcher: politeness.PoliteFetcher) -> Page:
    """The decoded page behind a feed entry; FetchError if there is none, or if what came back is
    a bot wall, a JavaScript challenge, a captcha or a consent wall instead of the article."""
    response = fetcher.fetch(entry.link, wall_check=_error_page_wall)
    html, _charset = httpfetch.decode_html(response.body, response.charset)
    wall = pagecheck.wall_reason(response.status, html, response.final_url)
    if wall:
        raise httpfetch.FetchError(wall, f"{wall.replace('_', ' ')} instead of the article at {response.final_url}",
                                   response.status)
    return Page(entry=entry, final_url=response.final_url, status=response.status,
                content_type=response.content_type, html=html,
                fetched_at=dt.datetime.now(dt.timezone.utc))


def _error_page_wall(error: httpfetch.FetchError) -> httpfetch.FetchError | None:
    """A 403/429/503 whose body is a challenge: a wall, not a busy server, so not retried."""
    if not error.body or error.http_status is None:
        return None
    html, _charset = httpfetch.decode_html(error.body)
    wall = pagecheck.wall_reason(error.http_status, html)
    if wall is None:
        return None
    return httpfetch.FetchError(wall, f"{wall.replace('_', ' ')} (HTTP {error.http_status})", error.http_status)


class _ConcurrentFetchFn(beam.DoFn):
    """Keeps up to `concurrency` requests in flight (at most `per_host_concurrency` per host, so
    different hosts proceed in parallel); a result is emitted in the window and with the timestamp
    of the entry it belongs to, whichever element is being processed when it completes.

    Politeness state (robots.txt, per-host rate) lives in one PoliteFetcher per DoFn instance;
    see docs/design.md, "Politeness state", for why per worker is enough."""

    def __init__(self, config: httpfetch.FetchConfig, polite: politeness.PolitenessConfig, concurrency: int):
        self._config = config
        self._polite = polite
        self._concurrency = concurrency

    def setup(self):
        self._pool = concurrent.futures.ThreadPoolExecutor(self._concurrency, thread_name_prefix="fetch")
        self._scheduler = politeness.HostScheduler(self._pool, min(self._polite.per_host_concurrency,
                                                                   self._concurrency))
        self._fetcher = politeness.PoliteFetcher(self._config, self._polite)
        self._fetched = counter("pages_fetched")

    def start_bundle(self):
        self._in_flight = []

    def process(self, entry: FeedEntry, window=beam.DoFn.WindowParam, timestamp=beam.DoFn.TimestampParam):
        future = self._scheduler.submit(politeness.host_key(entry.link), self._fetch_one, entry)
        self._in_flight.append((future, timestamp, window))
        # Entries wait in per-host queues (small records); pages exist only for running or just
        # finished requests, and finished ones leave at every call, so memory stays bounded by
        # the pool size. The entry limit only bounds head-of-line blocking: a bundle of many
        # entries from one throttled host holds up other hosts only past MAX_QUEUED entries.
        if len(self._in_flight) >= max(MAX_QUEUED, 2 * self._concurrency):
            concurrent.futures.wait([f for f, _t, _w in self._in_flight],
                                    return_when=concurrent.futures.FIRST_COMPLETED)
        yield from self._emit_done()

    def finish_bundle(self):
        concurrent.futures.wait([f for f, _t, _w in self._in_flight])
        yield from self._emit_done()

    def teardown(self):
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _fetch_one(self, entry: FeedEntry):
        try:
            return fetch_page(entry, self._fetcher)
        except httpfetch.FetchError as err:
            return dead_letter(STAGE, err.reason, entry.link, entry.feed_url, str(err), err.http_status)
        except Exception as err:  # noqa: BLE001 - one hostile URL must not fail a run of thousands
            _log.warning("unexpected error fetching %s", entry.link, exc_info=True)
            return dead_letter(STAGE, "fetch_failed", entry.link, entry.feed_url, f"{type(err).__name__}: {err}")

    def _emit_done(self):
        pending = []
        for future, timestamp, window in self._in_flight:
            if not future.done():
                pending.append((future, timestamp, window))
                continue
            result = future.result()
            if isinstance(result, Page):
                self._fetched.inc()
                yield WindowedValue(result, timestamp, [window])
            else:
                yield beam.pvalue.TaggedOutput(DEAD_LETTERS, WindowedValue(result, timestamp, [window]))
        self._in_flight = pending


class FetchPages(beam.PTransform):
    """FeedEntry -> (Page, dead letters). robots.txt is honoured, each host gets a bounded number
    of requests in flight and per second, retryable failures are retried with backoff; every hop
    is vetted by netguard; limits come from config.

    Keep the extract stage directly after this one: raw HTML must not cross a shuffle.
    """

    def __init__(self, config: httpfetch.FetchConfig, concurrency: int = 16,
                 polite: politeness.PolitenessConfig = politeness.PolitenessConfig()):
        super().__init__()
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if polite.per_host_concurrency < 1:
            raise ValueError("per_host_concurrency must be at least 1")
        self._config = config
        self._concurrency = concurrency
        self._polite = polite

    def expand(self, entries):
        fn = _ConcurrentFetchFn(self._config, self._polite, self._concurrency)
        fetched = entries | "Get" >> beam.ParDo(fn).with_outputs(
            DEAD_LETTERS, main="pages")
        return fetched.pages, fetched[DEAD_LETTERS]
