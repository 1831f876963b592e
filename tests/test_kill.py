"""A batch run killed with SIGKILL leaves no unreadable Parquet under articles/, and the next run completes."""
import glob
import os
import signal
import subprocess
import sys
import time

import pyarrow.parquet as pq
import pytest

from conftest import ROOT
from tools.localserver import LocalServer, render_placeholders

DEMO = os.path.join(ROOT, "demo")
ARGS = ["--allow-private-networks", "--per-host-rate", "0", "--per-host-concurrency", "16"]


def _start(feeds, out, run_id):
    # A killed run cannot remove Beam's local temporary folder: keep it under the test's own tmp_path.
    scratch = out.parent / "scratch"
    scratch.mkdir(exist_ok=True)
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", "run", "--feeds", str(feeds), "--output", str(out),
                             "--run-id", run_id, *ARGS], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "TMPDIR": str(scratch)})


def _kill_when(process, ready, bound=120.0):
    """SIGKILL `process` as soon as `ready()` holds (polled every few ms); False if it ended first."""
    give_up = time.monotonic() + bound
    while process.poll() is None and time.monotonic() < give_up:
        if ready():
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.002)
    process.kill()
    process.wait()
    return False


def _parquet_under(out, table):
    return glob.glob(str(out / table / "**" / "*.parquet"), recursive=True)


@pytest.mark.parametrize("moment", ["writing_temporary_files", "moving_files_into_place"])
def test_killed_run_leaves_only_readable_files_and_the_next_run_completes(tmp_path, moment):
    out = tmp_path / "out"
    with LocalServer(root=os.path.join(DEMO, "site")) as server:
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(render_placeholders(open(os.path.join(DEMO, "feeds.txt.in")).read(), server.base_url))
        temporary = out / "_temporary" / "killed"
        ready = {"writing_temporary_files": lambda: any(files for _d, _s, files in os.walk(temporary)),
                 "moving_files_into_place": lambda: bool(_parquet_under(out, "articles")
                                                         or _parquet_under(out, "dead_letter"))}[moment]
        killed = _kill_when(_start(feeds, out, "killed"), ready)

        for path in _parquet_under(out, "articles") + _parquet_under(out, "dead_letter"):
            assert pq.read_table(path).num_rows > 0, path      # complete, footer and all
        assert not [p for p in glob.glob(str(out / "articles" / "**" / "*"), recursive=True)
                    if os.path.isfile(p) and not p.endswith(".parquet")]

        again = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--feeds", str(feeds), "--output", str(out),
                                "--run-id", "after", *ARGS], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert killed, "the run ended before it could be killed: the test did not test anything"
    assert again.returncode == 0, again.stderr[-2000:]
    assert ": balanced" in again.stdout
    after = [p for p in _parquet_under(out, "articles") if "part-after-" in p]
    assert after and all(pq.read_table(p).num_rows for p in after)
