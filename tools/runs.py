"""Running `newsbeam run` from the evaluation and benchmark tools, and timing it."""
from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# One local server stands in for every outlet: the per-host limits are for real sites.
LOCAL_RUN_ARGS = ["--allow-private-networks", "--per-host-rate", "0", "--per-host-concurrency", "16"]


@dataclasses.dataclass(frozen=True)
class Timing:
    wall: float     # seconds
    cpu: float      # user + system seconds of the newsbeam process


def run_newsbeam(feeds: str, out: str, extra: list[str] = ()) -> Timing:
    """One `newsbeam run` over a local server's feeds; SystemExit with its stderr if it fails."""
    before, started = os.times(), time.monotonic()
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--feeds", feeds, "--output", out,
                             *LOCAL_RUN_ARGS, *extra], cwd=ROOT, capture_output=True, text=True)
    wall, after = time.monotonic() - started, os.times()
    if result.returncode != 0:
        raise SystemExit(f"newsbeam run failed:\n{result.stderr[-3000:]}")
    return Timing(wall, (after.children_user - before.children_user) + (after.children_system - before.children_system))


STAGE_CPU = """
import glob, sys, time
import apache_beam as beam, pyarrow.parquet as pq
from apache_beam.runners.portability.fn_api_runner import FnApiRunner
from schemas import Article
from transforms.dedup import ClusterSyndication
rows = [r for f in glob.glob(sys.argv[1] + "/articles/*/*.parquet") for r in pq.read_table(f).to_pylist()]
articles = [Article(url=r["url"], final_url=r["final_url"], canonical_url=r["url"], feed_url=r["feed_url"],
                    body=r["body"], published_at=r["published_at"], fetched_at=r["fetched_at"]) for r in rows]
def cpu(stage):
    started = time.process_time()
    with beam.Pipeline(runner=FnApiRunner()) as p:
        p | beam.Create(articles) | stage() | beam.Map(lambda a: None)
    return time.process_time() - started
base = min(cpu(lambda: beam.Map(lambda a: a)) for _ in range(3))
dedup = min(cpu(ClusterSyndication) for _ in range(3))
print(dedup - base)
"""


def dedup_stage_cpu(out: str) -> float:
    """CPU seconds the dedup stage adds to a pipeline over the run's own articles: the stage
    measured alone, against the same pipeline with a pass-through step in its place."""
    result = subprocess.run([sys.executable, "-c", STAGE_CPU, out], cwd=ROOT, capture_output=True, text=True,
                            check=True)
    return float(result.stdout.strip().splitlines()[-1])


