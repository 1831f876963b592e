"""Regenerate the expectations of the byline golden fixtures (tests/fixtures/bylines/*.json).

Each fixture holds one pattern: an input (a byline string, or an HTML page snippet, optionally with
a body) and what newsbeam makes of it (for a page also its publication date and the date's source). This script rewrites only the `expected` part from the
current rules; review the diff before committing, as it is the change in behaviour.

    python -m tools.byline_goldens            # rewrite
    python -m tools.byline_goldens --check    # exit 1 if any expectation differs
"""
from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import os
import sys

from schemas import Article, FeedEntry, Page
from transforms.byline import apply_byline, parse_byline
from transforms.extract import extract_article

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "fixtures", "bylines")
FETCHED_AT = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)


def outcome(case: dict) -> dict:
    """What the rules make of one fixture's input."""
    given = case["input"]
    if "byline" in given:
        parsed = parse_byline(given["byline"])
        return {"authors": list(parsed.persons), "organizations": list(parsed.organizations)}
    article = page_article(given)
    return {"authors": article.authors, "organizations": article.author_organizations, "agency": article.agency,
            "byline_source": article.byline_source, "byline_raw": article.byline_raw,
            "published_at": article.published_at.isoformat() if article.published_at else None,
            "published_at_source": article.published_at_source}


def page_article(given: dict) -> Article:
    """The article newsbeam makes of a page fixture's input (html, url, feed_authors)."""
    entry = FeedEntry(feed_url="https://feed.example/rss", link=given.get("url", "https://news.example/a"),
                      guid="g", authors=tuple(given.get("feed_authors", ())))
    page = Page(entry=entry, final_url=entry.link, status=200, content_type="text/html", html=given["html"],
                fetched_at=FETCHED_AT)
    return apply_byline(extract_article(page))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    differing = []
    for path in sorted(glob.glob(os.path.join(FIXTURES, "*.json"))):
        with open(path, encoding="utf-8") as handle:
            case = json.load(handle)
        expected = outcome(case)
        if case.get("expected") != expected:
            differing.append(path)
            if not args.check:
                case["expected"] = expected
                with open(path, "w", encoding="utf-8") as handle:
                    json.dump(case, handle, ensure_ascii=False, indent=2)
                    handle.write("\n")
    for path in differing:
        print(("differs: " if args.check else "rewrote: ") + os.path.relpath(path), file=sys.stderr)
    return 1 if args.check and differing else 0


if __name__ == "__main__":
    sys.exit(main())
