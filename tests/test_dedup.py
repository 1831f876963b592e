"""URL canonicalisation, body hashing and deterministic cluster assignment, without Beam."""
import datetime as dt
import itertools

import pytest

from schemas import Article
from transforms import dedup

UTC = dt.timezone.utc


@pytest.mark.parametrize("url,canonical", [
    ("HTTP://WWW.Example.COM:80/a/b.html?utm_source=rss&b=2&a=1&fbclid=x#frag", "http://www.example.com/a/b.html?a=1&b=2"),
    ("https://example.com:443/news/story?gclid=abc&id=7", "https://example.com/news/story?id=7"),
    ("https://example.com:8443/x", "https://example.com:8443/x"),
    ("https://example.com/amp/news/story", "https://example.com/news/story"),
    ("https://example.com/news/story/amp/", "https://example.com/news/story/"),
    ("https://example.com/news/story.amp.html", "https://example.com/news/story.html"),
    ("https://example.com//double//slash", "https://example.com/double/slash"),
    ("https://example.com", "https://example.com/"),
])
def test_canonicalize_url(url, canonical):
    assert dedup.canonicalize_url(url) == canonical


def test_body_hash_ignores_case_punctuation_and_whitespace():
    assert dedup.content_hash("The mayor said: “Yes.”\n\nThen left.") == dedup.content_hash("the  mayor said yes then LEFT")
    assert dedup.content_hash("The mayor said yes.") != dedup.content_hash("The mayor said no.")


def test_identify_ignores_a_cross_site_canonical():
    own = dedup.identify(Article(url="https://a.example/x?utm_source=rss", final_url="https://a.example/x?utm_source=rss",
                                 canonical_url="https://a.example/x", body="text"))
    assert own.canonical_url == "https://a.example/x"
    assert own.article_id == dedup.article_id("https://a.example/x") == own.cluster_id
    copied = dedup.identify(Article(url="https://b.example/y", final_url="https://b.example/y",
                                    canonical_url="https://wire.example/original", body="text"))
    assert copied.canonical_url == "https://b.example/y"
    assert copied.source_domain == "b.example"


def _article(url, day, body="same words", feed="f"):
    published = dt.datetime(2026, 11, day, tzinfo=UTC) if day else None
    return dedup.identify(Article(url=url, final_url=url, canonical_url=url, feed_url=feed, body=body,
                                  published_at=published))


def test_cluster_canonical_is_earliest_then_url_whatever_the_order():
    late = _article("https://a.example/1", 5)
    early = _article("https://z.example/1", 3)
    tie = _article("https://b.example/1", 3)
    undated = _article("https://0.example/1", None)
    results = set()
    for order in itertools.permutations([[late], [early], [tie], [undated]]):
        marked = dedup.assign_exact_cluster(list(order), [])
        canonical = [a for a in marked if a.is_canonical]
        assert len(canonical) == 1 and len(marked) == 4
        results.add((canonical[0].url, tuple(sorted((a.url, a.cluster_id, a.duplicate_kind) for a in marked))))
    assert len(results) == 1
    (winner, rows), = results
    assert winner == "https://b.example/1"  # same day as z.example: the URL breaks the tie
    assert all(cluster == tie.article_id for _u, cluster, _k in rows)
    assert {kind for url, _c, kind in rows if url != winner} == {"exact"}


def test_same_url_copies_are_marked_url_kind():
    first = _article("https://a.example/1", 3, feed="feed-a")
    again = _article("https://a.example/1?utm_medium=feed", 3, feed="feed-b")
    marked = dedup.assign_exact_cluster([[first, again]], [])
    copy = next(a for a in marked if not a.is_canonical)
    assert (copy.duplicate_kind, copy.duplicate_of) == ("url", first.article_id)
