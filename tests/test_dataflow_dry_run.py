"""The Dataflow job graph builds offline, for batch and streaming, with the documented command line."""
import subprocess
import sys

import pytest

from conftest import ROOT

DATAFLOW = ["--runner", "DataflowRunner", "--project", "newsbeam-test", "--region", "europe-west1",
            "--temp_location", "gs://newsbeam-test-bucket/tmp", "--dry_run", "--no_auth", "--setup_file", "./setup.py"]
STREAMING = ["--streaming", "--poll-interval", "300", "--window", "60",
             "--tick-subscription", "projects/newsbeam-test/subscriptions/ticks",
             "--input-subscription", "projects/newsbeam-test/subscriptions/requests",
             "--output-topic", "projects/newsbeam-test/topics/articles"]


def dry_run(tmp_path, *args):
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("https://example.com/feed.xml\n")
    # setup.py is packaged for the workers (needs the `build` package), nothing is submitted.
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--feeds", str(feeds),
                           "--output", "gs://newsbeam-test-bucket/out", *DATAFLOW, *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("mode,args", [("batch", []), ("streaming", STREAMING)])
def test_dataflow_graph_builds_offline(tmp_path, mode, args):
    result = dry_run(tmp_path, *args)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "job graph built with" in result.stdout and "not submitted (--dry_run)" in result.stdout
    transforms = int(result.stdout.split("built with ")[1].split()[0])
    assert transforms > 50


def test_streaming_on_dataflow_needs_the_tick_subscription(tmp_path):
    result = dry_run(tmp_path, "--streaming", "--poll-interval", "300", "--window", "60")
    assert result.returncode == 2
    assert "--tick-subscription" in result.stderr and "Cloud Scheduler" in result.stderr
