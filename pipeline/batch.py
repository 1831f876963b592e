"""Batch mode: poll every feed once, write Parquet, and account for every entry."""
from __future__ import annotations

import collections
import dataclasses
import glob
import logging
import os
import shutil

import apache_beam as beam
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions, TestOptions

from pipeline.graph import GraphSettings, build_batch
from pipeline.options import NewsbeamOptions, new_run_id
from transforms.messages import STAGE as INPUT_STAGE
from transforms.deadletters import METRICS_NAMESPACE
from transforms.feeds import STAGE as FEEDS_STAGE
from transforms.feeds import read_feed_list
from transforms.sinks import ARTICLES_TABLE, DEAD_LETTER_TABLE, temporary_folder

_log = logging.getLogger(__name__)


@dataclasses.dataclass
class RunSummary:
    run_id: str
    output: str
    feeds_listed: int
    counters: dict
    article_files: list
    dead_letter_files: list
    streaming: bool = False

    def count(self, name: str) -> int:
        return self.counters.get(name, 0)

    def dead_letters_by_reason(self) -> dict:
        """{(stage, reason): count} of this run's dead letters."""
        found = {}
        for name, value in self.counters.items():
            if name.startswith("dead_letter."):
                _, stage, reason = name.split(".", 2)
                found[(stage, reason)] = value
        return dict(sorted(found.items()))

    def entry_dead_letters(self) -> int:
        return sum(v for (stage, _r), v in self.dead_letters_by_reason().items()
                   if stage not in (FEEDS_STAGE, INPUT_STAGE))

    def skips(self) -> dict:
        return {n.split(".", 1)[1]: v for n, v in sorted(self.counters.items()) if n.startswith("skipped.")}

    def balanced(self) -> bool:
        """Every entry seen became exactly one article row, one dead letter or one counted skip."""
        return self.count("entries_seen") == (self.count(f"rows_written.{ARTICLES_TABLE}")
                                              + self.entry_dead_letters() + sum(self.skips().values()))

    def render(self) -> str:
        articles = self.count(f"rows_written.{ARTICLES_TABLE}")
        polled = (f"  polls:              {self.count('feeds_polled')} of {self.feeds_listed} listed feeds on "
                  f"{self.count('ticks_received')} ticks ({self.count('feeds_not_modified')} not modified, "
                  f"{self.count('feeds_unchanged')} unchanged, {self.count('polls_backed_off')} backed off)"
                  if self.streaming else
                  f"  feeds polled:       {self.count('feeds_polled')} of {self.feeds_listed} listed "
                  f"({self.count('feeds_malformed_but_read')} malformed but readable)")
        lines = [f"newsbeam run {self.run_id}", polled,
                 f"  entries seen:       {self.count('entries_seen')}",
                 f"  articles written:   {articles}",
                 f"  duplicates marked:  {self.count('duplicates_marked')}",
                 f"  dead letters:       {sum(self.dead_letters_by_reason().values())}"]
        for (stage, reason), value in self.dead_letters_by_reason().items():
            lines.append(f"    {stage:<11} {reason:<22} {value}")
        skips = self.skips()
        lines.append(f"  skipped:            {sum(skips.values())}"
                     + "".join(f"  ({k}: {v})" for k, v in skips.items() if v))
        verdict = "balanced" if self.balanced() else "DOES NOT BALANCE"
        lines.append(f"  accounting:         {self.count('entries_seen')} entries = {articles} articles + "
                     f"{self.entry_dead_letters()} dead letters + {sum(skips.values())} skipped: {verdict}")
        lines.append("  output:")
        for path in self.article_files + self.dead_letter_files:
            lines.append(f"    {path}")
        return "\n".join(lines)


