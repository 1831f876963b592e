"""Streaming mode: the emulator's lifecycle, the poll ticks, a progress line per window, and the drain.

Locally the pipeline runs on Beam's BundleBasedDirectRunner with `--streaming`, reading poll ticks
from a Pub/Sub subscription that this launcher creates and feeds (see docs/streaming.md for why a
subscription of ticks and not PeriodicImpulse). On Dataflow the ticks come from Cloud Scheduler
through `--tick-subscription`, and the launcher only builds and submits the graph.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
import math
import os
import signal
import sys
import threading
import time

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions

from pipeline.batch import RunSummary, _files, dry_run, graph_settings, job_graph_size, parse_run_args
from pipeline.emulator import PubsubEmulator
from pipeline.graph import StreamSettings, build_streaming
from pipeline.options import NewsbeamOptions
from transforms.deadletters import LOCAL_TALLY
from transforms.messages import HEARTBEAT, tick_message
from transforms.sinks import ARTICLES_TABLE, DEAD_LETTER_TABLE, temporary_folder

_log = logging.getLogger(__name__)

LOCAL_PROJECT = "newsbeam-local"
# Locally the watermark is the wall clock at each pull, and an empty pull blocks ~30 s: a small
# message every second keeps windows closing on time (notes: fired 0.3-0.7 s after their end).
HEARTBEAT_SECONDS = 1.0
# Seconds a drain may take beyond the two windows the contract allows, for cancel and clean-up.
DRAIN_SLACK_SECONDS = 2.0
LOCAL_RUNNERS = (None, "DirectRunner", "BundleBasedDirectRunner", "SwitchingDirectRunner")


def run(argv: list[str]) -> int:
    """`newsbeam run --streaming ...`: 0 after a clean drain, 1 if the pipeline failed or the drain
    could not account for every entry. Raises ValueError for bad flags, EmulatorMissing."""
    options, nb, feed_urls = parse_run_args(argv)
    options.view_as(StandardOptions).streaming = True
    runner = options.view_as(StandardOptions).runner
    if runner not in LOCAL_RUNNERS:
        return _submit(options, nb, feed_urls)
    return LocalStream(options, nb, feed_urls).run()


def _stream_settings(nb: NewsbeamOptions, tick_subscription: str | None) -> StreamSettings:
    return StreamSettings(poll_interval=nb.poll_interval, window=nb.window, tick_subscription=tick_subscription,
                          input_subscription=nb.input_subscription, output_topic=nb.output_topic)


def _submit(options: PipelineOptions, nb: NewsbeamOptions, feed_urls: list[str]) -> int:
    """Dataflow (or another remote runner): build the graph and submit it; ticks are Cloud Scheduler's."""
    if not nb.tick_subscription:
        raise ValueError("--tick-subscription projects/P/subscriptions/S is required on a remote runner "
                         "(Cloud Scheduler publishes the poll ticks there; see docs/streaming.md)")
    pipeline = beam.Pipeline(options=options)
    build_streaming(pipeline, feed_urls, graph_settings(nb, stored=not dry_run(options)),
                    _stream_settings(nb, nb.tick_subscription))
    result = pipeline.run()
    if dry_run(options):
        print(f"newsbeam run: streaming job graph built with {job_graph_size(result)} transforms; "
              f"not submitted (--dry_run)")
    else:
        print(f"newsbeam run: streaming job submitted: {getattr(result, 'job_id', lambda: '?')()}")
    return 0


class Ticker(threading.Thread):
    """Publishes a poll tick every `poll_interval` (the first at once) and a heartbeat every second."""

    def __init__(self, publisher, topic: str, poll_interval: float, publish_ticks: bool = True,
                 heartbeat_topics: tuple = ()):
        super().__init__(name="newsbeam-ticker", daemon=True)
        self._publisher = publisher
        self._topic = topic
        self._heartbeat_topics = (topic, *heartbeat_topics)
        self._interval = poll_interval
        self._ticks_on = publish_ticks
        self._halt = threading.Event()
        self.ticks_published = 0
        self.last_tick_at = None

    def run(self):
        next_tick = next_beat = time.time()
        while not self._halt.is_set():
            now = time.time()
            try:
                if self._ticks_on and now >= next_tick:
                    self._publish(tick_message(dt.datetime.fromtimestamp(now, dt.timezone.utc).isoformat()))
                    self.ticks_published += 1
                    self.last_tick_at = now
                    next_tick += self._interval * max(1, math.ceil((now - next_tick) / self._interval + 1e-9))
                if now >= next_beat:
                    for topic in self._heartbeat_topics:
                        self._publish(HEARTBEAT, topic)
                    next_beat = now + HEARTBEAT_SECONDS
            except Exception:  # noqa: BLE001 - a failed publish is retried on the next round
                _log.warning("publishing to %s failed; retrying", self._topic, exc_info=True)
            self._halt.wait(0.05)

    def _publish(self, data: bytes, topic: str | None = None):
        self._publisher.publish(topic or self._topic, data).result(timeout=10)

    def stop_ticks(self):
        self._ticks_on = False

    def stop(self):
        self._halt.set()
        self.join(timeout=15)


