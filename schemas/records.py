"""Typed records that travel between stages (never written as they are)."""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Optional


@dataclasses.dataclass(frozen=True)
class FeedEntry:
    """One item of a polled feed: what the feed says about an article."""

    feed_url: str
    link: str
    guid: str
    feed_title: Optional[str] = None
    title: Optional[str] = None
    summary: Optional[str] = None
    published: Optional[dt.datetime] = None
    authors: tuple = ()
    categories: tuple = ()


@dataclasses.dataclass(frozen=True)
class Page:
    """A fetched article page, decoded. Lives only inside the fused fetch+extract stage."""

    entry: FeedEntry
    final_url: str
    status: int
    content_type: str
    html: str
    fetched_at: dt.datetime


@dataclasses.dataclass(frozen=True)
class StoredArticle:
    """What the dedup stage needs of an article already written (earlier run or window)."""

    article_id: str
    canonical_url: str
    content_hash: str
    cluster_id: str
    published_at: Optional[dt.datetime]
    url: str
    shingle_count: int
    signature: Optional[bytes]
    fetched_at: Optional[dt.datetime] = None
    tail: bytes = b""
    lede: bytes = b""