def run(argv: list[str]) -> "RunSummary | DryRun":
    """Runs one batch pass over the feeds named in argv; raises ValueError for bad flags or feed list."""
    options, nb, feed_urls = parse_run_args(argv)
    settings = graph_settings(nb, stored=not dry_run(options))
    output, run_id = settings.output, settings.run_id
    runner = _default_runner(options)
    with beam.Pipeline(runner=runner, options=options) as pipeline:
        build_batch(pipeline, feed_urls, settings)
    result = pipeline.result
    if dry_run(options):
        return DryRun(job_graph_size(result))
    summary = RunSummary(run_id=run_id, output=output, feeds_listed=len(feed_urls),
                         counters=_counters(result),
                         article_files=_files(output, ARTICLES_TABLE, run_id),
                         dead_letter_files=_files(output, DEAD_LETTER_TABLE, run_id))
    shutil.rmtree(temporary_folder(output, run_id), ignore_errors=True)
    _remove_if_empty(os.path.join(output, "_temporary"))
    return summary


def parse_run_args(argv: list[str]) -> tuple[PipelineOptions, NewsbeamOptions, list[str]]:
    """Options, newsbeam's view of them and the feed URLs; ValueError (or FeedListError) for the user."""
    options = PipelineOptions(argv)
    nb = options.view_as(NewsbeamOptions)
    problems = nb.validate_newsbeam()
    if problems:
        raise ValueError("; ".join(problems))
    return options, nb, read_feed_list(nb.feeds)


def graph_settings(nb: NewsbeamOptions, stored: bool = True) -> GraphSettings:
    """The graph's settings from the flags; `stored` lists earlier runs' article files (the dedup
    stage's cross-run memory)."""
    run_id = nb.run_id or new_run_id()
    output = nb.output if "://" in nb.output else os.path.abspath(nb.output)
    return GraphSettings(output=output, run_id=run_id, fetch=nb.fetch_config(),
                         fetch_concurrency=nb.fetch_concurrency, politeness=nb.politeness(),
                         dedup_horizon_days=nb.dedup_horizon_days, near_duplicates=not nb.no_near_duplicates,
                         stored_files=tuple(_stored_files(output)) if stored else ())


def dry_run(options: PipelineOptions) -> bool:
    """--dry_run: the runner builds the job graph offline and submits nothing (Dataflow)."""
    return str(options.view_as(TestOptions).dry_run).lower() in ("true", "1", "yes")


def job_graph_size(result) -> int:
    """Transforms in a dry-run Dataflow job's graph (0 if the runner kept none)."""
    job = getattr(result, "job", None)
    proto = getattr(job, "proto_pipeline", None)
    return len(proto.components.transforms) if proto is not None else 0


@dataclasses.dataclass
class DryRun:
    transforms: int

    def render(self) -> str:
        return (f"newsbeam run: job graph built with {self.transforms} transforms; not submitted (--dry_run)")

    def balanced(self) -> bool:
        return True


def _default_runner(options: PipelineOptions):
    """Without --runner, the FnApiRunner: the DirectRunner would first try Prism, which downloads
    a binary at start-up (and fails without internet)."""
    if options.view_as(StandardOptions).runner:
        return None
    from apache_beam.runners.portability.fn_api_runner import FnApiRunner
    return FnApiRunner()


def _counters(result) -> dict:
    totals = collections.Counter()
    query = result.metrics().query(MetricsFilter().with_namespace(METRICS_NAMESPACE))
    for item in query["counters"]:
        value = item.committed if item.committed is not None else item.attempted
        totals[item.key.metric.name] += value or 0
    return dict(totals)


def _stored_files(output: str) -> list[str]:
    """Article files earlier runs wrote into this output: the dedup stage's cross-run memory."""
    from apache_beam.io.filesystems import FileSystems
    pattern = FileSystems.join(output, ARTICLES_TABLE, "ingest_date=*", "*.parquet")
    try:
        return sorted(m.path for m in FileSystems.match([pattern])[0].metadata_list)
    except Exception:  # noqa: BLE001 - an unmatched pattern is an error on some filesystems
        return []


def _files(output: str, table: str, run_id: str) -> list[str]:
    if "://" in output:
        return []
    return sorted(glob.glob(os.path.join(output, table, "ingest_date=*", f"part-{run_id}-*.parquet")))


def _remove_if_empty(path: str):
    try:
        os.rmdir(path)
    except OSError:
        pass
