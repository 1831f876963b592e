"""Pure rules for recognising syndicated copies: boilerplate removal, shingles, MinHash, LSH bands,
pair verification and cluster resolution. Nothing here knows about Beam.

Tuning constants were calibrated on the syndication benchmark (`make eval`, tools/syndication_bench.py);
re-run it after changing any of them.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata

import numpy as np

SHINGLE_WORDS = 5           # word 5-grams: long enough that unrelated stories rarely share one
NUM_PERM = 128              # MinHash permutations: Jaccard estimate error about 0.04
BAND_ROWS = 2               # 64 bands of 2 rows: a pair with Jaccard 0.2 (a two-paragraph teaser of a
                            # ten-paragraph story) becomes a candidate with probability 0.93
NEAR_JACCARD = 0.5          # estimated Jaccard at or above this: a near-duplicate
MIN_CONTAINMENT = 0.6       # share of the shorter text found in the longer one: a contained copy
MIN_SHARED_SHINGLES = 12    # contained copies must share at least this much text (about two sentences)
MIN_SHINGLES = 8            # texts shorter than this are too short to compare

_WORD = re.compile(r"\w+")
_MASK32 = np.uint64(0xFFFFFFFF)
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


def story_text(body: str) -> str:
    """The body without boilerplate paragraphs and without a wire dateline."""
    paragraphs = [_TRAILING_PROMPT.sub("", p).strip() for p in body.split("\n")]
    kept = [p for p in paragraphs if p and not _is_boilerplate(p)]
    if kept:
        kept[0] = _DATELINE.sub("", kept[0])
    return "\n".join(kept)


def _is_boilerplate(paragraph: str) -> bool:
    return len(paragraph.split()) <= _BOILERPLATE_MAX_WORDS and bool(_BOILERPLATE.search(paragraph))


def shingle_hashes(text: str) -> np.ndarray:
    """Distinct 64-bit hashes of the text's word 5-grams (casefolded, punctuation ignored)."""
    words = _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    if len(words) < SHINGLE_WORDS:
        return np.zeros(0, dtype=np.uint64)
    grams = {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
    return np.array([int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little") for g in grams],
                    dtype=np.uint64)


def minhash(hashes: np.ndarray) -> np.ndarray:
    """NUM_PERM minima of multiply-shift hashes (a*x + b mod 2^64, top 32 bits) over the shingles."""
    if hashes.size == 0:
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    a, b = _PERMUTATIONS
    with np.errstate(over="ignore"):
        mixed = (hashes[:, None] * a[None, :] + b[None, :]) >> np.uint64(32)
    return (mixed & _MASK32).min(axis=0).astype(np.uint32)


def signature_of(body: str) -> tuple[int, bytes]:
    """(shingle count, MinHash signature bytes) of an article body."""
    hashes = shingle_hashes(story_text(body))
    return int(hashes.size), minhash(hashes).astype("<u4").tobytes()


def band_keys(signature: bytes) -> list[str]:
    """One key per LSH band: two articles sharing a key are candidates."""
    values = np.frombuffer(signature, dtype="<u4")
    return [f"{band}:{values[band * BAND_ROWS:(band + 1) * BAND_ROWS].tobytes().hex()}"
            for band in range(NUM_PERM // BAND_ROWS)]


@dataclasses.dataclass(frozen=True)
class Match:
    kind: str               # "near" or "contained"
    similarity: float       # estimated Jaccard for near, estimated containment for contained


def compare(a: Fingerprint, b: Fingerprint) -> Match | None:
    """Verify a candidate pair: estimated Jaccard, and containment of the shorter text in the longer
    (derived from the Jaccard estimate and the two shingle counts), so that teasers and splices join
    the story they came from while stories sharing a paragraph or a footer stay apart."""
    if min(a.shingle_count, b.shingle_count) < MIN_SHINGLES:
        return None
    sig_a, sig_b = np.frombuffer(a.signature, dtype="<u4"), np.frombuffer(b.signature, dtype="<u4")
    jaccard = float(np.mean(sig_a == sig_b))
    if jaccard >= NEAR_JACCARD:
        return Match("near", round(jaccard, 4))
    shared = jaccard * (a.shingle_count + b.shingle_count) / (1.0 + jaccard)
    containment = min(1.0, shared / min(a.shingle_count, b.shingle_count))
    if containment >= MIN_CONTAINMENT and shared >= MIN_SHARED_SHINGLES:
        return Match("contained", round(containment, 4))
    return None


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


@dataclasses.dataclass(frozen=True)
class Assignment:
    article_id: str
    cluster_id: str
    kind: str | None
    similarity: float | None


def resolve_clusters(edges: list[Edge], known_clusters: dict) -> list[Assignment]:
    """Cluster ids for the articles that have matches, in canonical order.

    Each article joins the cluster of its best earlier match (highest similarity, near before
    contained, then earliest): linking only to the best match keeps a splice of two stories from
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
    return (edge.kind != "near", -edge.similarity, edge.earlier_order, edge.earlier)
