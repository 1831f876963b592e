"""Dedup stage (first step): canonical URLs and exact body hashes; copies are marked, never dropped."""
from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import hashlib
import re
import unicodedata
import urllib.parse

import apache_beam as beam

from apache_beam.transforms import userstate
from apache_beam.transforms.timeutil import TimeDomain
from apache_beam.transforms.window import GlobalWindow, GlobalWindows
from apache_beam.utils.timestamp import Duration, Timestamp

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
                                   signature, _epoch(record.fetched_at), tail, lede)


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
            yield new[0].content_hash, new


class _AssignExactFn(beam.DoFn):
    def process(self, keyed):
        _hash, members = keyed
        url_groups = [m for m in members if isinstance(m, list)]
        stored = [m for m in members if isinstance(m, StoredArticle)]
        if url_groups:
            yield from assign_exact_cluster(url_groups, stored)


def _flush_time(timestamp: Timestamp, window_seconds: float | None) -> Timestamp:
    """When buffered members are compared: at the end of their ingest window in streaming, once at
    the end of input in batch (every element then shares one flush time, so the outcome does not
    depend on arrival order)."""
    # Whole milliseconds: timers fire with millisecond precision.
    if not window_seconds:
        return Timestamp(micros=GlobalWindow().max_timestamp().micros // 1000 * 1000)
    size = int(window_seconds * 1000)
    return Timestamp(micros=((timestamp.micros // 1000) // size + 1) * size * 1000 - 1000)


class _BandBucketFn(beam.DoFn):
    """Keyed by an LSH band shard (band index and a slice of its values): compares each new member
    with the known members that share its band value and with the new ones before it in canonical
    order; emits verified edges. Keying on a shard rather than on each band value keeps the number
    of state cells small (the runner's per-cell cost dominates otherwise) while buckets stay exact.
    Known members are kept for `horizon_seconds` after their fetch time."""

    KNOWN = userstate.BagStateSpec("known", beam.coders.PickleCoder())
    PENDING = userstate.BagStateSpec("pending", beam.coders.PickleCoder())
    FLUSH = userstate.TimerSpec("flush", TimeDomain.WATERMARK)
    NEXT_FLUSH = userstate.ReadModifyWriteStateSpec("next_flush", beam.coders.PickleCoder())

    def __init__(self, window_seconds: float | None, horizon_seconds: float, max_bucket: int):
        self._window_seconds = window_seconds
        self._horizon = horizon_seconds
        self._max_bucket = max_bucket

    def process(self, element, timestamp=beam.DoFn.TimestampParam, known=beam.DoFn.StateParam(KNOWN),
                pending=beam.DoFn.StateParam(PENDING), next_flush=beam.DoFn.StateParam(NEXT_FLUSH),
                flush=beam.DoFn.TimerParam(FLUSH)):
        _shard, (band_value, is_known, member) = element
        if is_known:
            known.add((band_value, member))
            return
        when = _flush_time(timestamp, self._window_seconds)
        pending.add((when.micros, band_value, member))
        scheduled = next_flush.read()
        if scheduled is None or when.micros < scheduled:
            next_flush.write(when.micros)
            flush.set(when)

    @userstate.on_timer(FLUSH)
    def on_flush(self, fired=beam.DoFn.TimestampParam, known=beam.DoFn.StateParam(KNOWN),
                 pending=beam.DoFn.StateParam(PENDING), next_flush=beam.DoFn.StateParam(NEXT_FLUSH),
                 flush=beam.DoFn.TimerParam(FLUSH)):
        waiting = list(pending.read())
        due = sorted(((v, m) for when, v, m in waiting if when <= fired.micros),
                     key=lambda vm: (vm[1].order, vm[1].article_id))
        later = [item for item in waiting if item[0] > fired.micros]
        old = list(known.read())
        known_buckets, new_buckets = collections.defaultdict(list), collections.defaultdict(list)
        for band_value, member in old:
            known_buckets[band_value].append(member)
        for band_value, member in due:
            new_buckets[band_value].append(member)
        for band_value, members in new_buckets.items():
            yield from syndication.compare_bucket(known_buckets.get(band_value, []), members, self._max_bucket)
        newest = max([m.seen_at for _v, m in old + due] or [0.0])
        known.clear()
        for band_value, member in old + due:
            if member.seen_at >= newest - self._horizon:
                known.add((band_value, member))
        pending.clear()
        for item in later:
            pending.add(item)
        if later:
            first = min(item[0] for item in later)
            next_flush.write(first)
            flush.set(Timestamp(micros=first))
        else:
            next_flush.clear()


class _ResolveClustersFn(beam.DoFn):
    """One key: turns the verified edges of a flush into cluster assignments (ids only, a few bytes
    per article), remembering non-trivial assignments for `horizon_seconds`."""

    CLUSTERS = userstate.BagStateSpec("clusters", beam.coders.PickleCoder())
    EDGES = userstate.BagStateSpec("edges", beam.coders.PickleCoder())
    FLUSH = userstate.TimerSpec("flush", TimeDomain.WATERMARK)

    def __init__(self, window_seconds: float | None, horizon_seconds: float):
        self._window_seconds = window_seconds
        self._horizon = horizon_seconds

    def process(self, element, timestamp=beam.DoFn.TimestampParam, clusters=beam.DoFn.StateParam(CLUSTERS),
                edges=beam.DoFn.StateParam(EDGES), flush=beam.DoFn.TimerParam(FLUSH)):
        _key, (kind, value) = element
        if kind == "known":
            clusters.add(value)
            return
        edges.add(value)
        flush.set(_flush_time(timestamp, self._window_seconds))

    @userstate.on_timer(FLUSH)
    def on_flush(self, clusters=beam.DoFn.StateParam(CLUSTERS), edges=beam.DoFn.StateParam(EDGES)):
        known = {article: (cluster, seen) for article, cluster, seen in clusters.read()}
        pending = list(set(edges.read()))
        edges.clear()
        assignments = syndication.resolve_clusters(pending, {a: c for a, (c, _s) in known.items()})
        seen_at = {edge.later: edge.later_seen for edge in pending}
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
    copies join stored clusters. Keyed state lives per LSH band and, for ids only, on one resolving
    key; both forget members `horizon_days` after their fetch. In batch (`window_seconds=None`) the
    result does not depend on input order: canonical = earliest published, ties by URL.
    """

    def __init__(self, stored=None, horizon_days: float = 7.0, window_seconds: float | None = None,
                 max_bucket: int = 200, shards_per_band: int = 4, near_duplicates: bool = True):
        super().__init__()
        if horizon_days <= 0:
            raise ValueError("horizon_days must be positive")
        self._stored = stored
        self._horizon = horizon_days * 86400.0
        self._window_seconds = window_seconds
        self._max_bucket = max_bucket
        self._shards_per_band = shards_per_band
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
            return exact | "CountCopies" >> beam.ParDo(_ApplyAssignmentFn.Passthrough())
        known_fingerprints = (stored
                              | "StoredWithSignature" >> beam.Filter(lambda s: s.signature and s.shingle_count)
                              | "StoredFingerprints" >> beam.Map(lambda s: (True, fingerprint_of(s))))
        new_fingerprints = (exact
                            | "Representatives" >> beam.Filter(lambda a: a.is_canonical)
                            | "Fingerprints" >> beam.Map(lambda a: (False, fingerprint_of(a))))
        fingerprints = (known_fingerprints, new_fingerprints) | "FlattenFingerprints" >> beam.Flatten()
        known_clusters = (stored
                          | "StoredClusters" >> beam.Filter(lambda s: s.cluster_id != s.article_id)
                          | "KnownClusterEntries" >> beam.Map(
                              lambda s: ("clusters", ("known", (s.article_id, s.cluster_id, _epoch(s.fetched_at))))))
        if self._window_seconds:
            # Streaming: buckets and cluster memory live in keyed state, flushed at each window's end.
            edges = (fingerprints
                     | "BandKeys" >> beam.FlatMap(_band_elements, self._shards_per_band)
                     | "GlobalForState" >> beam.WindowInto(GlobalWindows())
                     | "CompareInBands" >> beam.ParDo(
                         _BandBucketFn(self._window_seconds, self._horizon, self._max_bucket)))
            assignments = ((known_clusters, edges | "ToResolver" >> beam.Map(lambda e: ("clusters", ("edge", e))))
                           | "FlattenForResolve" >> beam.Flatten()
                           | "ResolveClusters" >> beam.ParDo(_ResolveClustersFn(self._window_seconds, self._horizon)))
        else:
            # Batch: the whole input is one window, so a GroupByKey hands each bucket over in one
            # piece and the result cannot depend on how the runner splits bundles.
            edges = (fingerprints
                     | "BandValues" >> beam.FlatMap(_bucket_elements)
                     | "GroupBuckets" >> beam.GroupByKey()
                     | "CompareBuckets" >> beam.FlatMapTuple(_compare_grouped_bucket, self._max_bucket))
            assignments = ((known_clusters, edges | "ToResolve" >> beam.Map(lambda e: ("clusters", ("edge", e))))
                           | "FlattenToResolve" >> beam.Flatten()
                           | "GroupForResolve" >> beam.GroupByKey()
                           | "Resolve" >> beam.FlatMapTuple(_resolve_grouped))
        return ({"members": exact | "KeyByRepresentative" >> beam.Map(lambda a: (a.cluster_id, a)),
                 "assignment": assignments | "KeyByArticle" >> beam.Map(lambda s: (s.article_id, s))}
                | "JoinAssignments" >> beam.CoGroupByKey()
                | "ApplyAssignments" >> beam.ParDo(_ApplyAssignmentFn()))


def _bucket_elements(known_and_fingerprint):
    is_known, member = known_and_fingerprint
    packed = (is_known, member.as_tuple())
    return [(value, packed) for value in syndication.band_keys(member.signature, member.lede)]


def _compare_grouped_bucket(_band_value, members, max_bucket: int = 200):
    unpacked = [(is_known, syndication.Fingerprint(*fields)) for is_known, fields in members]
    if len(unpacked) < 2:
        return []
    known = sorted((m for is_known, m in unpacked if is_known), key=lambda m: (m.order, m.article_id))
    return syndication.compare_bucket(known, [m for is_known, m in unpacked if not is_known], max_bucket)


def _resolve_grouped(_key, items):
    items = list(items)
    known = {article: cluster for kind, (article, cluster, _seen) in
             ((k, v) for k, v in items if k == "known")}
    edges = list({v for k, v in items if k == "edge"})
    return syndication.resolve_clusters(edges, known)


def _band_elements(known_and_fingerprint, shards_per_band: int):
    """(shard key, (band value, known?, fingerprint)) for each LSH band of a fingerprint."""
    is_known, member = known_and_fingerprint
    for value in syndication.band_keys(member.signature, member.lede):
        band, bits = value.split(":", 1)
        yield f"{band}/{int(bits[:8], 16) % shards_per_band}", (value, is_known, member)


class _ApplyAssignmentFn(beam.DoFn):
    def setup(self):
        self._copies = counter("duplicates_marked")

    class Passthrough(beam.DoFn):
        """Counts copies when near-duplicate clustering is off."""

        def setup(self):
            self._copies = counter("duplicates_marked")

        def process(self, article):
            if not article.is_canonical:
                self._copies.inc()
            yield article

    def process(self, keyed):
        _rep, grouped = keyed
        assignment = next(iter(grouped["assignment"]), None)
        for article in apply_assignment(list(grouped["members"]), assignment):
            if not article.is_canonical:
                self._copies.inc()
            yield article


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
