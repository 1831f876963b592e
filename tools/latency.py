"""Latency of `newsbeam run --streaming`: from an item appearing in a feed to its row being readable.

Serves a feed on 127.0.0.1 that gains one item at a random moment of each round, runs newsbeam
(which starts its own Pub/Sub emulator unless PUBSUB_EMULATOR_HOST is set), and times each item
until DuckDB can read its row. `python -m tools.latency --poll-interval 5 --window 10 --items 6`.
"""
from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import duckdb

from tools.localserver import GrowingFeed, LocalServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def readable_urls(out: str) -> set[str]:
    if not any(files for _d, _s, files in os.walk(os.path.join(out, "articles"))):
        return set()
    pattern = os.path.join(out, "articles", "*", "*.parquet")
    return {row[0] for row in duckdb.sql(f"SELECT url FROM read_parquet('{pattern}')").fetchall()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--poll-interval", type=float, default=5)
    parser.add_argument("--window", type=float, default=10)
    parser.add_argument("--items", type=int, default=6)
    args = parser.parse_args(argv)
    feed = GrowingFeed()
    rng = random.Random(7)
    with LocalServer(routes=feed.routes()) as server, tempfile.TemporaryDirectory() as tmp:
        feeds, out = os.path.join(tmp, "feeds.txt"), os.path.join(tmp, "out")
        with open(feeds, "w") as handle:
            handle.write(server.url("/live/feed.xml") + "\n")
        feed.add(server.base_url, 1)
        proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "run", "--streaming", "--feeds", feeds,
                                 "--output", out, "--poll-interval", str(args.poll_interval), "--window",
                                 str(args.window), "--allow-private-networks"], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        latencies = []
        try:
            deadline = time.monotonic() + 120
            while not readable_urls(out) and time.monotonic() < deadline:
                time.sleep(0.2)
            for _ in range(args.items):
                time.sleep(rng.uniform(0, args.poll_interval + args.window))   # a random moment
                [link] = feed.add(server.base_url, 1)
                added = time.monotonic()
                while link not in readable_urls(out):
                    if time.monotonic() - added > 3 * (args.poll_interval + args.window) + 30:
                        raise SystemExit(f"{link} never became readable")
                    time.sleep(0.1)
                latencies.append(time.monotonic() - added)
                print(f"item {len(latencies)}: readable after {latencies[-1]:.1f} s", flush=True)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=2 * args.window + 30)
    print(f"poll interval {args.poll_interval:g} s, window {args.window:g} s, {len(latencies)} items: "
          f"min {min(latencies):.1f} s, median {statistics.median(latencies):.1f} s, max {max(latencies):.1f} s "
          f"(bound: poll interval + window + processing)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
