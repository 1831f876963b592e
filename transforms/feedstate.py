"""What streaming remembers about each feed between polls, as plain rules (no Beam here).

A feed is polled with a conditional GET (ETag / Last-Modified from the last good answer), and its
body is hashed, because many servers send validators that never change or ignore them. A feed that
keeps failing is polled less and less often (exponential backoff, capped), so a dead server is not
hammered every interval, yet recovers on its own.
"""
from __future__ import annotations

import dataclasses
import hashlib

# A dead feed is still tried at least hourly, so it recovers without a restart.
MAX_BACKOFF_SECONDS = 3600.0


@dataclasses.dataclass(frozen=True)
class FeedState:
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    failures: int = 0            # consecutive failed polls
    retry_at: float = 0.0        # event time (epoch seconds) before which polls are skipped


def conditional_headers(state: FeedState) -> dict:
    headers = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    return headers


def due(state: FeedState, now: float) -> bool:
    """Whether a poll requested at event time `now` goes ahead (False while backing off)."""
    return now >= state.retry_at


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def after_success(state: FeedState, headers: dict, digest: str | None) -> FeedState:
    """State after a good answer (304, or a body that parsed): validators kept, backoff reset.
    A 304 passes `digest=None` and keeps the previous hash and validators it did not replace."""
    return FeedState(etag=headers.get("etag") or state.etag,
                     last_modified=headers.get("last-modified") or state.last_modified,
                     body_hash=digest or state.body_hash, failures=0, retry_at=0.0)


def after_failure(state: FeedState, now: float, poll_interval: float) -> FeedState:
    """State after a failed poll: the n-th failure in a row waits 2**(n-1) intervals (capped).

    Half an interval is taken off so that a tick arriving a little early is not skipped too."""
    failures = state.failures + 1
    delay = min(poll_interval * 2 ** (failures - 1), max(MAX_BACKOFF_SECONDS, poll_interval))
    return dataclasses.replace(state, failures=failures, retry_at=now + delay - poll_interval / 2)
