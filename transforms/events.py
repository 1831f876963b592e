"""Output events (streaming): one Pub/Sub message per article row, sent once its Parquet file is final.

The events are read back from the committed files rather than taken from the rows in flight, so a
consumer that reacts to an event always finds the row readable.
"""
from __future__ import annotations

import json
import posixpath

import apache_beam as beam
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from transforms.deadletters import counter

PUBLISH_TIMEOUT_SECONDS = 60
EVENT_COLUMNS = ["article_id", "url", "title", "cluster_id", "is_canonical", "published_at",
                 "source_domain", "language"]


def article_events(path: str, table) -> list[tuple[bytes, dict]]:
    """(JSON body, attributes) per row of a committed article file. Attributes are strings, for
    subscription filters such as `attributes.is_canonical = "true"`."""
    partition = posixpath.basename(posixpath.dirname(path))        # ingest_date=YYYY-MM-DD
    events = []
    for row in table.to_pylist():
        published = row["published_at"].isoformat() if row["published_at"] else None
        body = {"article_id": row["article_id"], "url": row["url"], "title": row["title"],
                "cluster_id": row["cluster_id"], "is_canonical": row["is_canonical"],
                "published_at": published, "partition": partition, "file": path}
        attributes = {"source_domain": row["source_domain"] or "",
                      "is_canonical": "true" if row["is_canonical"] else "false",
                      "ingest_date": partition.partition("=")[2], "language": row["language"] or ""}
        events.append((json.dumps(body, ensure_ascii=False).encode("utf-8"), attributes))
    return events


class _PublishFileEventsFn(beam.DoFn):
    """Publishes the events of one committed file and waits for Pub/Sub to accept them, so that
    `events_published` counts only sent events (the local drain waits for it)."""

    def __init__(self, topic: str):
        self._topic = topic

    def setup(self):
        from google.cloud import pubsub_v1
        self._publisher = pubsub_v1.PublisherClient()
        self._published = counter("events_published")

    def process(self, path: str):
        with FileSystems.open(path) as handle:
            table = pq.read_table(handle, columns=EVENT_COLUMNS)
        futures = [self._publisher.publish(self._topic, data, **attributes)
                   for data, attributes in article_events(path, table)]
        for future in futures:
            future.result(timeout=PUBLISH_TIMEOUT_SECONDS)   # an error fails the bundle: it is retried
        self._published.inc(len(futures))
        yield path

    def teardown(self):
        self._publisher.stop()


class PublishEvents(beam.PTransform):
    """Committed article file paths -> one JSON message per row on `topic` (projects/P/topics/T);
    yields each path once its events are accepted."""

    def __init__(self, topic: str):
        super().__init__()
        self._topic = topic

    def expand(self, paths):
        return paths | "PublishRows" >> beam.ParDo(_PublishFileEventsFn(self._topic))
