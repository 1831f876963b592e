"""Feeds stage: read the feed list, poll feeds (once in batch, on every tick with per-feed state in
streaming), emit one FeedEntry per item."""
from __future__ import annotations

import calendar
import datetime as dt
import logging
import os
import re
import typing
import urllib.parse
import xml.etree.ElementTree as ElementTree

import apache_beam as beam
import feedparser
from apache_beam.transforms import userstate
from apache_beam.transforms.timeutil import TimeDomain
from apache_beam.utils.timestamp import Duration

from schemas import FeedEntry
from transforms import feedstate, httpfetch, politeness
from transforms.deadletters import DEAD_LETTERS, counter, dead_letter
from transforms.dedup import canonicalize_url

STAGE = "feeds"
_log = logging.getLogger(__name__)
ENTRY_STAGE = "feed_entry"


class FeedListError(ValueError):
    """The feeds file cannot be used; the message says why."""


def read_feed_list(path: str) -> list[str]:
    """Feed URLs from a text file (one per line, '#' comments) or an OPML file, deduplicated in order.
    The path may be local or any Beam filesystem URL (gs://...)."""
    if "://" in path:   # gs://... for a Flex Template launched on Dataflow
        from apache_beam.io.filesystems import FileSystems
        try:
            with FileSystems.open(path) as handle:
                raw = handle.read()
        except Exception as err:  # noqa: BLE001 - any filesystem's "cannot read" becomes one message
            raise FeedListError(f"feeds file not readable: {path}: {err}") from None
    elif not os.path.isfile(path):
        raise FeedListError(f"feeds file not found: {path}")
    else:
        with open(path, "rb") as handle:
            raw = handle.read()
    text = raw.decode("utf-8-sig", errors="replace")
    if text.lstrip().startswith("<"):
        urls = _opml_urls(text, path)
    else:
        urls = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    urls = list(dict.fromkeys(u for u in urls if u))
    bad = [u for u in urls if urllib.parse.urlsplit(u).scheme not in ("http", "https")]
    if bad:
        raise FeedListError(f"{path}: not http(s) URLs: {', '.join(bad[:5])}")
    if not urls:
        raise FeedListError(f"{path}: no feed URLs in it")
    return urls


def _opml_urls(text: str, path: str) -> list[str]:
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        raise FeedListError(f"{path}: OPML with a DOCTYPE or entities is not accepted")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as err:
        raise FeedListError(f"{path}: not a readable OPML file: {err}") from None
    return [node.get("xmlUrl", "").strip() for node in root.iter("outline") if node.get("xmlUrl")]


class FeedUnreadable(Exception):
    pass


class UnsafeFeed(Exception):
    """The document declares XML entities: refused before any parser sees it."""


# An entity declaration in any encoding a feed may use (UTF-8/ASCII family, UTF-16 either way).
_ENTITY_DECLARATIONS = [b"<!entity", "<!entity".encode("utf-16-le"), "<!entity".encode("utf-16-be")]


def check_safe_xml(content: bytes):
    """UnsafeFeed if the document declares entities (billion laughs, external entities).

    Feeds have no use for their own entities, and feedparser falls back to a lenient parser when
    expat stops on an entity bomb, so refusing the declaration outright is the one rule that does
    not depend on parser internals. A DOCTYPE without declarations (RSS 0.91's) is fine: neither
    expat nor feedparser fetches external DTDs."""
    lowered = content.lower()
    for marker in _ENTITY_DECLARATIONS:
        if marker in lowered:
            raise UnsafeFeed("the feed declares XML entities (<!ENTITY>); refused unparsed, "
                             "as entity expansion can exhaust memory or read local files")


def parse_feed(feed_url: str, content: bytes, content_type: str = "") -> tuple[list[FeedEntry], str | None]:
    """Entries of a feed document and feedparser's bozo reason (None if well-formed).

    A malformed feed that still yields a version or entries is used; one that yields neither
    raises FeedUnreadable; one that declares XML entities raises UnsafeFeed.
    """
    check_safe_xml(content)
    parsed = feedparser.parse(content, response_headers={"content-type": content_type} if content_type else None,
                              resolve_relative_uris=False, sanitize_html=False)
    bozo = repr(parsed.get("bozo_exception")) if parsed.get("bozo") else None
    if not parsed.get("version") and not parsed.entries:
        raise FeedUnreadable(bozo or "no feed found in the document")
    feed = parsed.feed
    feed_title = feed.get("title") or None
    entries = []
    for item in parsed.entries:
        link = _entry_link(item, feed.get("link") or feed_url)
        entries.append(FeedEntry(
            feed_url=feed_url,
            link=link,
            guid=(item.get("id") or link or "").strip(),
            feed_title=feed_title,
            title=(item.get("title") or "").strip() or None,
            summary=(item.get("summary") or "").strip() or None,
            published=_entry_time(item),
            authors=tuple(_entry_authors(item)),
            categories=tuple(dict.fromkeys(t.get("term", "").strip() for t in item.get("tags", [])
                                           if t.get("term", "").strip())),
        ))
    return entries, bozo


