"""Pure rules for recognising syndicated copies: boilerplate removal, shingles, MinHash, LSH bands,
pair verification and cluster resolution. Nothing here knows about Beam.

Tuning constants were calibrated on the syndication benchmark (`make eval`, tools/syndication_bench.py);
re-run it after changing any of them.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import unicodedata
import zlib

import numpy as np

SHINGLE_WORDS = 5           # word 5-grams: long enough that unrelated stories rarely share one
NUM_PERM = 128              # MinHash permutations: Jaccard estimate error about 0.04
BAND_ROWS = 2               # rows per band: a pair with Jaccard J collides in one band with p = J^2
TEXT_BANDS = 40             # 40 bands: Jaccard 0.3 (a heavy splice) collides with p = 0.98, 0.2 with
                            # p = 0.81; teasers, far below, are found by the lede bands instead. Fewer
                            # bands mean fewer elements to shuffle: the stage's main cost.
NEAR_JACCARD = 0.5          # estimated Jaccard at or above this: a near-duplicate
MIN_CONTAINMENT = 0.6       # share of the shorter text found in the longer one: a contained copy
MIN_SHARED_SHINGLES = 12    # contained copies must share at least this much text (about two sentences)
MIN_SHINGLES = 8            # texts shorter than this are too short to compare
LEDE_WORDS = 40             # the opening that republished copies keep: teasers, trims, copy-edits
LEDE_PERM = 16              # the lede's MinHash uses the first 16 permutations
LEDE_BAND_ROWS = 2          # 8 bands: a lede with two words edited (Jaccard 0.7) collides with p > 0.99
LEDE_JACCARD = 0.6          # ledes at least this similar: the same opening
LEDE_MIN_CONTAINMENT = 0.3  # with the same opening, a contained copy needs less estimated overlap
                            # (the estimate is noisy when a teaser is a tenth of the story's length)
OPENING_WORDS = 150         # a teaser is contained in the story's opening, a stock first sentence is not
OPENING_PERM = 64
OPENING_CONTAINMENT = 0.8   # share of the shorter opening found in the other (estimated)

_WORD = re.compile(r"\w+")
_MASK32 = np.uint64(0xFFFFFFFF)
_GRAM_MULTIPLIERS = np.random.default_rng(5).integers(1, 2**63, size=SHINGLE_WORDS, dtype=np.uint64) | np.uint64(1)
_GRAM_MIX = np.uint64(0x9E3779B97F4A7C15)
_PERMUTATIONS = np.random.default_rng(20261126).integers(1, 2**63, size=(2, NUM_PERM), dtype=np.uint64) | np.uint64(1)

# Paragraphs that carry no story: agency copyright and usage lines, promotions, share and follow
# prompts, credit lines. Several languages, since wire copy is republished everywhere.
_BOILERPLATE = re.compile(
    r"copyright|©|\(c\)\s*\d{4}|all rights reserved|alle rechte vorbehalten|tous droits réservés|"
    r"todos los derechos reservados|may not be (?:published|reproduced|redistributed)|rewritten or redistributed|"
    r"\bsign up\b|newsletter|\bsubscribe\b|abonnieren|abonnez|suscríbete|follow us|folgen sie uns|"
    r"suivez-nous|share this|contributed to this report|^\s*(?:reporting|writing|editing|additional reporting) by\b|"
    r"^\s*(?:photo|image|foto|credit)s?\s*:", re.I)
_BOILERPLATE_MAX_WORDS = 80
# A prompt appended to a teaser's last paragraph: the paragraph itself is story text.
_TRAILING_PROMPT = re.compile(r"[\s.…]*\b(?:read more|read the full (?:story|article)|continue reading|click here|"
                              r"weiterlesen|mehr lesen|lire la suite|leer más|seguir leyendo|les mer)\b[\W]*$", re.I)
# "MOSCOW (AP) — ", "LONDON, Nov 3 (Reuters) - ": edited freely by republishers.
_DATELINE = re.compile(r"^[^\n]{0,60}?\((?:AP|Reuters|AFP|dpa|UPI|CNN|Bloomberg)\)\s*[—–-]+\s*", re.I)


@dataclasses.dataclass(frozen=True)
class Fingerprint:
    """What the syndication stage keeps of an article: small enough for keyed state."""

    article_id: str
    order: tuple            # canonical order: earliest published first, then URL
    shingle_count: int
    signature: bytes        # NUM_PERM little-endian uint32 minima
    seen_at: float = 0.0    # fetch time (epoch seconds), for the state horizon
    tail: bytes = b""       # the last paragraphs' hashes and shingle counts (see tail_of)
    lede: bytes = b""       # see opening_of: lede minima, opening minima, opening shingle count
    body_key: str = ""      # the normalised body's hash: equal keys are exact copies

    def as_tuple(self) -> tuple:
        """Plain tuple for shuffles: Beam encodes tuples of primitives far faster than dataclasses."""
        return (self.article_id, self.order, self.shingle_count, self.signature, self.seen_at, self.tail, self.lede,
                self.body_key)


def story_text(body: str) -> str:
    """The body without boilerplate paragraphs and without a wire dateline."""
    paragraphs = [_without_prompt(p).strip() for p in body.split("\n")]
    kept = [p for p in paragraphs if p and not _is_boilerplate(p)]
    if kept:
        kept[0] = _DATELINE.sub("", kept[0])
    return "\n".join(kept)


# Cheap substrings one of which every _BOILERPLATE match contains: most paragraphs skip the regex.
_BOILERPLATE_HINTS = ("copyright", "©", "(c)", "rights", "rechte", "droits", "derechos", "may not be", "redistribut",
                      "sign up", "newsletter", "subscri", "abonn", "suscr", "follow", "folgen", "suivez", "share this",
                      "contributed", "reporting by", "writing by", "editing by", "photo", "image", "foto",
                      "credit")


_PROMPT_TAIL = 48   # characters at a paragraph's end where a trailing prompt can stand


def _without_prompt(paragraph: str) -> str:
    """The paragraph without a trailing "Read more"; the regex runs on the paragraph's end only
    (anchored at $, it would otherwise be tried at every position of every paragraph)."""
    head, tail = paragraph[:-_PROMPT_TAIL], paragraph[-_PROMPT_TAIL:]
    stripped = _TRAILING_PROMPT.sub("", tail)
    return paragraph if stripped == tail else head + stripped


def _is_boilerplate(paragraph: str) -> bool:
    if len(paragraph.split()) > _BOILERPLATE_MAX_WORDS:
        return False
    lowered = paragraph.lower()
    return any(hint in lowered for hint in _BOILERPLATE_HINTS) and bool(_BOILERPLATE.search(paragraph))


def shingle_hashes(text: str) -> np.ndarray:
    """Distinct 64-bit hashes of the text's word 5-grams (casefolded, punctuation ignored).

    Each word is hashed once (CRC-32, stable across processes and runs, unlike hash()); a 5-gram's
    hash mixes its words' hashes with fixed odd multipliers, vectorised."""
    return np.unique(_gram_hashes(text))


