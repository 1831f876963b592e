"""Publication date: which of the dates a feed and a page state is the article's, in UTC.

Pure functions; `extract` applies `resolve_published` to the evidence it read.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Iterable, Optional

import dateutil.parser

# A publication date before this is a parsing accident, not a date.
EARLIEST_DATE = dt.datetime(1990, 1, 1, tzinfo=dt.timezone.utc)
# A date without a time of day is read as midnight UTC; local midnight can be up to 14 hours
# ahead of UTC (UTC+14), so such a date may lie that far after the fetch and still be today.
_DAY_ONLY_SLACK = dt.timedelta(hours=14)
# Page sources, most trusted first. JSON-LD datePublished and article:published_time are written
# by the CMS from the article's record; htmldate
# (trafilatura, original_date=True) reads the whole page and prefers the original date over the
# update; the first <time datetime> is as often the update time (so it ranks after htmldate); a URL
# date is day-precise at best.
PAGE_DATE_PRECEDENCE = ("json-ld", "meta", "text", "html time", "url")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|[-_]|\.html?|$)")


@dataclasses.dataclass(frozen=True)
class StatedDate:
    """A parsed date: the instant in UTC, its source, and the UTC offset it was written with
    (None when it had no time of day or no offset)."""

    utc: dt.datetime
    source: str
    offset_minutes: Optional[int] = None
    has_time: bool = True


def parse_stated_date(value: str | None, source: str) -> Optional[StatedDate]:
    """A date string as a StatedDate; values without an offset are taken as UTC; None if unreadable."""
    if not value or not value.strip():
        return None
    text = value.strip()
    has_time = bool(re.search(r"\d{1,2}:\d{2}", text))
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = dateutil.parser.parse(text, default=dt.datetime(2000, 1, 1))
        except (ValueError, OverflowError, TypeError):
            return None
        if not re.search(r"\d{4}", text):    # a year must be stated
            return None
    offset = parsed.utcoffset()
    if parsed.tzinfo is None or offset is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
        offset_minutes = None
    else:
        offset_minutes = int(offset.total_seconds() // 60)
    if not has_time:
        offset_minutes = None
    return StatedDate(parsed.astimezone(dt.timezone.utc), source, offset_minutes, has_time)


def url_date(url: str | None) -> Optional[str]:
    """The YYYY-MM-DD a URL path carries (/2024/03/15/...), else None."""
    match = _URL_DATE.search(url or "")
    return "-".join(match.groups()) if match else None


def plausible(date: StatedDate, fetched_at: dt.datetime) -> bool:
    """Not before 1990 and not after the fetch (a day-only date may be up to UTC+14 ahead)."""
    latest = fetched_at + (dt.timedelta(0) if date.has_time else _DAY_ONLY_SLACK)
    return EARLIEST_DATE <= date.utc <= latest


def resolve_published(feed_time: dt.datetime | None, page_dates: Iterable[StatedDate],
                      fetched_at: dt.datetime) -> Optional[StatedDate]:
    """The publication date.

    Rule: dates before 1990 or after the fetch are discarded. The page's date is the first plausible
    one in PAGE_DATE_PRECEDENCE order (json-ld, meta, text = htmldate, html time, url). Then:
    - only one of feed and page has a date: that one;
    - both, at most a day apart: the page's when it has a time of day (it keeps the original
      offset), else the feed's (to the second);
    - both, further apart: the page's, because feeds re-stamp old items when they are edited.
    """
    feed = None
    if feed_time is not None:
        feed = StatedDate(feed_time.astimezone(dt.timezone.utc), "feed", None, True)
        feed = feed if plausible(feed, fetched_at) else None
    ranked = sorted((d for d in page_dates if d and plausible(d, fetched_at)),
                    key=lambda d: PAGE_DATE_PRECEDENCE.index(d.source)
                    if d.source in PAGE_DATE_PRECEDENCE else len(PAGE_DATE_PRECEDENCE))
    page = ranked[0] if ranked else None
    if feed and page:
        if abs(feed.utc - page.utc) <= dt.timedelta(days=1):
            return page if page.has_time else feed
        return page
    return feed or page
