"""Dedup stage (first step): canonical URLs and exact body hashes; copies are marked, never dropped."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import unicodedata
import urllib.parse

import apache_beam as beam

from schemas import Article
from transforms.deadletters import counter

# Query parameters that identify a campaign or a click, never the article.
_TRACKING_PARAM = re.compile(
    r"^(?:utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|_gl|"
    r"ref|ref_src|referrer|cmpid|ocid|smid|s_cid|icid|at_[a-z_]+|wt\.[a-z_]+|__twitter_impression|"
    r"outputtype|amp|ito|partner|taid|spm)$", re.I)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_WORD = re.compile(r"\w+")
_LATEST = dt.datetime.max.replace(tzinfo=dt.timezone.utc)


def canonicalize_url(url: str) -> str:
    """One spelling per article URL: scheme and host lower-cased, default port, fragment, tracking
    parameters and AMP variants dropped, remaining query parameters sorted."""
    parts = urllib.parse.urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    path = re.sub(r"^/amp(?=/)", "", path)
    path = re.sub(r"/amp/?$", "/", path)
    path = re.sub(r"\.amp(\.html?)$", r"\1", path)
    query = sorted((k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
                   if not _TRACKING_PARAM.match(k))
    return urllib.parse.urlunsplit((scheme, netloc, path, urllib.parse.urlencode(query), ""))


def source_domain(url: str) -> str:
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def article_id(canonical_url: str) -> str:
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:16]


def normalise_body(body: str) -> str:
    """The body reduced to its words: case, accents' composed forms, punctuation and whitespace
    no longer distinguish two copies."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", body).casefold()))


def content_hash(body: str) -> str:
    return hashlib.sha256(normalise_body(body).encode("utf-8")).hexdigest()


def identify(article: Article) -> Article:
    """Sets canonical_url, article_id, source_domain and content_hash.

    A page's rel=canonical is used only when it stays on the page's own host: a cross-site
    canonical is a syndication hint, and trusting it would make the copy impersonate the original.
    """
    declared = canonicalize_url(article.canonical_url or article.final_url or article.url)
    fetched = canonicalize_url(article.final_url or article.url)
    canonical = declared if source_domain(declared) == source_domain(fetched) else fetched
    ident = article_id(canonical)
    return dataclasses.replace(article, canonical_url=canonical, article_id=ident,
                               source_domain=source_domain(canonical), content_hash=content_hash(article.body),
                               cluster_id=ident, is_canonical=True, duplicate_of=None, duplicate_kind=None)


def canonical_order(article: Article):
    """Earliest published first (undated last), ties broken by URL then feed: the same winner
    whatever order the input arrived in."""
    return (article.published_at or _LATEST, article.url, article.feed_url)


def assign_cluster(url_groups: list[list[Article]]) -> list[Article]:
    """Cluster fields for articles with one body hash, given as groups sharing a canonical URL."""
    groups = sorted((sorted(g, key=canonical_order) for g in url_groups), key=lambda g: canonical_order(g[0]))
    head = groups[0][0]
    marked = [dataclasses.replace(head, cluster_id=head.article_id, is_canonical=True)]
    for index, group in enumerate(groups):
        for member in group:
            if member is head:
                continue
            marked.append(dataclasses.replace(
                member, cluster_id=head.article_id, is_canonical=False, duplicate_of=head.article_id,
                duplicate_kind="url" if index == 0 else "exact"))
    return marked


class MarkDuplicates(beam.PTransform):
    """Article -> Article with cluster_id, is_canonical, duplicate_of and duplicate_kind.

    Copies of one canonical URL, then copies of one normalised body, form a group whose canonical
    member is the earliest published (ties by URL). Every copy is kept.
    """

    def expand(self, articles):
        return (articles
                | "Identify" >> beam.Map(identify)
                | "KeyByCanonicalUrl" >> beam.Map(lambda a: (a.canonical_url, a))
                | "GroupByUrl" >> beam.GroupByKey()
                | "KeyByBodyHash" >> beam.MapTuple(lambda _url, group: (next(iter(group)).content_hash, list(group)))
                | "GroupByBody" >> beam.GroupByKey()
                | "AssignClusters" >> beam.ParDo(_AssignClustersFn()))


class _AssignClustersFn(beam.DoFn):
    def setup(self):
        self._copies = counter("duplicates_marked")

    def process(self, keyed):
        _body_hash, url_groups = keyed
        for article in assign_cluster(list(url_groups)):
            if not article.is_canonical:
                self._copies.inc()
            yield article
