"""Dead-letter records: every failure leaves its stage as one of these, with a reason."""
from __future__ import annotations

import collections
import datetime as dt
import threading

from apache_beam.metrics import Metrics

from schemas import DeadLetter

METRICS_NAMESPACE = "newsbeam"
DEAD_LETTERS = "dead_letters"   # the tag of every stage's failure output


def dead_letter(stage: str, reason: str, url: str | None, feed_url: str | None, message: str,
                http_status: int | None = None) -> DeadLetter:
    """A dead-letter record stamped now. The sink adds the run id and counts it by stage and
    reason (there, not here: this may run on a fetch thread, where Beam metrics are not recorded)."""
    return DeadLetter(stage=stage, reason=reason, url=url, feed_url=feed_url, message=message[:2000],
                      http_status=http_status, occurred_at=dt.datetime.now(dt.timezone.utc))


class Tally:
    """Counts by name in this process, thread-safe.

    Why it exists: on the BundleBasedDirectRunner (Beam 2.77), a step's metrics are committed for its
    first bundle only (the worker's state sampler hands every later bundle the first bundle's
    ScopedState, and so its MetricsContainer), so a local streaming run cannot watch itself through
    Beam metrics. The local launcher reads this tally instead; it runs in the same process as the
    DoFns there. Elsewhere (batch, Dataflow) it is unused and Beam metrics are the record."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts = collections.Counter()

    def add(self, name: str, n: int = 1):
        with self._lock:
            self._counts[name] += n

    def snapshot(self) -> dict:
        with self._lock:
            return dict(self._counts)

    def reset(self):
        with self._lock:
            self._counts.clear()


LOCAL_TALLY = Tally()


class _Counter:
    """A Beam counter that also adds to LOCAL_TALLY."""

    def __init__(self, name: str):
        self._name = name
        self._beam = Metrics.counter(METRICS_NAMESPACE, name)

    def inc(self, n: int = 1):
        self._beam.inc(n)
        LOCAL_TALLY.add(self._name, n)


def counter(name: str) -> _Counter:
    return _Counter(name)


def dead_letter_metric(record: DeadLetter) -> str:
    return f"dead_letter.{record.stage}.{record.reason}"
