"""Dedup stage (first step): canonical URLs and exact body hashes; copies are marked, never dropped."""
from __future__ import annotations

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
    shingles, signature = syndication.signature_of(article.body)
    return dataclasses.replace(article, canonical_url=canonical, article_id=ident,
                               source_domain=source_domain(canonical), content_hash=content_hash(article.body),
                               cluster_id=ident, is_canonical=True, duplicate_of=None, duplicate_kind=None,
                               similarity=None, shingle_count=shingles, minhash=signature)


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
    signature = record.minhash if isinstance(record, Article) else record.signature
    return syndication.Fingerprint(record.article_id, canonical_order(record), record.shingle_count,
                                   signature, _epoch(record.fetched_at))


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
    """Keyed by LSH band key: compares each new member with the known members of its bucket and with
    the new ones before it in canonical order; emits verified edges. Known members are kept for
    `horizon_seconds` after their fetch time."""

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
        _band, (is_known, member) = element
        if is_known:
            known.add(member)
            return
        when = _flush_time(timestamp, self._window_seconds)
        pending.add((when.micros, member))
        scheduled = next_flush.read()
        if scheduled is None or when.micros < scheduled:
            next_flush.write(when.micros)
            flush.set(when)

    @userstate.on_timer(FLUSH)
    def on_flush(self, fired=beam.DoFn.TimestampParam, known=beam.DoFn.StateParam(KNOWN),
                 pending=beam.DoFn.StateParam(PENDING), next_flush=beam.DoFn.StateParam(NEXT_FLUSH),
                 flush=beam.DoFn.TimerParam(FLUSH)):
        waiting = list(pending.read())
        due = sorted((m for when, m in waiting if when <= fired.micros), key=lambda m: (m.order, m.article_id))
        later = [(when, m) for when, m in waiting if when > fired.micros]
        old = list(known.read())
        for index, member in enumerate(due):
            for other in old[-self._max_bucket:]:
                match = syndication.compare(member, other)
                if match:
                    yield syndication.Edge(member.article_id, member.order, other.article_id, other.order, True,
                                           match.kind, match.similarity, member.seen_at)
            for other in due[max(0, index - self._max_bucket):index]:
                match = syndication.compare(member, other)
                if match:
                    yield syndication.Edge(member.article_id, member.order, other.article_id, other.order, False,
                                           match.kind, match.similarity, member.seen_at)
        newest = max([m.seen_at for m in old + due] or [0.0])
        keep = [m for m in old + due if m.seen_at >= newest - self._horizon]
        known.clear()
        for member in keep:
            known.add(member)
        pending.clear()
        for when, member in later:
            pending.add((when, member))
        if later:
            first = min(when for when, _m in later)
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
                 max_bucket: int = 200):
        super().__init__()
        if horizon_days <= 0:
            raise ValueError("horizon_days must be positive")
        self._stored = stored
        self._horizon = horizon_days * 86400.0
        self._window_seconds = window_seconds
        self._max_bucket = max_bucket

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
        known_fingerprints = (stored
                              | "StoredWithSignature" >> beam.Filter(lambda s: s.signature and s.shingle_count)
                              | "StoredFingerprints" >> beam.Map(lambda s: (True, fingerprint_of(s))))
        new_fingerprints = (exact
                            | "Representatives" >> beam.Filter(lambda a: a.is_canonical)
                            | "Fingerprints" >> beam.Map(lambda a: (False, fingerprint_of(a))))
        edges = ((known_fingerprints, new_fingerprints)
                 | "FlattenFingerprints" >> beam.Flatten()
                 | "BandKeys" >> beam.FlatMap(lambda kf: [(key, kf) for key in syndication.band_keys(kf[1].signature)])
                 | "GlobalForState" >> beam.WindowInto(GlobalWindows())
                 | "CompareInBands" >> beam.ParDo(_BandBucketFn(self._window_seconds, self._horizon, self._max_bucket)))
        known_clusters = (stored
                          | "StoredClusters" >> beam.Filter(lambda s: s.cluster_id != s.article_id)
                          | "KnownClusterEntries" >> beam.Map(
                              lambda s: ("clusters", ("known", (s.article_id, s.cluster_id, _epoch(s.fetched_at))))))
        assignments = ((known_clusters, edges | "ToResolver" >> beam.Map(lambda e: ("clusters", ("edge", e))))
                       | "FlattenForResolve" >> beam.Flatten()
                       | "ResolveClusters" >> beam.ParDo(_ResolveClustersFn(self._window_seconds, self._horizon)))
        keyed_assignments = assignments | "KeyByArticle" >> beam.Map(lambda s: (s.article_id, s))
        if self._window_seconds:
            # The timers emit in the global window, at their window's end - 1 ms: put each assignment
            # back into that ingest window, or the join below never meets its members.
            keyed_assignments = keyed_assignments | "BackToIngestWindows" >> beam.WindowInto(exact.windowing.windowfn)
        return ({"members": exact | "KeyByRepresentative" >> beam.Map(lambda a: (a.cluster_id, a)),
                 "assignment": keyed_assignments}
                | "JoinAssignments" >> beam.CoGroupByKey()
                | "ApplyAssignments" >> beam.ParDo(_ApplyAssignmentFn()))


class _ApplyAssignmentFn(beam.DoFn):
    def setup(self):
        self._copies = counter("duplicates_marked")

    def process(self, keyed):
        _rep, grouped = keyed
        assignment = next(iter(grouped["assignment"]), None)
        for article in apply_assignment(list(grouped["members"]), assignment):
            if not article.is_canonical:
                self._copies.inc()
            yield article


STORED_COLUMNS = ["article_id", "canonical_url", "content_hash", "cluster_id", "published_at", "url",
                  "shingle_count", "minhash", "fetched_at"]


def stored_article(row: dict, horizon_start: dt.datetime | None) -> StoredArticle:
    """A row read back from Parquet; its signature only while it is within the horizon."""
    fresh = horizon_start is None or (row.get("fetched_at") and row["fetched_at"] >= horizon_start)
    return StoredArticle(article_id=row["article_id"], canonical_url=row["canonical_url"],
                         content_hash=row["content_hash"], cluster_id=row["cluster_id"],
                         published_at=row.get("published_at"), url=row["url"],
                         shingle_count=row.get("shingle_count") or 0,
                         signature=row.get("minhash") if fresh else None, fetched_at=row.get("fetched_at"))


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
