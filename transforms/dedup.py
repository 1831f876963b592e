"""Dedup stage: canonical URLs, exact body hashes and syndication clusters (MinHash LSH); copies are marked, never dropped."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import unicodedata
import urllib.parse

import apache_beam as beam

from apache_beam.transforms import userstate
from apache_beam.transforms.window import GlobalWindows

from schemas import Article, StoredArticle
from transforms import syndication
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
    path = re.sub(r"/amp(/?)$", r"\1", path)
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
    signature = syndication.signature_of(article.body)
    return dataclasses.replace(article, canonical_url=canonical, article_id=ident,
                               source_domain=source_domain(canonical), content_hash=content_hash(article.body),
                               cluster_id=ident, is_canonical=True, duplicate_of=None, duplicate_kind=None,
                               similarity=None, shingle_count=signature.shingle_count,
                               minhash=signature.minhash, tail_paragraphs=signature.tail,
                               lede_minhash=signature.lede)


def canonical_order(record) -> tuple:
    """Earliest published first (undated last), ties broken by URL then feed: the same winner
    whatever order the input arrived in. Works on Article and StoredArticle."""
    published = (record.published_at or _LATEST).astimezone(dt.timezone.utc)
    return (published.isoformat(), record.url, getattr(record, "feed_url", None) or "")


def assign_exact_cluster(url_groups: list[list[Article]], stored: list[StoredArticle]) -> list[Article]:
    """Cluster fields for new articles sharing one normalised body, given as groups sharing a canonical
    URL. When a stored article (earlier run or window) has the same body, its cluster is kept."""
    groups = sorted((sorted(g, key=canonical_order) for g in url_groups), key=lambda g: canonical_order(g[0]))
    if stored:
        known = min(stored, key=canonical_order)
        return [dataclasses.replace(member, cluster_id=known.cluster_id, is_canonical=False,
                                    duplicate_of=known.cluster_id, duplicate_kind="exact", similarity=1.0)
                for group in groups for member in group]
    head = groups[0][0]
    marked = [dataclasses.replace(head, cluster_id=head.article_id, is_canonical=True)]
    for index, group in enumerate(groups):
        for member in group:
            if member is head:
                continue
            marked.append(dataclasses.replace(
                member, cluster_id=head.article_id, is_canonical=False, duplicate_of=head.article_id,
                duplicate_kind="url" if index == 0 else "exact", similarity=1.0))
    return marked


def apply_assignment(members: list[Article], assignment: syndication.Assignment | None) -> list[Article]:
    """Moves a representative and its url/exact copies into the cluster it was matched to."""
    if assignment is None:
        return members
    moved = []
    for member in members:
        if member.article_id == assignment.article_id and member.is_canonical:
            member = dataclasses.replace(member, is_canonical=False, duplicate_kind=assignment.kind,
                                         similarity=assignment.similarity)
        moved.append(dataclasses.replace(member, cluster_id=assignment.cluster_id,
                                         duplicate_of=assignment.cluster_id))
    return moved


def fingerprint_of(record) -> syndication.Fingerprint:
    if isinstance(record, Article):
        signature, tail, lede = record.minhash, record.tail_paragraphs or b"", record.lede_minhash or b""
    else:
        signature, tail, lede = record.signature, record.tail, record.lede
    return syndication.Fingerprint(record.article_id, canonical_order(record), record.shingle_count,
                                   signature, _epoch(record.fetched_at), tail, lede, record.content_hash)


def _epoch(moment: dt.datetime | None) -> float:
    return moment.timestamp() if moment else 0.0


class _ExactGroupsFn(beam.DoFn):
    """(canonical URL, [new articles and stored ones]) -> (body hash, new URL group), unless the URL
    is already stored: an article is never written twice."""

    def setup(self):
        self._already_stored = counter("skipped.already_stored")

    def process(self, keyed):
        _url, members = keyed
        new = [m for m in members if isinstance(m, Article)]
        stored = [m for m in members if isinstance(m, StoredArticle)]
        if stored:
            self._already_stored.inc(len(new))
            return
        if new:
            # Keyed by the body of the member that will represent the URL, whatever the order.
            yield min(new, key=canonical_order).content_hash, new


class _AssignExactFn(beam.DoFn):
    def process(self, keyed):
        _hash, members = keyed
        url_groups = [m for m in members if isinstance(m, list)]
        stored = [m for m in members if isinstance(m, StoredArticle)]
        if url_groups:
            yield from assign_exact_cluster(url_groups, stored)


class _BucketMemoryFn(beam.DoFn):
    """Streaming, keyed by one LSH bucket (band value): compares each arriving article with the
    members that arrived before it, emits the verified edges at once (in the arriving article's
    window and with its timestamp, so nothing downstream is late), and remembers it for
    `horizon_seconds` after its fetch. No timers: the local runners do not hold the watermark for
    timer output, so anything a timer emitted would arrive after its window had closed."""

    MEMBERS = userstate.BagStateSpec("members", beam.coders.PickleCoder())

    def __init__(self, window_seconds: float, horizon_seconds: float, max_bucket: int):
        self._window_micros = int(window_seconds * 1_000_000)
        self._horizon = horizon_seconds
        self._max_bucket = max_bucket

    def process(self, element, stored_buckets, timestamp=beam.DoFn.TimestampParam,
                members=beam.DoFn.StateParam(MEMBERS)):
        band, (_is_known, fields) = element
        member = syndication.Fingerprint(*fields)
        window = timestamp.micros // self._window_micros
        earlier = list(members.read())
        # Articles earlier runs wrote (a side input: complete before the first article is compared).
        stored = [(-1, syndication.Fingerprint(*f)) for f in stored_buckets.get(band, [])]
        for other_window, other in (stored + earlier)[-self._max_bucket:]:
            match = syndication.compare(member, other)
            if match:
                yield _oriented_edge(member, other, other_window < window, match)
        kept = [(w, m) for w, m in earlier if m.seen_at >= member.seen_at - self._horizon]
        if len(kept) < len(earlier):
            members.clear()
            for item in kept:
                members.add(item)
        members.add((window, member))


def _oriented_edge(member, other, other_resolved: bool, match) -> syndication.Edge:
    """An edge from the later to the earlier of two articles: `other` when it was resolved in an
    earlier window (its cluster is fixed), else by canonical order, as in batch. Buckets see
    arrivals in their own order; orienting by arrival could make chains and cycles."""
    later, earlier = member, other
    if not other_resolved and (member.order, member.article_id) < (other.order, other.article_id):
        later, earlier = other, member
    return syndication.Edge(later.article_id, later.order, earlier.article_id, earlier.order, other_resolved,
                            match.kind, match.similarity, later.seen_at)


class _ClusterMemoryFn(beam.DoFn):
    """Streaming, one key: turns a window's verified edges (grouped upstream, so they arrive together)
    into cluster assignments, remembering non-trivial ones (ids only) for `horizon_seconds`."""

    CLUSTERS = userstate.BagStateSpec("clusters", beam.coders.PickleCoder())

    def __init__(self, horizon_seconds: float):
        self._horizon = horizon_seconds

    def process(self, element, stored_clusters, clusters=beam.DoFn.StateParam(CLUSTERS)):
        _key, items = element
        known = {article: (cluster, seen) for article, (cluster, seen) in stored_clusters.items()}
        known.update({article: (cluster, seen) for article, cluster, seen in clusters.read()})
        edges = [value for _kind, value in items]
        assignments = syndication.resolve_clusters(list(set(edges)), {a: c for a, (c, _s) in known.items()})
        seen_at = {edge.later: edge.later_seen for edge in edges}
        for assignment in assignments:
            known[assignment.article_id] = (assignment.cluster_id, seen_at.get(assignment.article_id, 0.0))
            yield assignment
        newest = max([seen for _c, seen in known.values()] or [0.0])
        clusters.clear()
        for article, (cluster, seen) in known.items():
            if seen >= newest - self._horizon:
                clusters.add((article, cluster, seen))


class ClusterSyndication(beam.PTransform):
    """Article -> Article with cluster_id, is_canonical, duplicate_of, duplicate_kind and similarity.

    Four tests, in order: the same canonical URL (kind url), the same normalised body (exact), then for
    the remaining canonical members MinHash LSH candidates verified by estimated Jaccard (near) or
    containment (contained). Every copy is kept. `stored` articles (earlier runs in the same output)
    take part as known members: a stored canonical URL is never written again (counted skip), and new
    copies join stored clusters. In batch (`window_seconds=None`) buckets and resolution are
    GroupByKeys and the result does not depend on input order: canonical = earliest published, ties
    by URL. In streaming, keyed state per LSH bucket and, for ids only, on one resolving key remembers
    members across windows for `horizon_days` after their fetch (docs/design.md says why no timers);
    there each arriving article is compared with the `max_bucket` newest members of its buckets.
    """

    def __init__(self, stored=None, horizon_days: float = 7.0, window_seconds: float | None = None,
                 max_bucket: int = 200, near_duplicates: bool = True):
        super().__init__()
        if horizon_days <= 0:
            raise ValueError("horizon_days must be positive")
        self._stored = stored
        self._horizon = horizon_days * 86400.0
        self._window_seconds = window_seconds
        self._max_bucket = max_bucket
        self._near_duplicates = near_duplicates

    def expand(self, articles):
        stored = self._stored if self._stored is not None else (
            articles.pipeline | "NoStoredArticles" >> beam.Create([]))
        identified = articles | "Identify" >> beam.Map(identify)
        url_groups = ((identified | "KeyByCanonicalUrl" >> beam.Map(lambda a: (a.canonical_url, a)),
                       stored | "KeyStoredByUrl" >> beam.Map(lambda s: (s.canonical_url, s)))
                      | "FlattenByUrl" >> beam.Flatten()
                      | "GroupByUrl" >> beam.GroupByKey()
                      | "DropStoredUrls" >> beam.ParDo(_ExactGroupsFn()))
        exact = ((url_groups, stored | "KeyStoredByBody" >> beam.Map(lambda s: (s.content_hash, s)))
                 | "FlattenByBody" >> beam.Flatten()
                 | "GroupByBody" >> beam.GroupByKey()
                 | "AssignExactClusters" >> beam.ParDo(_AssignExactFn()))
        if not self._near_duplicates:
            return exact | "CountCopies" >> beam.ParDo(_MarkCopiesFn())
        known_fingerprints = (stored
                              | "StoredWithSignature" >> beam.Filter(lambda s: s.signature and s.shingle_count)
                              | "StoredFingerprints" >> beam.Map(lambda s: (True, fingerprint_of(s))))
        new_fingerprints = (exact
                            # Texts too short to compare would all share one bucket (empty signature).
                            | "Representatives" >> beam.Filter(
                                lambda a: a.is_canonical and a.shingle_count >= syndication.MIN_SHINGLES)
                            | "Fingerprints" >> beam.Map(lambda a: (False, fingerprint_of(a))))
        known_clusters = (stored
                          | "StoredClusters" >> beam.Filter(lambda s: s.cluster_id != s.article_id)
                          | "KnownClusterEntries" >> beam.Map(
                              lambda s: ("clusters", ("known", (s.article_id, s.cluster_id, _epoch(s.fetched_at))))))
        if self._window_seconds:
            # Streaming: buckets and cluster memory live in keyed state across windows; each
            # window's edges are grouped (in the articles' windows) before clusters are resolved.
            # Stored articles come in as side inputs, which are complete before the first article.
            stored_buckets = (known_fingerprints
                              | "StoredBucketEntries" >> beam.FlatMap(lambda kf: [(v, kf[1].as_tuple()) for v in
                                                                                  syndication.band_keys(
                                                                                      kf[1].signature, kf[1].lede)]))
            stored_clusters = known_clusters | "StoredClusterEntries" >> beam.Map(
                lambda entry: (entry[1][1][0], (entry[1][1][1], entry[1][1][2])))
            edges = (new_fingerprints
                     | "BandValues" >> beam.FlatMap(_bucket_elements)
                     | "GlobalForState" >> beam.WindowInto(GlobalWindows())
                     | "CompareWithBucketMemory" >> beam.ParDo(
                         _BucketMemoryFn(self._window_seconds, self._horizon, self._max_bucket),
                         beam.pvalue.AsMultiMap(stored_buckets))
                     | "EdgesToArticleWindows" >> beam.WindowInto(articles.windowing.windowfn))
            assignments = (edges
                           | "ToResolver" >> beam.Map(lambda e: ("clusters", ("edge", e)))
                           | "GroupWindowEdges" >> beam.GroupByKey()
                           | "GlobalForClusters" >> beam.WindowInto(GlobalWindows())
                           | "ResolveWithClusterMemory" >> beam.ParDo(_ClusterMemoryFn(self._horizon),
                                                                      beam.pvalue.AsDict(stored_clusters)))
        else:
            # Batch: the whole input is one window, so a GroupByKey hands each bucket over in one
            # piece and the result cannot depend on how the runner splits bundles.
            edges = ((known_fingerprints, new_fingerprints)
                     | "FlattenFingerprints" >> beam.Flatten()
                     | "BandValues" >> beam.FlatMap(_bucket_elements)
                     | "GroupBuckets" >> beam.GroupByKey()
                     | "CompareBuckets" >> beam.FlatMapTuple(_compare_grouped_bucket))
            assignments = ((known_clusters, edges | "ToResolve" >> beam.Map(lambda e: ("clusters", ("edge", e))))
                           | "FlattenToResolve" >> beam.Flatten()
                           | "GroupForResolve" >> beam.GroupByKey()
                           | "Resolve" >> beam.FlatMapTuple(_resolve_grouped))
        keyed_assignments = assignments | "KeyByArticle" >> beam.Map(lambda s: (s.article_id, s))
        if not self._window_seconds:
            # Batch: assignments are few (copies only), so they travel as a side input and the
            # articles are not shuffled again.
            return exact | "ApplyAssignments" >> beam.ParDo(_MarkCopiesFn(), beam.pvalue.AsDict(keyed_assignments))
        # Assignments leave the state stages in the global window: put them back into the
        # articles' windows to join.
        return ({"members": exact | "KeyByRepresentative" >> beam.Map(lambda a: (a.cluster_id, a)),
                 "assignment": keyed_assignments | "BackToArticleWindows" >> beam.WindowInto(
                     articles.windowing.windowfn)}
                | "JoinAssignments" >> beam.CoGroupByKey()
                | "ApplyAssignments" >> beam.ParDo(_ApplyJoinedFn()))


def _bucket_elements(known_and_fingerprint):
    is_known, member = known_and_fingerprint
    packed = (is_known, member.as_tuple())
    return [(value, packed) for value in syndication.band_keys(member.signature, member.lede)]


def _compare_grouped_bucket(band_value, members):
    unpacked = [(is_known, syndication.Fingerprint(*fields)) for is_known, fields in members]
    if len(unpacked) < 2:
        return []
    known = sorted((m for is_known, m in unpacked if is_known), key=lambda m: (m.order, m.article_id))
    return syndication.compare_bucket(known, [m for is_known, m in unpacked if not is_known], band_value)


def _resolve_grouped(_key, items):
    items = list(items)
    known = {article: cluster for kind, (article, cluster, _seen) in
             ((k, v) for k, v in items if k == "known")}
    edges = list({v for k, v in items if k == "edge"})
    return syndication.resolve_clusters(edges, known)


class _MarkCopiesFn(beam.DoFn):
    """Applies the near/contained assignment of an article's representative (side input), and
    counts the copies."""

    def setup(self):
        self._copies = counter("duplicates_marked")

    def process(self, article, assignments=None):
        assignment = (assignments or {}).get(article.cluster_id)
        for marked in apply_assignment([article], assignment):
            if not marked.is_canonical:
                self._copies.inc()
            yield marked


class _ApplyJoinedFn(_MarkCopiesFn):
    """The same for a representative's group joined with its assignment (streaming)."""

    def process(self, keyed, assignments=None):
        _rep, grouped = keyed
        assignment = next(iter(grouped["assignment"]), None)
        for marked in apply_assignment(list(grouped["members"]), assignment):
            if not marked.is_canonical:
                self._copies.inc()
            yield marked


