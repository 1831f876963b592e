"""`newsbeam extract`: the pipeline's own extraction, byline and identity code on local HTML files."""
from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
import os
import pathlib
from typing import Iterable, Iterator

from schemas import Article, FeedEntry, Page, to_row
from transforms.byline import apply_byline
from transforms.dedup import identify
from transforms.extract import ExtractError, extract_article
from transforms.httpfetch import decode_html


@dataclasses.dataclass(frozen=True)
class LocalPage:
    path: str
    url: str | None = None


def article_from_html(raw: bytes, url: str, fetched_at: dt.datetime) -> Article:
    """Exactly what the pipeline does to a fetched page: decode, extract, bylines, identity."""
    html, _charset = decode_html(raw)
    entry = FeedEntry(feed_url="", link=url, guid=url)
    page = Page(entry=entry, final_url=url, status=200, content_type="text/html", html=html, fetched_at=fetched_at)
    article = extract_article(page)
    try:
        article = apply_byline(article)
    except Exception as err:  # noqa: BLE001 - as NormaliseBylines: this page's failure, not the run's
        raise ExtractError("byline_failed", f"{type(err).__name__}: {err}") from None
    return identify(article)


def extract_lines(pages: Iterable[LocalPage]) -> Iterator[dict]:
    """One JSON-ready dict per input, in input order; failures carry `error` and `message`."""
    for item in pages:
        url = item.url or pathlib.Path(os.path.abspath(item.path)).as_uri()
        line = {"path": item.path, "url": url}
        try:
            with open(item.path, "rb") as handle:
                raw = handle.read()
            if raw[:2] == b"\x1f\x8b":
                raw = gzip.decompress(raw)
            fetched_at = dt.datetime.fromtimestamp(os.path.getmtime(item.path), dt.timezone.utc)
            row = to_row(article_from_html(raw, url, fetched_at))
            row.pop("run_id", None)
            line.update({k: _jsonable(v) for k, v in row.items()})
        except (OSError, EOFError, gzip.BadGzipFile) as err:
            line.update(_failure("unreadable_file", str(err)))
        except ExtractError as err:
            line.update(_failure(err.reason, str(err)))
        yield line


def _failure(reason: str, message: str) -> dict:
    return {"error": reason, "message": message, "title": None, "body": None, "authors": [], "published_at": None}


def read_manifest(path: str) -> list[LocalPage]:
    pages = []
    with open(path, encoding="utf-8") as handle:
        for number, text in enumerate(handle, 1):
            if not text.strip():
                continue
            try:
                record = json.loads(text)
                pages.append(LocalPage(path=record["path"], url=record.get("url")))
            except (ValueError, KeyError, TypeError) as err:
                raise ValueError(f"{path}:{number}: expected {{\"path\": ..., \"url\": ...}}: {err}") from None
    return pages


def _jsonable(value):
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()  # the syndication signatures; JSON has no bytes
    return value
