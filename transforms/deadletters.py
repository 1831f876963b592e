"""Dead-letter records: every failure leaves its stage as one of these, with a reason."""
from __future__ import annotations

import datetime as dt

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


def counter(name: str):
    return Metrics.counter(METRICS_NAMESPACE, name)


def dead_letter_metric(record: DeadLetter) -> str:
    return f"dead_letter.{record.stage}.{record.reason}"