def _gram_hashes(text: str) -> np.ndarray:
    """The 5-gram hashes in text order (repeats kept), so an opening is a prefix of the array."""
    words = _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    if len(words) < SHINGLE_WORDS:
        return np.zeros(0, dtype=np.uint64)
    word_hashes = np.fromiter((zlib.crc32(w.encode()) for w in words), dtype=np.uint64, count=len(words))
    count = len(words) - SHINGLE_WORDS + 1
    mixed = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset, multiplier in enumerate(_GRAM_MULTIPLIERS):
            mixed = (mixed ^ (word_hashes[offset:offset + count] * multiplier)) * _GRAM_MIX
    return mixed


def minhash(hashes: np.ndarray, perms: int = NUM_PERM) -> np.ndarray:
    """The first `perms` of NUM_PERM minima of multiply-shift hashes (a*x + b mod 2^64, top 32 bits)
    over the shingles."""
    if hashes.size == 0:
        return np.full(perms, 0xFFFFFFFF, dtype=np.uint32)
    a, b = _PERMUTATIONS[0][:perms], _PERMUTATIONS[1][:perms]
    with np.errstate(over="ignore"):
        mixed = (hashes[:, None] * a[None, :] + b[None, :]) >> np.uint64(32)
    return (mixed & _MASK32).min(axis=0).astype(np.uint32)


TAIL_PARAGRAPHS = 2
_TAIL_ITEM = np.dtype([("hash", "<u8"), ("shingles", "<u4")])


@dataclasses.dataclass(frozen=True)
class Signature:
    shingle_count: int
    minhash: bytes
    tail: bytes
    lede: bytes


def signature_of(body: str) -> Signature:
    """Everything the syndication stage keeps of an article body."""
    text = story_text(body)
    grams = _gram_hashes(text)
    hashes = np.unique(grams)
    return Signature(int(hashes.size), minhash(hashes).astype("<u4").tobytes(), tail_of(text), opening_of(grams))


def opening_of(grams: np.ndarray) -> bytes:
    """LEDE_PERM minima of the 5-grams of the first LEDE_WORDS words (for LSH bands), OPENING_PERM
    minima of those of the first OPENING_WORDS words and their count (for verifying teasers),
    packed as little-endian uint32."""
    lede = minhash(np.unique(grams[:LEDE_WORDS - SHINGLE_WORDS + 1]), LEDE_PERM)
    opening_hashes = np.unique(grams[:OPENING_WORDS - SHINGLE_WORDS + 1])
    opening = minhash(opening_hashes, OPENING_PERM)
    return np.concatenate([lede, opening, np.array([opening_hashes.size], dtype=np.uint32)]).astype("<u4").tobytes()


