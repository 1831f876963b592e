"""Sinks: Hive-partitioned, zstd-compressed Parquet through fileio.WriteToFiles.

Files are written to a temporary folder outside the partitions and renamed into
`<output>/<table>/ingest_date=YYYY-MM-DD/part-<run>-<shard>.parquet` only when complete, so a reader
never sees a half-written file. WriteToFiles does not create nested partition folders on a local
disk and logs the failed rename only at DEBUG (see docs/design.md): naming creates the folder, and a
last step checks that every file really arrived.
"""
from __future__ import annotations

import dataclasses
import os
import re

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io import fileio
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.value_provider import StaticValueProvider
from apache_beam.transforms.window import GlobalWindow

from schemas import ARTICLE_SCHEMA, DEAD_LETTER_SCHEMA, to_row
from transforms.deadletters import counter, dead_letter_metric

ARTICLES_TABLE = "articles"
DEAD_LETTER_TABLE = "dead_letter"
ROW_GROUP_ROWS = 2000


class ParquetSink(fileio.FileSink):
    """Buffers rows and writes them as zstd Parquet row groups; the footer is written in flush()."""

    def __init__(self, schema: pa.Schema):
        self._schema = schema
        self._rows = []
        self._writer = None

    def open(self, fh):
        self._writer = pq.ParquetWriter(fh, self._schema, compression="zstd")

    def write(self, record):
        self._rows.append(record)
        if len(self._rows) >= ROW_GROUP_ROWS:
            self._write_rows()

    def flush(self):
        self._write_rows()
        self._writer.close()

    def _write_rows(self):
        if self._rows:
            self._writer.write_table(pa.Table.from_pylist(self._rows, schema=self._schema))
            self._rows = []


_SAFE_RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def is_safe_run_id(run_id: str) -> bool:
    """True for a run id that is one harmless path component (no '/', '..', spaces or controls)."""
    return bool(_SAFE_RUN_ID.fullmatch(run_id))


def partition_of(table: str, day) -> str:
    """'<table>/ingest_date=YYYY-MM-DD': the only values that reach partition paths are these two,
    a constant and a formatted date, so no feed or page content can steer where files go."""
    return f"{table}/ingest_date={day:%Y-%m-%d}"


def _partition_file_naming(root: str, run_id: str):
    def name(window, pane, shard_index, total_shards, compression, destination):
        # WriteToFiles renames into this path without creating its folder (see module docstring).
        folder = FileSystems.join(root, destination)
        if not FileSystems.exists(folder):
            try:
                FileSystems.mkdirs(folder)
            except IOError:
                pass  # another worker made it first
        return f"{destination}/part-{run_id}{window_tag(window, pane)}-{shard_index:05d}-of-{total_shards:05d}.parquet"
    return name


def window_tag(window, pane) -> str:
    """'' in batch; in streaming the window's start and the pane index, so the files of different
    windows (and of a late pane of the same window) never collide."""
    if isinstance(window, GlobalWindow) or not hasattr(window, "start"):
        return ""
    start = window.start.to_utc_datetime()
    return f"-w{start:%Y%m%dT%H%M%S}{start.microsecond // 1000:03d}-p{pane.index if pane else 0}"


def _check_arrived(root: str, table: str):
    committed = counter(f"rows_committed.{table}")

    def check(file_result):
        path = FileSystems.join(root, file_result.file_name)
        if not FileSystems.exists(path):
            raise IOError(f"Parquet file {path} was not moved into place: output incomplete")
        # Rows readable in final files: what a streaming drain waits for (the footer is small).
        with FileSystems.open(path) as handle:
            committed.inc(pq.ParquetFile(handle).metadata.num_rows)
        return path
    return check


class _WriteTable(beam.PTransform):
    def __init__(self, output: str, run_id: str, table: str, schema: pa.Schema, day_of, metric_of=None):
        super().__init__()
        if not is_safe_run_id(run_id):
            raise ValueError(f"unsafe run id for file names: {run_id!r}")
        self._metric_of = metric_of
        self._output = output
        self._run_id = run_id
        self._table = table
        self._schema = schema
        self._day_of = day_of

    def expand(self, records):
        run_id, table, day_of, schema, root = self._run_id, self._table, self._day_of, self._schema, self._output
        written, metric_of = counter(f"rows_written.{table}"), self._metric_of

        def stamp(record):
            written.inc()
            if metric_of:
                counter(metric_of(record)).inc()
            return to_row(dataclasses.replace(record, run_id=run_id))

        return (records
                | "ToRow" >> beam.Map(stamp)
                | "WriteParquet" >> fileio.WriteToFiles(
                    path=root,
                    destination=lambda row: partition_of(table, day_of(row)),
                    sink=lambda _dest: ParquetSink(schema),
                    file_naming=_partition_file_naming(root, run_id),
                    temp_directory=StaticValueProvider(str, FileSystems.join(root, "_temporary", run_id)),
                    max_writers_per_bundle=0,
                    shards=1)
                | "CheckArrived" >> beam.Map(_check_arrived(root, table)))


class WriteArticles(_WriteTable):
    """Article -> Parquet under <output>/articles/ingest_date=<fetch day>/; yields the paths."""

    def __init__(self, output: str, run_id: str):
        super().__init__(output, run_id, ARTICLES_TABLE, ARTICLE_SCHEMA, lambda row: row["fetched_at"])


class WriteDeadLetters(_WriteTable):
    """DeadLetter -> Parquet under <output>/dead_letter/ingest_date=<day>/; yields the paths."""

    def __init__(self, output: str, run_id: str):
        super().__init__(output, run_id, DEAD_LETTER_TABLE, DEAD_LETTER_SCHEMA, lambda row: row["occurred_at"],
                         metric_of=dead_letter_metric)


def temporary_folder(output: str, run_id: str) -> str:
    return os.path.join(output, "_temporary", run_id)