def drained(counters: dict, ticks_published: int, events: bool = False) -> bool:
    """True when every tick sent was received, every poll request ended as a poll or a backoff,
    every entry as a row, dead letter or skip, every row counted at the sinks is in a final file
    and, with `events`, every written row's event was accepted by Pub/Sub."""
    summary = RunSummary("", "", 0, counters, [], [])
    return (summary.count("ticks_received") >= ticks_published
            and (not events or summary.count("events_published") == summary.count(f"rows_committed.{ARTICLES_TABLE}"))
            and summary.count("poll_requests") == summary.count("feeds_polled") + summary.count("polls_backed_off")
            and summary.balanced()
            and all(summary.count(f"rows_committed.{t}") == summary.count(f"rows_written.{t}")
                    for t in (ARTICLES_TABLE, DEAD_LETTER_TABLE)))


def progress_line(counters: dict, window_start: float, window_end: float) -> str:
    """One console line per window: running totals of the Beam metrics."""
    c = RunSummary("", "", 0, counters, [], [])
    reasons = ", ".join(f"{stage}/{reason} {n}" for (stage, reason), n in c.dead_letters_by_reason().items())
    clock = lambda t: dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%H:%M:%S")  # noqa: E731
    return (f"[{clock(window_start)}-{clock(window_end)}] ticks {c.count('ticks_received')} | "
            f"feeds polled {c.count('feeds_polled')} (not modified {c.count('feeds_not_modified')}, "
            f"unchanged {c.count('feeds_unchanged')}, backed off {c.count('polls_backed_off')}) | "
            f"entries {c.count('entries_seen')} (seen before {c.count('skipped.seen_before')}) | "
            f"articles written {c.count(f'rows_committed.{ARTICLES_TABLE}')} | "
            f"duplicates {c.count('duplicates_marked')} | "
            f"dead letters {sum(c.dead_letters_by_reason().values())}" + (f" ({reasons})" if reasons else "")
            + (f" | events {c.count('events_published')}" if c.count("events_published") else ""))


class LocalStream:
    """One local streaming run: emulator and topics, pipeline, ticker, progress, drain."""

    def __init__(self, options: PipelineOptions, nb: NewsbeamOptions, feed_urls: list[str]):
        self._options = options
        self._nb = nb
        self._feed_urls = feed_urls
        self._stop = threading.Event()
        self._failure = []

    def run(self) -> int:
        with contextlib.ExitStack() as stack:
            # First, so that a signal during start-up also drains (and stops the emulator we start).
            stack.callback(_restore_signal_handlers, _install_signal_handlers(self._stop))
            if not os.environ.get("PUBSUB_EMULATOR_HOST"):
                emulator = stack.enter_context(PubsubEmulator())
                os.environ["PUBSUB_EMULATOR_HOST"] = emulator.host
                stack.callback(os.environ.pop, "PUBSUB_EMULATOR_HOST", None)
                print(f"newsbeam: started the Pub/Sub emulator on {emulator.host}", flush=True)
            settings = graph_settings(self._nb)      # earlier runs' files: entries never ingested twice
            LOCAL_TALLY.reset()
            topics = stack.enter_context(_Topics(self._nb, settings.run_id))
            pipeline = beam.Pipeline(runner=_local_runner(), options=self._options)
            build_streaming(pipeline, self._feed_urls, settings, _stream_settings(self._nb, topics.tick_subscription))
            result = pipeline.run()
            threading.Thread(target=self._watch, args=(result,), name="newsbeam-watch", daemon=True).start()
            ticker = Ticker(topics.publisher, topics.tick_topic, self._nb.poll_interval, topics.publish_ticks,
                            heartbeat_topics=topics.input_topics)
            ticker.start()
            print(f"newsbeam: streaming run {settings.run_id}: {len(self._feed_urls)} feeds every "
                  f"{self._nb.poll_interval:g} s, {self._nb.window:g} s windows, output {settings.output}; "
                  f"Ctrl-C or SIGTERM drains and stops", flush=True)
            self._report_until_stopped()
            complete = self._drain(result, ticker) if not self._failure else False
            ticker.stop()
            counters = LOCAL_TALLY.snapshot()
            summary = RunSummary(settings.run_id, settings.output, len(self._feed_urls), counters,
                                 _files(settings.output, ARTICLES_TABLE, settings.run_id),
                                 _files(settings.output, DEAD_LETTER_TABLE, settings.run_id), streaming=True)
            _remove_temporary(settings.output, settings.run_id)
        print(summary.render(), flush=True)
        if self._failure:
            print(f"newsbeam run: the pipeline failed: {self._failure[0]}", file=sys.stderr)
            return 1
        if not complete:
            print("newsbeam run: drain did not finish in time; some entries may not be written", file=sys.stderr)
            return 1
        return 0

    def _watch(self, result):
        try:
            result.wait_until_finish()
        except Exception as err:  # noqa: BLE001 - reported to the user, the run stops
            self._failure.append(f"{type(err).__name__}: {err}")
            self._stop.set()

    def _report_until_stopped(self):
        window = self._nb.window
        next_end = (math.floor(time.time() / window) + 1) * window
        while not self._stop.is_set():
            # A moment past the window's end, so that its files are in the counts.
            if self._stop.wait(max(0.0, next_end + min(1.0, window / 2) - time.time())):
                break
            print(progress_line(LOCAL_TALLY.snapshot(), next_end - window, next_end), flush=True)
            next_end += window * max(1, math.floor((time.time() - next_end) / window))

    def _drain(self, result, ticker: Ticker) -> bool:
        """Stop ticking, keep heartbeats until the window holding the last tick is written, then
        cancel. The local read acknowledges on pull, so cancelling at once would lose the open
        window (notes); on Dataflow, `gcloud dataflow jobs drain` does this."""
        started = time.time()
        ticker.stop_ticks()
        window = self._nb.window
        last = ticker.last_tick_at or started
        window_end = (math.floor(last / window) + 1) * window
        deadline = started + 2 * window + DRAIN_SLACK_SECONDS
        print(f"newsbeam: draining: polling stopped, writing the open window (until "
              f"{dt.datetime.fromtimestamp(window_end, dt.timezone.utc):%H:%M:%S} at least)", flush=True)
        complete = False
        while time.time() < deadline and not self._failure:
            if time.time() >= window_end and drained(LOCAL_TALLY.snapshot(), ticker.ticks_published,
                                                     events=bool(self._nb.output_topic)):
                complete = True
                break
            time.sleep(0.2)
        result.cancel()
        return complete


