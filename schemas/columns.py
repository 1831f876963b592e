"""The one place where newsbeam's output columns are declared.

Each written record type is a dataclass whose fields carry their Arrow type and a description;
the pyarrow schemas, the README's schema table and every writer are derived from them.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Optional

import pyarrow as pa

# Bump when a column is added, removed or changes meaning; readers can filter on it.
SCHEMA_VERSION = 2

UTC_TIMESTAMP = pa.timestamp("us", tz="UTC")
STRING_LIST = pa.list_(pa.string())


def column(arrow_type: pa.DataType, doc: str, default: Any = None, nullable: bool = True):
    """A dataclass field that knows its Arrow type and description."""
    metadata = {"arrow_type": arrow_type, "doc": doc, "nullable": nullable}
    if isinstance(default, (list, dict)):
        return dataclasses.field(default_factory=lambda: type(default)(default), metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


@dataclasses.dataclass
class Article:
    """One article row: what was fetched from a feed entry's link and extracted."""

    article_id: str = column(pa.string(), "Stable hash (16 hex) of canonical_url.", nullable=False)
    url: str = column(pa.string(), "The feed entry's link, as listed.", nullable=False)
    final_url: Optional[str] = column(pa.string(), "URL after redirects.")
    canonical_url: str = column(pa.string(), "Normalised URL (rel=canonical when given; tracking "
                                             "parameters, fragment, default port dropped).", nullable=False)
    feed_url: str = column(pa.string(), "Feed the entry came from.", nullable=False)
    feed_title: Optional[str] = column(pa.string(), "Title of that feed.")
    guid: Optional[str] = column(pa.string(), "Entry guid/id in the feed.")
    source_domain: str = column(pa.string(), "Host of canonical_url without 'www.'.", nullable=False)
    site_name: Optional[str] = column(pa.string(), "Publisher name found on the page.")
    title: Optional[str] = column(pa.string(), "Headline (page, else feed entry).")
    description: Optional[str] = column(pa.string(), "Page description or feed summary.")
    body: str = column(pa.string(), "Extracted article text, paragraphs separated by newlines.", nullable=False)
    authors: list = column(STRING_LIST, "Reporters as person names, normalised (a reporter credited "
                                         "in the body wins over the page's byline).", default=[])
    author_organizations: list = column(STRING_LIST, "Organisations the byline or credit names (wire "
                                                     "agencies by canonical name); never a person.", default=[])
    agency: Optional[str] = column(pa.string(), "Wire agency credited by byline, dateline, credit or copyright "
                                                "line (e.g. 'The Associated Press', 'Reuters', 'AFP', 'dpa').")
    byline_raw: Optional[str] = column(pa.string(), "Byline as found, before normalisation (kept even when "
                                                    "the authors come from elsewhere).")
    byline_source: Optional[str] = column(pa.string(), "Where authors came from: json-ld, meta, feed, "
                                                       "html byline, page (trafilatura), body credit.")
    published_at: Optional[dt.datetime] = column(UTC_TIMESTAMP, "Publication time in UTC.")
    published_at_source: Optional[str] = column(pa.string(), "Where published_at came from: feed, json-ld, "
                                                             "meta, html time, text (date shown on the page, else htmldate), url.")
    published_at_offset_minutes: Optional[int] = column(pa.int16(), "UTC offset the date was written with, in "
                                                                    "minutes (null when the source gave none).")
    fetched_at: dt.datetime = column(UTC_TIMESTAMP, "When the page was fetched (UTC).", nullable=False)
    language: Optional[str] = column(pa.string(), "Language code (page markup, else detected).")
    word_count: int = column(pa.int32(), "Words in body.", default=0, nullable=False)
    categories: list = column(STRING_LIST, "Categories from page and feed entry.", default=[])
    tags: list = column(STRING_LIST, "Tags/keywords from the page.", default=[])
    image_url: Optional[str] = column(pa.string(), "Lead image.")
    http_status: int = column(pa.int16(), "HTTP status of the final response.", default=200, nullable=False)
    paywalled: bool = column(pa.bool_(), "True when the page is marked not free (schema.org isAccessibleForFree) "
                                         "or is a short teaser with paywall wording: body may be partial.",
                             default=False, nullable=False)
    content_hash: str = column(pa.string(), "SHA-256 of the normalised body (exact-copy key).", nullable=False)
    cluster_id: str = column(pa.string(), "article_id of the canonical member of the duplicate group "
                                          "(its own id when it has no copies).", nullable=False)
    is_canonical: bool = column(pa.bool_(), "True for the one canonical member of its group.",
                                default=True, nullable=False)
    duplicate_of: Optional[str] = column(pa.string(), "article_id of the canonical member, for copies.")
    duplicate_kind: Optional[str] = column(pa.string(), "Why it is a copy: url (same canonical URL), exact (same "
                                                        "normalised body), near (similar text) or contained "
                                                        "(most of the shorter text is in the other).")
    similarity: Optional[float] = column(pa.float32(), "For near/contained copies: estimated Jaccard or "
                                                       "containment against the member it matched.")
    shingle_count: int = column(pa.int32(), "Distinct word 5-grams of the story text (boilerplate removed).",
                                default=0, nullable=False)
    minhash: Optional[bytes] = column(pa.binary(), "MinHash signature of the story text (128 little-endian "
                                                   "uint32), kept so later runs can cluster against this row.")
    lede_minhash: Optional[bytes] = column(pa.binary(), "MinHash of the story's opening, packed little-endian "
                                                        "uint32: 16 minima of the first 40 words, 64 of the first "
                                                        "150, then that opening's shingle count; finds teasers.")
    tail_paragraphs: Optional[bytes] = column(pa.binary(), "Hashes and shingle counts of the story's last two "
                                                           "paragraphs (packed uint64+uint32 pairs): a shared ending "
                                                           "(site footer, bio) does not count as shared story.")
    run_id: str = column(pa.string(), "Identifier of the run that wrote the row.", nullable=False)
    schema_version: int = column(pa.int16(), "Version of this schema.", default=SCHEMA_VERSION, nullable=False)


