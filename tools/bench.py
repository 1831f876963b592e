"""`make bench`: throughput of `newsbeam run` against a bare fetch + trafilatura loop, measured in one run.

Both read the same pages from the same local server (aeb pages from ../shared/data when present,
else the bundled demo corpus), first with no added latency, then with a per-response server delay
that stands in for real-world servers. newsbeam is timed as a user runs it (the whole command,
Beam start-up included), with one worker and with two.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
import time
import urllib.request

from tools.localserver import LocalServer
from tools.runs import Timing, dedup_stage_cpu, run_newsbeam

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    parser.add_argument("--latency", type=float, default=0.2, help="seconds added to each response in round 2")
    args = parser.parse_args()
    site = tempfile.mkdtemp(prefix="newsbeam-bench-")
    source = build_site(site, args.shared)
    pages = sorted(p for p in os.listdir(os.path.join(site, "a")))
    print(f"pages: {len(pages)} ({source}); cores: {os.cpu_count()}; python {sys.version.split()[0]}")
    print(f"{'server latency':<15} {'bare loop p/s':>13} {'newsbeam 1w p/s':>16} {'ratio':>6} "
          f"{'newsbeam 2w p/s':>16} {'ratio':>6}")
    for latency in (0.0, args.latency):
        with LocalServer(root=site, latency=latency) as server:
            bare = bare_loop(server, pages)
            one = newsbeam_run(server, site, []).wall
            two = newsbeam_run(server, site, ["--direct_num_workers=2", "--direct_running_mode=multi_processing"]).wall
        n = len(pages)
        print(f"{latency:>12.2f} s  {n / bare:>13.1f} {n / one:>16.1f} {bare / one:>6.2f} {n / two:>16.1f} "
              f"{bare / two:>6.2f}")
    print("ratio = bare loop time / newsbeam time (above 1: newsbeam is faster). newsbeam times include "
          "Beam start-up and writing Parquet.")
    with LocalServer(root=site) as server:
        out = os.path.join(site, "out-cpu")
        run_cpu = min(newsbeam_run(server, site, [], f"{out}-{attempt}" if attempt else out).cpu for attempt in range(2))
    stage_cpu = dedup_stage_cpu(out)
    print(f"dedup stage (ClusterSyndication) on these pages: {stage_cpu:.2f} s CPU = {stage_cpu / run_cpu:.1%} of "
          f"a single-worker run's {run_cpu:.2f} s (stage measured alone on the run's articles)")
    return 0


def build_site(site: str, shared: str) -> str:
    os.makedirs(os.path.join(site, "a"))
    aeb = os.path.join(shared, "data", "aeb")
    if os.path.isdir(aeb):
        truth = json.load(open(os.path.join(aeb, "ground-truth.json")))
        for pid in sorted(truth):
            html = gzip.open(os.path.join(aeb, "html", pid + ".html.gz")).read()
            open(os.path.join(site, "a", pid + ".html"), "wb").write(html)
        source = "aeb pages from ../shared/data"
    else:
        demo = os.path.join(ROOT, "demo", "site")
        for folder, _dirs, files in os.walk(demo):
            for name in files:
                if name.endswith(".html"):
                    rel = os.path.relpath(os.path.join(folder, name), demo).replace(os.sep, "_")
                    data = open(os.path.join(folder, name), "rb").read().replace(b"{{BASE_URL}}", b"http://127.0.0.1")
                    open(os.path.join(site, "a", rel), "wb").write(data)
        source = "demo corpus (../shared/data is missing)"
    items = "".join(f"<item><title>{n}</title><link>{{{{BASE_URL}}}}/a/{n}</link><guid>{n}</guid></item>"
                    for n in sorted(os.listdir(os.path.join(site, "a"))))
    open(os.path.join(site, "feed.xml"), "w").write(
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>bench</title>{items}</channel></rss>")
    return source


def bare_loop(server: LocalServer, pages: list[str]) -> float:
    """What a trafilatura user writes: fetch a page, extract it, next page."""
    import trafilatura
    started = time.monotonic()
    for name in pages:
        html = urllib.request.urlopen(server.url(f"/a/{name}"), timeout=30).read()
        trafilatura.bare_extraction(html.decode("utf-8", errors="replace"), url=server.url(f"/a/{name}"),
                                    with_metadata=True, include_comments=False, deduplicate=False)
    return time.monotonic() - started


def newsbeam_run(server: LocalServer, site: str, extra: list[str], out: str | None = None) -> Timing:
    feeds = os.path.join(site, "feeds.txt")
    with open(feeds, "w") as handle:
        handle.write(server.url("/feed.xml") + "\n")
    return run_newsbeam(feeds, out or tempfile.mkdtemp(prefix="out-", dir=site), extra)


if __name__ == "__main__":
    sys.exit(main())
