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


class _ReadEventsFn(beam.DoFn):
    def setup(self):
        self._published = counter("events_published")

    def process(self, path: str):
        from apache_beam.io.gcp.pubsub import PubsubMessage
        with FileSystems.open(path) as handle:
            table = pq.read_table(handle, columns=EVENT_COLUMNS)
        for data, attributes in article_events(path, table):
            self._published.inc()
            yield PubsubMessage(data, attributes)


class PublishEvents(beam.PTransform):
    """Committed article file paths -> one JSON message per row on `topic` (projects/P/topics/T)."""

    def __init__(self, topic: str):
        super().__init__()
        self._topic = topic

    def expand(self, paths):
        return (paths
                | "ReadCommittedRows" >> beam.ParDo(_ReadEventsFn())
                | "Publish" >> beam.io.WriteToPubSub(self._topic, with_attributes=True))