def _entry_link(item, base: str) -> str:
    link = (item.get("link") or "").strip()
    if not link:
        for candidate in item.get("links", []):
            if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                link = candidate["href"].strip()
                break
    return urllib.parse.urljoin(base, link) if link else ""


def _entry_time(item) -> dt.datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = item.get(key)
        if value:
            return dt.datetime.fromtimestamp(calendar.timegm(value), tz=dt.timezone.utc)
    return None


_RSS_AUTHOR = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]+)\)\s*$")


def _entry_authors(item) -> list[str]:
    """Author names; RSS's 'email (Name)' form is read here because feedparser splits it wrongly
    for some addresses."""
    raw = (item.get("author") or "").strip()
    rss_form = _RSS_AUTHOR.match(raw)
    if rss_form:
        return [rss_form.group("name").strip()]
    names = [a.get("name", "").strip() for a in item.get("authors", []) if a.get("name")]
    if not names and raw:
        names = [raw]
    return list(dict.fromkeys(n for n in names if n))


def entry_key(entry: FeedEntry) -> str:
    """Key under which repeats of one entry meet: a URL-like or tag: guid is global, a bare one
    ('1234') is only unique within its feed."""
    guid = entry.guid or entry.link
    return guid if ":" in guid else f"{entry.feed_url}#{guid}"


class _PollFeedFn(beam.DoFn):
    def __init__(self, fetch_config: httpfetch.FetchConfig, polite: politeness.PolitenessConfig):
        self._config = fetch_config
        self._polite = polite

    def setup(self):
        self._polled = counter("feeds_polled")
        self._malformed = counter("feeds_malformed_but_read")
        self._entries = counter("entries_seen")

    def process(self, feed_url: str):
        self._polled.inc()
        try:
            # Retried like pages (429, 5xx, timeouts); robots.txt does not apply: a feed is a
            # document the publisher offers to be polled.
            response = politeness.call_with_retries(
                lambda: httpfetch.fetch(feed_url, self._config, accept_types=None), self._polite)
            entries, bozo = parse_feed(feed_url, response.body, response.content_type)
        except (httpfetch.FetchError, FeedUnreadable, UnsafeFeed) as err:
            yield beam.pvalue.TaggedOutput(DEAD_LETTERS, feed_dead_letter(feed_url, err))
            return
        except Exception as err:  # noqa: BLE001 - one hostile feed must not fail the whole run
            _log.warning("unexpected error polling %s", feed_url, exc_info=True)
            yield beam.pvalue.TaggedOutput(DEAD_LETTERS, feed_dead_letter(feed_url, err))
            return
        yield from self._emit(feed_url, entries, bozo)

    def _emit(self, feed_url: str, entries: list[FeedEntry], bozo: str | None):
        if bozo:
            self._malformed.inc()
        for entry in entries:
            self._entries.inc()
            if not entry.link:
                yield beam.pvalue.TaggedOutput(DEAD_LETTERS, dead_letter(
                    ENTRY_STAGE, "no_link", None, feed_url, f"entry {entry.guid or entry.title!r} has no link"))
                continue
            yield entry


def feed_dead_letter(feed_url: str, err: Exception):
    """The dead letter of a feed that could not be polled or read."""
    if isinstance(err, httpfetch.FetchError):
        return dead_letter(STAGE, err.reason, feed_url, feed_url, str(err), err.http_status)
    if isinstance(err, UnsafeFeed):
        return dead_letter(STAGE, "unsafe_xml", feed_url, feed_url, str(err), 200)
    if isinstance(err, FeedUnreadable):
        return dead_letter(STAGE, "unreadable_feed", feed_url, feed_url, f"feedparser could not read it: {err}", 200)
    return dead_letter(STAGE, "fetch_failed", feed_url, feed_url, f"{type(err).__name__}: {err}")


