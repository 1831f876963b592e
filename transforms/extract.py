"""Extract stage: trafilatura turns a page into the article's text and metadata."""
from __future__ import annotations

import datetime as dt
import html
import logging
import re

import apache_beam as beam
import trafilatura

from schemas import Article, Page
from transforms import pagecheck
from transforms.deadletters import DEAD_LETTERS, counter, dead_letter

STAGE = "extract"
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?", re.I)
_TAG = re.compile(r"<[^>]+>")
# A publication date outside this range is a parsing accident, not a date.
EARLIEST_DATE = dt.datetime(1990, 1, 1, tzinfo=dt.timezone.utc)
_log = logging.getLogger(__name__)


class ExtractError(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def extract_article(page: Page) -> Article:
    """The article in a fetched page, with identity fields still to be set by the dedup stage.

    Raises ExtractError('no_content') when trafilatura finds no main text.
    """
    try:
        doc = trafilatura.bare_extraction(page.html, url=page.final_url, with_metadata=True,
                                          include_comments=False, deduplicate=False, include_tables=True)
    except Exception as err:  # noqa: BLE001 - trafilatura raises many types on hostile markup
        _log.debug("trafilatura failed on %s", page.final_url, exc_info=True)
        raise ExtractError("extraction_failed", f"{type(err).__name__}: {err}") from None
    body = (doc.text or "").strip() if doc is not None else ""
    if not body:
        raise ExtractError(*_why_empty(page.html))
    words = len(body.split())
    paywalled = pagecheck.is_paywalled(page.html, words)
    if paywalled and words < pagecheck.TEASER_MIN_WORDS:
        # What was extracted is the paywall's notice: a row would be a clean-looking non-article.
        raise ExtractError("paywall", f"only the paywall notice is readable ({words} words)")
    entry = page.entry
    return Article(
        url=entry.link,
        final_url=page.final_url,
        canonical_url=doc.url or page.final_url,
        feed_url=entry.feed_url,
        feed_title=entry.feed_title,
        guid=entry.guid,
        site_name=doc.sitename or None,
        title=(doc.title or entry.title or None),
        description=doc.description or strip_tags(entry.summary) or None,
        body=body,
        byline_raw=doc.author or "; ".join(entry.authors) or None,
        published_at=reconcile_published(entry.published, doc.date, page.fetched_at),
        fetched_at=page.fetched_at,
        language=page_language(page.html) or (doc.language or None),
        word_count=words,
        categories=list(dict.fromkeys([*(doc.categories or []), *entry.categories])),
        tags=list(dict.fromkeys(doc.tags or [])),
        image_url=doc.image or None,
        http_status=page.status,
        paywalled=paywalled,
    )


def _why_empty(page_html: str) -> tuple[str, str]:
    """The reason a page gave no text: a paywall, markup too deep to parse, or just none."""
    declared, marker = pagecheck.paywall_signals(page_html)
    if declared or marker:
        return "paywall", "no article text outside the paywall"
    if pagecheck.nesting_depth(page_html) > pagecheck.MAX_NESTING:
        return "too_deep", f"markup nested deeper than {pagecheck.MAX_NESTING} levels; the parser stops there"
    return "no_content", "no article text found on the page"


def reconcile_published(feed_time: dt.datetime | None, page_date: str | None,
                        fetched_at: dt.datetime) -> dt.datetime | None:
    """Publication time from the feed's timestamp and the page's date.

    Rule: dates after the fetch (plus a day of time-zone slack) or before 1990 are discarded. The
    page date is day-precise, the feed's is to the second: when both exist and are at most a day
    apart the feed's wins; when they disagree more the page wins (feeds re-stamp old items);
    otherwise whichever exists.
    """
    latest = fetched_at + dt.timedelta(days=1)
    feed_time = feed_time if feed_time and EARLIEST_DATE <= feed_time <= latest else None
    page_time = None
    if page_date:
        try:
            page_time = dt.datetime.strptime(page_date[:10], "%Y-%m-%d").replace(tzinfo=dt.timezone.utc)
        except ValueError:
            page_time = None
    page_time = page_time if page_time and EARLIEST_DATE <= page_time <= latest else None
    if feed_time and page_time:
        return feed_time if abs(feed_time - page_time) <= dt.timedelta(days=1) else page_time
    return feed_time or page_time


def page_language(page_html: str) -> str | None:
    match = _HTML_LANG.search(page_html[:4096])
    return match.group(1).lower() if match else None


def strip_tags(text: str | None) -> str:
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", text or ""))).strip()


class _ExtractFn(beam.DoFn):
    def setup(self):
        self._extracted = counter("articles_extracted")

    def process(self, page: Page):
        try:
            article = extract_article(page)
        except ExtractError as err:
            yield beam.pvalue.TaggedOutput(DEAD_LETTERS, dead_letter(
                STAGE, err.reason, page.entry.link, page.entry.feed_url, str(err), page.status))
            return
        self._extracted.inc()
        yield article


class ExtractArticles(beam.PTransform):
    """Page -> (Article, dead letters): trafilatura with comments excluded and its per-process
    deduplication off (state must not hide in a worker's memory)."""

    def expand(self, pages):
        extracted = pages | "Trafilatura" >> beam.ParDo(_ExtractFn()).with_outputs(DEAD_LETTERS, main="articles")
        return extracted.articles, extracted[DEAD_LETTERS]