def tail_of(text: str) -> bytes:
    """Hashes and shingle counts of the last paragraphs, packed. Two articles ending in the same
    paragraph most often share a site's footer, an author bio or a standard note, not a story:
    compare() does not count such a shared ending as shared text."""
    paragraphs = [p for p in text.split("\n") if p.strip()][-TAIL_PARAGRAPHS:]
    items = np.zeros(len(paragraphs), dtype=_TAIL_ITEM)
    for i, paragraph in enumerate(paragraphs):
        words = _WORD.findall(unicodedata.normalize("NFKC", paragraph).casefold())
        items[i] = (int.from_bytes(hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest(), "little"),
                    max(0, len(words) - SHINGLE_WORDS + 1))
    return items.tobytes()


def shared_tail_shingles(a: bytes, b: bytes) -> int:
    """Shingles in paragraphs that end both texts identically."""
    tail_a, tail_b = _tail_items(a), _tail_items(b)
    return sum(count for digest, count in tail_a.items() if digest in tail_b)


# A bucket compares the same few signatures many times: decode each once.
@functools.lru_cache(maxsize=65536)
def _tail_items(tail: bytes) -> dict:
    items = np.frombuffer(tail, dtype=_TAIL_ITEM)
    return dict(zip(items["hash"].tolist(), items["shingles"].tolist()))


@functools.lru_cache(maxsize=65536)
def _minima(signature: bytes) -> np.ndarray:
    return np.frombuffer(signature, dtype="<u4")