class _PollFeedWithStateFn(_PollFeedFn):
    """Keyed by feed URL, in the global window: polls with the validators of the last good answer,
    skips a body identical to the last one, and backs off a feed that keeps failing (see
    transforms/feedstate.py). Time is the poll request's event time, so tests can replay it."""

    FEED = userstate.ReadModifyWriteStateSpec("feed", beam.coders.PickleCoder())

    def __init__(self, fetch_config: httpfetch.FetchConfig, poll_interval: float,
                 polite: politeness.PolitenessConfig = politeness.PolitenessConfig()):
        super().__init__(fetch_config, polite)
        self._interval = poll_interval

    def setup(self):
        super().setup()
        self._not_modified = counter("feeds_not_modified")
        self._unchanged = counter("feeds_unchanged")
        self._backed_off = counter("polls_backed_off")

    def process(self, keyed, timestamp=beam.DoFn.TimestampParam, feed=beam.DoFn.StateParam(FEED)):
        feed_url, _ = keyed
        now = float(timestamp)
        state = feed.read() or feedstate.FeedState()
        if not feedstate.due(state, now):
            self._backed_off.inc()
            return
        new_state, outputs = self._poll(feed_url, state, now)
        feed.write(new_state)
        outputs = list(outputs)
        # Counted once its entries are: a drain that sees every poll counted also sees their entries.
        self._polled.inc()
        yield from outputs

    def _poll(self, feed_url: str, state: feedstate.FeedState, now: float):
        """(state after this poll, outputs)."""
        try:
            # No retries inside a poll: the next poll is the retry, and a failing feed backs off.
            response = httpfetch.fetch(feed_url, self._config, accept_types=None,
                                       extra_headers=feedstate.conditional_headers(state))
            if response.status == 304:
                self._not_modified.inc()
                return feedstate.after_success(state, response.headers, None), []
            digest = feedstate.body_hash(response.body)
            if digest == state.body_hash:
                self._unchanged.inc()
                return feedstate.after_success(state, response.headers, digest), []
            entries, bozo = parse_feed(feed_url, response.body, response.content_type)
        except (httpfetch.FetchError, FeedUnreadable, UnsafeFeed) as err:
            return (feedstate.after_failure(state, now, self._interval),
                    [beam.pvalue.TaggedOutput(DEAD_LETTERS, feed_dead_letter(feed_url, err))])
        return feedstate.after_success(state, response.headers, digest), self._emit(feed_url, entries, bozo)


class _FirstSightingFn(beam.DoFn):
    """Keyed, in the global window: passes the first entry of a key, skips repeats, and forgets the
    key once it has not been seen for `horizon_seconds` of event time. `known_keys` (a side input)
    are keys that earlier runs wrote: their first sighting is a repeat too."""

    LAST_SEEN = userstate.ReadModifyWriteStateSpec("last_seen", beam.coders.VarIntCoder())   # micros
    FORGET = userstate.TimerSpec("forget", TimeDomain.WATERMARK)

    def __init__(self, horizon_seconds: float):
        self._horizon = Duration(seconds=horizon_seconds)
        self._known = None

    def setup(self):
        self._skipped = counter("skipped.seen_before")

    def process(self, keyed, known_keys, timestamp=beam.DoFn.TimestampParam,
                last_seen=beam.DoFn.StateParam(LAST_SEEN), forget=beam.DoFn.TimerParam(FORGET)):
        key, entry = keyed
        if self._known is None:
            self._known = frozenset(known_keys)   # the side input is fixed: built once per instance
        seen_before = last_seen.read() is not None or key in self._known
        # Every sighting pushes the horizon on: an entry a feed keeps listing is never re-ingested.
        last_seen.write(timestamp.micros)
        forget.set(timestamp + self._horizon)
        if seen_before:
            self._skipped.inc()
            return
        yield entry

    @userstate.on_timer(FORGET)
    def on_forget(self, last_seen=beam.DoFn.StateParam(LAST_SEEN)):
        last_seen.clear()


class _FirstOfRepeatsFn(beam.DoFn):
    def setup(self):
        self._skipped = counter("skipped.repeated_guid")

    def process(self, keyed):
        _key, entries = keyed
        ordered = sorted(entries, key=lambda e: (e.feed_url, e.link))
        self._skipped.inc(len(ordered) - 1)
        yield ordered[0]


