"""Feeds stage: read the feed list, poll each feed once, emit one FeedEntry per item."""
from __future__ import annotations

import calendar
import datetime as dt
import logging
import os
import re
import urllib.parse
import xml.etree.ElementTree as ElementTree

import apache_beam as beam
import feedparser

from schemas import FeedEntry
from transforms import httpfetch, politeness
from transforms.deadletters import DEAD_LETTERS, counter, dead_letter

STAGE = "feeds"
_log = logging.getLogger(__name__)
ENTRY_STAGE = "feed_entry"


class FeedListError(ValueError):
    """The feeds file cannot be used; the message says why."""


def read_feed_list(path: str) -> list[str]:
    """Feed URLs from a text file (one per line, '#' comments) or an OPML file, deduplicated in order."""
    if not os.path.isfile(path):
        raise FeedListError(f"feeds file not found: {path}")
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
        except httpfetch.FetchError as err:
            yield beam.pvalue.TaggedOutput(DEAD_LETTERS, dead_letter(
                STAGE, err.reason, feed_url, feed_url, str(err), err.http_status))
            return
        except UnsafeFeed as err:
            yield beam.pvalue.TaggedOutput(DEAD_LETTERS, dead_letter(
                STAGE, "unsafe_xml", feed_url, feed_url, str(err), 200))
            return
        except FeedUnreadable as err:
            yield beam.pvalue.TaggedOutput(DEAD_LETTERS, dead_letter(
                STAGE, "unreadable_feed", feed_url, feed_url, f"feedparser could not read it: {err}", 200))
            return
        except Exception as err:  # noqa: BLE001 - one hostile feed must not fail the whole run
            _log.warning("unexpected error polling %s", feed_url, exc_info=True)
            yield beam.pvalue.TaggedOutput(DEAD_LETTERS, dead_letter(
                STAGE, "fetch_failed", feed_url, feed_url, f"{type(err).__name__}: {err}"))
            return
        if bozo:
            self._malformed.inc()
        for entry in entries:
            self._entries.inc()
            if not entry.link:
                yield beam.pvalue.TaggedOutput(DEAD_LETTERS, dead_letter(
                    ENTRY_STAGE, "no_link", None, feed_url, f"entry {entry.guid or entry.title!r} has no link"))
                continue
            yield entry


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
