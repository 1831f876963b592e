"""`newsbeam run --streaming` as a user runs it: the real Pub/Sub emulator, a feed that gains items
while it runs, input and output topics, and a drain on SIGTERM.

Without the emulator these tests skip, saying so; with CI=true (`.ci/run`) a missing emulator fails.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

import duckdb
import pytest

from conftest import ROOT
from pipeline.emulator import EmulatorMissing, PubsubEmulator
from tools.localserver import GrowingFeed, LocalServer

POLL, WINDOW = 2, 2
PROJECT = "newsbeam-test"


@pytest.fixture(scope="module")
def emulator():
    emulator = PubsubEmulator()
    try:
        emulator.start()
    except EmulatorMissing as err:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and the Pub/Sub emulator is missing: {err}")
        pytest.skip(f"Pub/Sub emulator not available on this machine: {err}")
    previous = os.environ.get("PUBSUB_EMULATOR_HOST")
    os.environ["PUBSUB_EMULATOR_HOST"] = emulator.host
    yield emulator
    if previous is None:
        os.environ.pop("PUBSUB_EMULATOR_HOST", None)
    else:
        os.environ["PUBSUB_EMULATOR_HOST"] = previous
    emulator.stop()


@pytest.fixture
def topics(emulator):
    """Fresh input and output topics and subscriptions for one test (messages outlive pipelines)."""
    from google.cloud import pubsub_v1
    publisher, subscriber = pubsub_v1.PublisherClient(), pubsub_v1.SubscriberClient()
    names = {}
    for kind in ("input", "output"):
        name = f"{kind}-{uuid.uuid4().hex[:10]}"
        names[f"{kind}_topic"] = publisher.create_topic(name=f"projects/{PROJECT}/topics/{name}").name
        names[f"{kind}_subscription"] = subscriber.create_subscription(
            name=f"projects/{PROJECT}/subscriptions/{name}", topic=names[f"{kind}_topic"]).name
    yield publisher, subscriber, names
    subscriber.close()


class Run:
    """`newsbeam run --streaming` in a subprocess, its console lines collected as they come."""

    def __init__(self, *args, env=None):
        self.lines = []
        self.proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "run", "--streaming", *args], cwd=ROOT,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip())

    def output(self) -> str:
        return "\n".join(self.lines)

    def stop(self, timeout: float, sig=signal.SIGTERM) -> tuple[int, float]:
        started = time.monotonic()
        self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"no exit {timeout} s after SIGTERM:\n{self.output()[-3000:]}")
        return code, time.monotonic() - started


def readable(out, table="articles") -> list[dict]:
    """Rows of every final Parquet file, read by DuckDB as a user would."""
    pattern = os.path.join(out, table, "*", "*.parquet")
    if not any(files for _d, _s, files in os.walk(os.path.join(out, table))):
        return []
    relation = duckdb.sql(f"SELECT * FROM read_parquet('{pattern}', hive_partitioning = true)")
    return [dict(zip(relation.columns, row)) for row in relation.fetchall()]


def wait_for(condition, timeout: float, what: str, run: Run):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if run.proc.poll() is not None:
            pytest.fail(f"newsbeam exited early ({run.proc.returncode}) while waiting for {what}:\n{run.output()[-3000:]}")
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout} s waiting for {what}:\n{run.output()[-3000:]}")


def pull_all(subscriber, subscription) -> list:
    messages = []
    while True:
        response = subscriber.pull(subscription=subscription, max_messages=100, timeout=5)
        if not response.received_messages:
            return messages
        subscriber.acknowledge(subscription=subscription, ack_ids=[m.ack_id for m in response.received_messages])
        messages.extend(m.message for m in response.received_messages)


def test_new_items_stream_to_parquet_and_topic_and_sigterm_drains(emulator, topics, tmp_path):
    publisher, subscriber, names = topics
    feed, other = GrowingFeed("/live"), GrowingFeed("/other")
    with LocalServer(routes={**feed.routes(), **other.routes()}) as server:
        feed.add(server.base_url, 2)
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(server.url("/live/feed.xml") + "\n")
        out = str(tmp_path / "out")
        run = Run("--feeds", str(feeds), "--output", out, "--poll-interval", str(POLL), "--window", str(WINDOW),
                  "--allow-private-networks", "--input-subscription", names["input_subscription"],
                  "--output-topic", names["output_topic"])
        try:
            # Start-up (Beam, the first poll) takes a few seconds; then items flow one window at a time.
            wait_for(lambda: len(readable(out)) == 2, 60, "the first two items", run)
            latencies = []
            for _round in range(2):
                added = feed.add(server.base_url, 2)
                started = time.monotonic()
                wait_for(lambda: set(added) <= {r["url"] for r in readable(out)}, POLL + WINDOW + 8,
                         "items added to the feed", run)
                latencies.append(time.monotonic() - started)
            print(f"\nlatency from item in feed to row readable (poll {POLL} s, window {WINDOW} s): "
                  + ", ".join(f"{s:.1f} s" for s in latencies))

            ingest = other.add(server.base_url, 1)[0]
            for data in (json.dumps({"url": ingest}).encode(), b"{not json", json.dumps({"url": ingest}).encode()):
                publisher.publish(names["input_topic"], data).result(timeout=10)
            wait_for(lambda: ingest in {r["url"] for r in readable(out)}, POLL + WINDOW + 8, "the requested URL", run)
            wait_for(lambda: any(d["stage"] == "input" for d in readable(out, "dead_letter")), WINDOW + 8,
                     "the bad message's dead letter", run)
            feed.add(server.base_url, 1)   # found by a poll shortly before the drain, at the latest by the last
            time.sleep(POLL)
        finally:
            code, took = run.stop(timeout=2 * WINDOW + 20)

    assert code == 0, run.output()[-3000:]
    print(f"drain: exit 0 {took:.1f} s after SIGTERM (window {WINDOW} s)")
    assert took <= 2 * WINDOW + 5, f"drain took {took:.1f} s"
    rows = readable(out)
    urls = [r["url"] for r in rows]
    assert len(urls) == len(set(urls)) == 2 + 4 + 1 + 1, urls              # every item, none twice
    assert set(urls) == {link for _n, link in feed.items} | {ingest}
    assert not os.path.exists(os.path.join(out, "_temporary"))
    files = [name for _d, _s, names in os.walk(os.path.join(out, "articles")) for name in names]
    assert all(name.endswith(".parquet") for name in files)
    windows = [name.split("-w")[1].split("-")[0] for name in files]
    assert len(windows) == len(set(windows)) < len(urls)                   # one file per window, not per row
    [dead] = readable(out, "dead_letter")
    assert (dead["stage"], dead["reason"]) == ("input", "bad_message")

    events = pull_all(subscriber, names["output_subscription"])
    bodies = [json.loads(m.data) for m in events]
    assert sorted(b["url"] for b in bodies) == sorted(urls)               # one event per row written
    assert all(b["partition"].startswith("ingest_date=") and b["article_id"] for b in bodies)
    assert {m.attributes["is_canonical"] for m in events} == {"true"}
    assert "articles written" in run.output()                              # a progress line per window
    assert "accounting:" in run.output() and "balanced" in run.output()


def test_a_restart_does_not_write_the_same_entries_again(emulator, tmp_path):
    feed = GrowingFeed("/again")
    with LocalServer(routes=feed.routes()) as server:
        feed.add(server.base_url, 3)
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(server.url("/again/feed.xml") + "\n")
        out = str(tmp_path / "out")
        args = ("--feeds", str(feeds), "--output", out, "--poll-interval", str(POLL), "--window", str(WINDOW),
                "--allow-private-networks")
        # The first run starts its own emulator (no PUBSUB_EMULATOR_HOST) and is stopped by Ctrl-C.
        first = Run(*args, env={k: v for k, v in os.environ.items() if k != "PUBSUB_EMULATOR_HOST"})
        try:
            wait_for(lambda: len(readable(out)) == 3, 60, "the first run's rows", first)
        finally:
            assert first.stop(timeout=2 * WINDOW + 20, sig=signal.SIGINT)[0] == 0, first.output()[-3000:]
        [started] = [line for line in first.lines if "started the Pub/Sub emulator on" in line]
        with pytest.raises(OSError):                                         # and stopped it on exit
            socket.create_connection(tuple(started.rsplit(" ", 1)[1].split(":")), timeout=2).close()
        feed.add(server.base_url, 1)
        second = Run(*args)
        try:
            wait_for(lambda: len(readable(out)) == 4, 60, "the new item", second)
            # Its first poll listed all four; the three the first run wrote counted as seen before.
            wait_for(lambda: any("entries 4 (seen before 3)" in line for line in second.lines), WINDOW + 5,
                     "a progress line", second)
        finally:
            assert second.stop(timeout=2 * WINDOW + 20)[0] == 0, second.output()[-3000:]
    urls = [r["url"] for r in readable(out)]
    assert sorted(urls) == sorted(link for _n, link in feed.items)         # the first three only once


def test_missing_emulator_is_explained(tmp_path):
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("http://127.0.0.1:9/feed.xml\n")
    env = {k: v for k, v in os.environ.items() if k != "PUBSUB_EMULATOR_HOST"}
    env["PATH"] = os.path.dirname(sys.executable)           # no gcloud here
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--streaming", "--feeds", str(feeds),
                             "--output", str(tmp_path / "out"), "--poll-interval", "1", "--window", "1"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "gcloud components install pubsub-emulator" in result.stderr
    assert "PUBSUB_EMULATOR_HOST" in result.stderr