STORED_COLUMNS = ["article_id", "canonical_url", "content_hash", "cluster_id", "published_at", "url",
                  "shingle_count", "minhash", "tail_paragraphs", "lede_minhash", "fetched_at"]


def stored_article(row: dict, horizon_start: dt.datetime | None) -> StoredArticle:
    """A row read back from Parquet; its signature only while it is within the horizon."""
    fresh = horizon_start is None or (row.get("fetched_at") and row["fetched_at"] >= horizon_start)
    return StoredArticle(article_id=row["article_id"], canonical_url=row["canonical_url"],
                         content_hash=row["content_hash"], cluster_id=row["cluster_id"],
                         published_at=row.get("published_at"), url=row["url"],
                         shingle_count=row.get("shingle_count") or 0,
                         signature=row.get("minhash") if fresh else None, fetched_at=row.get("fetched_at"),
                         tail=row.get("tail_paragraphs") or b"", lede=row.get("lede_minhash") or b"")


class ReadStoredArticles(beam.PTransform):
    """The dedup stage's memory across runs: what earlier runs wrote under `<output>/articles/`."""

    def __init__(self, files: list[str], horizon_days: float):
        super().__init__()
        self._files = list(files)
        self._horizon_days = horizon_days

    def expand(self, pbegin):
        horizon_start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=self._horizon_days)
        return (pbegin
                | "ListFiles" >> beam.Create(self._files)
                | "ReadParquet" >> beam.io.ReadAllFromParquet(columns=STORED_COLUMNS)
                | "ToStoredArticle" >> beam.Map(stored_article, horizon_start))