class PollFeeds(beam.PTransform):
    """Feed URLs -> (FeedEntry, dead letters). Each feed is fetched once with the same vetted HTTP
    client as pages; feedparser reads it; an entry repeated in this run (same guid) is kept once
    and its repeats are counted as skips."""

    def __init__(self, fetch_config: httpfetch.FetchConfig,
                 polite: politeness.PolitenessConfig = politeness.PolitenessConfig()):
        super().__init__()
        self._config = fetch_config
        self._polite = polite

    def expand(self, feed_urls):
        polled = feed_urls | "FetchAndParse" >> beam.ParDo(_PollFeedFn(self._config, self._polite)).with_outputs(
            DEAD_LETTERS, main="entries")
        entries = (polled.entries
                   | "KeyByGuid" >> beam.Map(lambda e: (entry_key(e), e))
                   | "GroupRepeats" >> beam.GroupByKey()
                   | "KeepFirst" >> beam.ParDo(_FirstOfRepeatsFn()))
        return entries, polled[DEAD_LETTERS]


class PollFeedsWithState(beam.PTransform):
    """Streaming: poll requests (feed URLs, timestamped) -> (FeedEntry, dead letters).

    Per feed, in Beam state: conditional GET validators, the last body's hash and a backoff for
    failing feeds. Only the entries of a changed feed document come out; SkipSeenEntries then
    drops the ones already ingested. Polls of one feed are serial (state is per key); different
    feeds run in parallel on Dataflow's workers."""

    def __init__(self, fetch_config: httpfetch.FetchConfig, poll_interval: float,
                 polite: politeness.PolitenessConfig = politeness.PolitenessConfig()):
        super().__init__()
        if poll_interval <= 0:
            raise ValueError("poll_interval must be positive")
        self._config = fetch_config
        self._interval = poll_interval
        self._polite = polite

    def expand(self, feed_urls):
        polled = (feed_urls
                  | "KeyByFeed" >> beam.Map(lambda url: (url, None)).with_output_types(typing.Tuple[str, None])
                  | "ConditionalPoll" >> beam.ParDo(
                      _PollFeedWithStateFn(self._config, self._interval, self._polite)).with_outputs(
                      DEAD_LETTERS, main="entries"))
        return polled.entries, polled[DEAD_LETTERS]


class SkipSeenEntries(beam.PTransform):
    """Streaming: FeedEntry -> FeedEntry seen for the first time within the horizon, by guid (see
    `entry_key`) and then by canonical link, so an entry listed in many polls, or in two feeds, or
    re-sent as a URL message, is ingested once. Repeats are counted as `skipped.seen_before`. Each
    key holds one timestamp and is forgotten `horizon_days` after its last sighting. `known`
    (ReadStoredEntries) are entries earlier runs wrote: they are never ingested again."""

    def __init__(self, horizon_days: float, known=None):
        super().__init__()
        if horizon_days <= 0:
            raise ValueError("horizon_days must be positive")
        self._horizon = horizon_days * 86400.0
        self._known = known

    def expand(self, entries):
        known = self._known if self._known is not None else entries.pipeline | "NoKnownEntries" >> beam.Create([])
        # Side inputs, not a merged stream: the runner holds new entries until the stored ones are
        # all read, so an entry written before a restart cannot slip past them.
        guids = beam.pvalue.AsList(known | "KnownGuids" >> beam.Map(entry_key))
        links = beam.pvalue.AsList(known | "KnownLinks" >> beam.Map(canonical_link))
        return (entries
                | "KeyByGuid" >> beam.Map(lambda e: (entry_key(e), e)).with_output_types(_KEYED)
                | "FirstByGuid" >> beam.ParDo(_FirstSightingFn(self._horizon), guids)
                | "KeyByCanonicalLink" >> beam.Map(lambda e: (canonical_link(e), e)).with_output_types(_KEYED)
                | "FirstByLink" >> beam.ParDo(_FirstSightingFn(self._horizon), links))


def canonical_link(entry: FeedEntry) -> str:
    return canonicalize_url(entry.link)


_KEYED = typing.Tuple[str, FeedEntry]


class ReadStoredEntries(beam.PTransform):
    """SkipSeenEntries' memory across runs: the entries that earlier runs wrote under
    `<output>/articles/` and fetched within the horizon."""

    COLUMNS = ["url", "guid", "feed_url", "fetched_at"]

    def __init__(self, files: list[str], horizon_days: float):
        super().__init__()
        self._files = list(files)
        self._horizon_days = horizon_days

    def expand(self, pbegin):
        start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=self._horizon_days)
        return (pbegin
                | "ListFiles" >> beam.Create(self._files)
                | "ReadParquet" >> beam.io.ReadAllFromParquet(columns=self.COLUMNS)
                | "AsEntries" >> beam.FlatMap(_stored_entry, start))


def _stored_entry(row: dict, horizon_start: dt.datetime):
    if not row["fetched_at"] or row["fetched_at"] < horizon_start:
        return
    yield FeedEntry(feed_url=row["feed_url"], link=row["url"], guid=row["guid"] or row["url"])