@dataclasses.dataclass
class DeadLetter:
    """One entry or feed that could not become an article, and why."""

    stage: str = column(pa.string(), "Stage that gave up: feeds, fetch, extract, ...", nullable=False)
    reason: str = column(pa.string(), "Machine-readable reason, e.g. http_404, not_html, blocked_address.",
                         nullable=False)
    url: Optional[str] = column(pa.string(), "Entry link (or feed URL for feed failures).")
    feed_url: Optional[str] = column(pa.string(), "Feed the entry came from.")
    message: Optional[str] = column(pa.string(), "Human-readable detail.")
    http_status: Optional[int] = column(pa.int16(), "HTTP status, when a response was received.")
    occurred_at: dt.datetime = column(UTC_TIMESTAMP, "When it happened (UTC).", nullable=False)
    run_id: str = column(pa.string(), "Identifier of the run that wrote the row.", nullable=False)
    schema_version: int = column(pa.int16(), "Version of this schema.", default=SCHEMA_VERSION, nullable=False)


def arrow_schema(record_type: type) -> pa.Schema:
    """The pyarrow schema of a record dataclass, with each field's description as metadata."""
    fields = []
    for f in dataclasses.fields(record_type):
        meta = f.metadata
        fields.append(pa.field(f.name, meta["arrow_type"], nullable=meta["nullable"],
                               metadata={"description": meta["doc"]}))
    return pa.schema(fields, metadata={"schema_version": str(SCHEMA_VERSION)})


def column_docs(record_type: type) -> list[tuple[str, str, str]]:
    """(name, arrow type, description) for each column, for docs and the README table."""
    return [(f.name, str(f.metadata["arrow_type"]).replace("list<item: ", "list<"), f.metadata["doc"])
            for f in dataclasses.fields(record_type)]


def to_row(record) -> dict:
    """A record as a plain dict of column values, ready for pyarrow."""
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}


ARTICLE_SCHEMA = arrow_schema(Article)
DEAD_LETTER_SCHEMA = arrow_schema(DeadLetter)