class _Topics:
    """The tick topic and subscription of this run (created here unless --tick-subscription is
    given, deleted at exit), and checks of the input subscription and output topic."""

    def __init__(self, nb: NewsbeamOptions, run_id: str):
        self._nb = nb
        self._run_id = run_id.lower().replace("_", "-")
        self._created = []

    def __enter__(self):
        from google.api_core import exceptions
        from google.cloud import pubsub_v1
        self.publisher = pubsub_v1.PublisherClient()
        self._subscriber = pubsub_v1.SubscriberClient()
        if self._nb.tick_subscription:
            self.tick_subscription = self._nb.tick_subscription
            self.tick_topic = self._subscriber.get_subscription(subscription=self.tick_subscription).topic
            self.publish_ticks = False   # someone else ticks; heartbeats still keep windows prompt
        else:
            self.tick_topic = f"projects/{LOCAL_PROJECT}/topics/newsbeam-ticks-{self._run_id}"
            self.tick_subscription = f"projects/{LOCAL_PROJECT}/subscriptions/newsbeam-ticks-{self._run_id}"
            self.publisher.create_topic(name=self.tick_topic)
            self._created.append(("topic", self.tick_topic))
            self._subscriber.create_subscription(name=self.tick_subscription, topic=self.tick_topic)
            self._created.append(("subscription", self.tick_subscription))
            self.publish_ticks = True
        self.input_topics = ()
        if self._nb.input_subscription:
            try:
                # Its topic gets heartbeats too: the local runner pulls one source at a time.
                self.input_topics = (self._subscriber.get_subscription(subscription=self._nb.input_subscription).topic,)
            except exceptions.NotFound:
                self.__exit__()
                raise ValueError(f"--input-subscription {self._nb.input_subscription} does not exist") from None
        if self._nb.output_topic:
            try:
                self.publisher.create_topic(name=self._nb.output_topic)   # the emulator starts empty
            except exceptions.AlreadyExists:
                pass
        return self

    def __exit__(self, *exc):
        for kind, name in reversed(self._created):
            try:
                if kind == "subscription":
                    self._subscriber.delete_subscription(subscription=name)
                else:
                    self.publisher.delete_topic(topic=name)
            except Exception:  # noqa: BLE001 - the emulator may already be gone; nothing to keep
                _log.debug("could not delete %s %s", kind, name, exc_info=True)
        self._subscriber.close()


def _local_runner():
    # The BundleBasedDirectRunner is the local executor that really streams (notes); naming it
    # also skips the DirectRunner's Prism attempt, which needs the internet.
    from apache_beam.runners.direct.direct_runner import BundleBasedDirectRunner
    return BundleBasedDirectRunner()


def _install_signal_handlers(stop: threading.Event) -> dict:
    def handler(signum, _frame):
        if stop.is_set():
            raise KeyboardInterrupt   # a second signal: stop without draining
        stop.set()
    return {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}


def _restore_signal_handlers(previous: dict):
    for sig, handler in previous.items():
        signal.signal(sig, handler)


def _remove_temporary(output: str, run_id: str):
    import shutil
    shutil.rmtree(temporary_folder(output, run_id), ignore_errors=True)
    with contextlib.suppress(OSError):
        os.rmdir(os.path.join(output, "_temporary"))