def band_keys(signature: bytes, lede: bytes = b"") -> list[str]:
    """One key per LSH band of the whole text and of its opening: two articles sharing a key are
    candidates. The lede bands find teasers, whose overlap with the full story is too small a share
    of the story for the text bands."""
    values = np.frombuffer(signature, dtype="<u4")
    keys = [f"{band}:{values[band * BAND_ROWS:(band + 1) * BAND_ROWS].tobytes().hex()}"
            for band in range(TEXT_BANDS)]
    if lede:
        opening = np.frombuffer(lede, dtype="<u4")[:LEDE_PERM]
        keys += [f"lede{band}:{opening[band * LEDE_BAND_ROWS:(band + 1) * LEDE_BAND_ROWS].tobytes().hex()}"
                 for band in range(LEDE_PERM // LEDE_BAND_ROWS)]
    return keys


@dataclasses.dataclass(frozen=True)
class Match:
    kind: str               # "near" or "contained" ("exact" for an identical body seen apart)
    similarity: float       # estimated Jaccard for near, estimated containment for contained


def compare(a: Fingerprint, b: Fingerprint) -> Match | None:
    """Verify a candidate pair: estimated Jaccard, and containment of the shorter text in the longer
    (derived from the Jaccard estimate and the two shingle counts), so that teasers and splices join
    the story they came from while stories sharing a paragraph or a footer stay apart."""
    if a.body_key and a.body_key == b.body_key:
        return Match("exact", 1.0)   # met across windows or runs: the exact test saw one window only
    if min(a.shingle_count, b.shingle_count) < MIN_SHINGLES:
        return None
    jaccard = np.count_nonzero(_minima(a.signature) == _minima(b.signature)) / NUM_PERM
    shared = jaccard * (a.shingle_count + b.shingle_count) / (1.0 + jaccard)
    ending = shared_tail_shingles(a.tail, b.tail) if a.tail and b.tail else 0
    if ending:
        # Take the shared ending out of both texts and judge what is left.
        shared, size_a, size_b = max(0.0, shared - ending), a.shingle_count - ending, b.shingle_count - ending
        if min(size_a, size_b) < MIN_SHINGLES:
            return None
        jaccard = shared / max(1.0, size_a + size_b - shared)
    else:
        size_a, size_b = a.shingle_count, b.shingle_count
    if jaccard >= NEAR_JACCARD:
        return Match("near", round(jaccard, 4))
    containment = min(1.0, shared / min(size_a, size_b))
    if containment >= MIN_CONTAINMENT and shared >= MIN_SHARED_SHINGLES:
        return Match("contained", round(containment, 4))
    # Same first words: a teaser, if the shorter opening lies within the other one (two briefs that
    # start with the same stock sentence do not: their openings go on differently).
    if (containment >= LEDE_MIN_CONTAINMENT and shared >= MIN_SHARED_SHINGLES and same_opening(a, b)
            and opening_containment(a, b) >= OPENING_CONTAINMENT):
        return Match("contained", round(containment, 4))
    return None


def opening_containment(a: Fingerprint, b: Fingerprint) -> float:
    minima_a, minima_b = _minima(a.lede), _minima(b.lede)
    size_a, size_b = int(minima_a[-1]), int(minima_b[-1])
    if min(size_a, size_b) < MIN_SHINGLES:
        return 0.0
    part = slice(LEDE_PERM, LEDE_PERM + OPENING_PERM)
    jaccard = np.count_nonzero(minima_a[part] == minima_b[part]) / OPENING_PERM
    return min(1.0, jaccard * (size_a + size_b) / (1.0 + jaccard) / min(size_a, size_b))


def same_opening(a: Fingerprint, b: Fingerprint) -> bool:
    if not (a.lede and b.lede):
        return False
    return np.count_nonzero(_minima(a.lede)[:LEDE_PERM] == _minima(b.lede)[:LEDE_PERM]) / LEDE_PERM >= LEDE_JACCARD


@dataclasses.dataclass(frozen=True)
class Edge:
    """A verified pair: `later` (in canonical order, or newly arrived) matches `earlier`."""

    later: str
    later_order: tuple
    earlier: str
    earlier_order: tuple
    earlier_known: bool     # earlier was clustered in a previous window or run
    kind: str
    similarity: float
    later_seen: float = 0.0  # fetch time of `later` (epoch seconds), for the state horizon


def compare_bucket(known: list[Fingerprint], new: list[Fingerprint], band_key: str | None = None) -> list[Edge]:
    """Verified edges of one LSH bucket: each new member (in canonical order) against the known
    members and against the new members before it. With the bucket's `band_key`, a pair that also
    shares an earlier band is left to that band's bucket, so each pair is compared and reported
    once; for that to be safe every bucket compares all its pairs (no size cap: a capped earlier
    bucket would lose the pair everywhere)."""
    edges = []
    earlier = [(True, member) for member in known]
    for member in sorted(new, key=lambda m: (m.order, m.article_id)):
        for other_known, other in earlier:
            if band_key and collide_before(member, other, band_key):
                continue
            match = compare(member, other)
            if match:
                edges.append(Edge(member.article_id, member.order, other.article_id, other.order, other_known,
                                  match.kind, match.similarity, member.seen_at))
        earlier.append((False, member))
    return edges


def collide_before(a: Fingerprint, b: Fingerprint, band_key: str) -> bool:
    """True when a and b share a band that comes before `band_key` (text bands first, then lede)."""
    name = band_key.split(":", 1)[0]
    text_bands = TEXT_BANDS if name.startswith("lede") else int(name)
    rows = text_bands * BAND_ROWS
    if text_bands and np.any(np.all((_minima(a.signature)[:rows] == _minima(b.signature)[:rows])
                                    .reshape(text_bands, BAND_ROWS), axis=1)):
        return True
    if not name.startswith("lede") or not (a.lede and b.lede):
        return False
    lede_bands = int(name[4:])
    rows = lede_bands * LEDE_BAND_ROWS
    return bool(lede_bands and np.any(np.all((_minima(a.lede)[:rows] == _minima(b.lede)[:rows])
                                             .reshape(lede_bands, LEDE_BAND_ROWS), axis=1)))


@dataclasses.dataclass(frozen=True)
class Assignment:
    article_id: str
    cluster_id: str
    kind: str | None
    similarity: float | None


def resolve_clusters(edges: list[Edge], known_clusters: dict) -> list[Assignment]:
    """Cluster ids for the articles that have matches, in canonical order.

    Each article joins the cluster of its best earlier match (exact before near before contained,
    then highest similarity, then earliest): linking only to the best match keeps a splice of two stories from
    chaining them together. An article matched only by later ones is its own cluster's canonical
    member. `known_clusters` maps articles clustered earlier (previous windows or runs) to their
    cluster ids. The result does not depend on the order of `edges`.
    """
    best: dict[str, Edge] = {}
    orders: dict[str, tuple] = {}
    for edge in edges:
        orders[edge.later] = edge.later_order
        if not edge.earlier_known:
            orders.setdefault(edge.earlier, edge.earlier_order)
        current = best.get(edge.later)
        if current is None or _rank(edge) < _rank(current):
            best[edge.later] = edge
    resolved: dict[str, str] = {}
    assignments = []
    for article_id in sorted(orders, key=lambda i: (orders[i], i)):
        edge = best.get(article_id)
        if edge is None:
            resolved[article_id] = article_id
            continue
        if edge.earlier_known:
            cluster = known_clusters.get(edge.earlier, edge.earlier)
        else:
            cluster = resolved.get(edge.earlier, edge.earlier)
        resolved[article_id] = cluster
        assignments.append(Assignment(article_id, cluster, edge.kind, edge.similarity))
    return assignments


def _rank(edge: Edge):
    return (_KIND_RANK.get(edge.kind, 3), -edge.similarity, edge.earlier_order, edge.earlier)


_KIND_RANK = {"exact": 0, "near": 1, "contained": 2}
