"""newsbeam's own pipeline flags; standard Beam flags (--runner, --project, ...) pass through."""
from __future__ import annotations

import datetime as dt
import re
import uuid

from apache_beam.options.pipeline_options import PipelineOptions

from transforms.httpfetch import FetchConfig
from transforms.politeness import PolitenessConfig
from transforms.sinks import is_safe_run_id

DEFAULT_USER_AGENT = FetchConfig.user_agent
_PUBSUB_PATH = re.compile(r"^projects/[a-z][-a-z0-9.:]{2,62}/(topics|subscriptions)/[A-Za-z][-A-Za-z0-9_.~+%]{2,254}$")


class NewsbeamOptions(PipelineOptions):
    @classmethod
    def _add_argparse_args(cls, parser):
        parser.add_argument("--feeds", dest="feeds", default=None,
                            help="Feed list: a text file with one URL per line ('#' comments) or an OPML file.")
        parser.add_argument("--output", dest="output", default=None,
                            help="Output directory (local path or gs://bucket/prefix).")
        parser.add_argument("--allow-private-networks", "--allow_private_networks", dest="allow_private_networks",
                            action="store_true", default=False,
                            help="Allow fetching from loopback, private, link-local and reserved addresses.")
        parser.add_argument("--allow-hosts", "--allow_hosts", dest="allow_hosts", default="",
                            help="Comma-separated HOST or HOST:PORT that may be fetched even when they "
                                 "resolve to private addresses (a precise alternative to the flag above).")
        parser.add_argument("--fetch-user-agent", "--fetch_user_agent", dest="fetch_user_agent", default=DEFAULT_USER_AGENT,
                            help="User-Agent header sent with every request.")
        parser.add_argument("--fetch-concurrency", "--fetch_concurrency", dest="fetch_concurrency", type=int,
                            default=16, help="Requests in flight per worker.")
        parser.add_argument("--connect-timeout", "--connect_timeout", dest="connect_timeout", type=float,
                            default=FetchConfig.connect_timeout, help="Seconds to establish a connection.")
        parser.add_argument("--read-timeout", "--read_timeout", dest="read_timeout", type=float,
                            default=FetchConfig.read_timeout, help="Seconds of silence before a read fails.")
        parser.add_argument("--page-deadline", "--page_deadline", dest="page_deadline", type=float,
                            default=FetchConfig.deadline, help="Seconds for a whole request, redirects included.")
        parser.add_argument("--max-page-bytes", "--max_page_bytes", dest="max_page_bytes", type=int,
                            default=FetchConfig.max_bytes, help="Largest response body read (after decompression).")
        parser.add_argument("--max-redirects", "--max_redirects", dest="max_redirects", type=int,
                            default=FetchConfig.max_redirects, help="Redirects followed per request.")
        parser.add_argument("--dedup-horizon-days", "--dedup_horizon_days", dest="dedup_horizon_days", type=float,
                            default=7.0, help="Days an article stays in the syndication state (and, across "
                                              "runs, how far back stored articles are compared).")
        parser.add_argument("--per-host-concurrency", "--per_host_concurrency", dest="per_host_concurrency", type=int,
                            default=PolitenessConfig.per_host_concurrency,
                            help="Requests in flight to one host per worker (other hosts proceed in parallel).")
        parser.add_argument("--per-host-rate", "--per_host_rate", dest="per_host_rate", type=float,
                            default=PolitenessConfig.per_host_rate,
                            help="Request starts per second to one host per worker; 0 for no limit. "
                                 "A robots.txt Crawl-delay slows it further.")
        parser.add_argument("--fetch-retries", "--fetch_retries", dest="fetch_retries", type=int,
                            default=PolitenessConfig.retries,
                            help="Retries after 429, 5xx, timeouts and connection resets (other 4xx: none).")
        parser.add_argument("--retry-backoff", "--retry_backoff", dest="retry_backoff", type=float,
                            default=PolitenessConfig.backoff,
                            help="Seconds before the first retry; doubles each retry, with jitter. "
                                 "A Retry-After header overrides it.")
        parser.add_argument("--max-retry-wait", "--max_retry_wait", dest="max_retry_wait", type=float,
                            default=PolitenessConfig.max_retry_wait,
                            help="Longest wait before a retry; a longer Retry-After ends the entry as a dead letter.")
        parser.add_argument("--ignore-robots", "--ignore_robots", dest="ignore_robots", action="store_true",
                            default=False, help="Do not fetch or honour robots.txt (only for sites you run).")
        parser.add_argument("--max-crawl-delay", "--max_crawl_delay", dest="max_crawl_delay", type=float,
                            default=PolitenessConfig.max_crawl_delay,
                            help="A host whose robots.txt Crawl-delay is longer is not crawled "
                                 "(dead letter crawl_delay_too_long).")
        parser.add_argument("--no-near-duplicates", "--no_near_duplicates", dest="no_near_duplicates",
                            action="store_true", default=False,
                            help="Mark only URL and exact copies; skip MinHash clustering of near copies.")
        parser.add_argument("--run-id", "--run_id", dest="run_id", default=None,
                            help="Identifier of this run, used in file names (default: time + random); "
                                 "letters, digits, '.', '_' and '-' only.")
        # Streaming (with Beam's own --streaming flag).
        parser.add_argument("--poll-interval", "--poll_interval", dest="poll_interval", type=float, default=300.0,
                            help="Streaming: seconds between polls of every feed (the launcher's ticks).")
        parser.add_argument("--window", dest="window", type=float, default=60.0,
                            help="Streaming: seconds per ingest window; each window's rows become a few "
                                 "Parquet files per partition, and a progress line is printed per window.")
        parser.add_argument("--tick-subscription", "--tick_subscription", dest="tick_subscription", default=None,
                            help="Streaming: projects/P/subscriptions/S of poll ticks (on Dataflow, fed by Cloud "
                                 "Scheduler; locally the launcher creates one and publishes the ticks itself).")
        parser.add_argument("--input-subscription", "--input_subscription", dest="input_subscription", default=None,
                            help='Streaming: projects/P/subscriptions/S of JSON requests, {"feed_url": ...} '
                                 'to poll a feed now or {"url": ...} to ingest one article.')
        parser.add_argument("--output-topic", "--output_topic", dest="output_topic", default=None,
                            help="Streaming: projects/P/topics/T that receives one JSON event per article row "
                                 "written, once its Parquet file is final.")

    def fetch_config(self) -> FetchConfig:
        return FetchConfig(user_agent=self.fetch_user_agent, connect_timeout=self.connect_timeout,
                           read_timeout=self.read_timeout, deadline=self.page_deadline,
                           max_bytes=self.max_page_bytes, max_redirects=self.max_redirects,
                           allow_private=self.allow_private_networks,
                           allow_hosts=tuple(h.strip().lower() for h in self.allow_hosts.split(",") if h.strip()))

    def politeness(self) -> PolitenessConfig:
        return PolitenessConfig(per_host_concurrency=self.per_host_concurrency, per_host_rate=self.per_host_rate,
                                retries=self.fetch_retries, backoff=self.retry_backoff,
                                max_retry_wait=self.max_retry_wait, obey_robots=not self.ignore_robots,
                                max_crawl_delay=self.max_crawl_delay)

    def validate_newsbeam(self) -> list[str]:
        """Problems with the flags, as messages for the user (empty when all is well)."""
        problems = []
        if not self.feeds:
            problems.append("--feeds FEEDS is required")
        if not self.output:
            problems.append("--output DIR is required")
        for name in ("fetch_concurrency", "max_page_bytes", "per_host_concurrency"):
            if getattr(self, name) < 1:
                problems.append(f"--{name.replace('_', '-')} must be at least 1")
        for name in ("connect_timeout", "read_timeout", "page_deadline"):
            if getattr(self, name) <= 0:
                problems.append(f"--{name.replace('_', '-')} must be positive")
        if self.dedup_horizon_days <= 0:
            problems.append("--dedup-horizon-days must be positive")
        for name in ("max_redirects", "fetch_retries", "per_host_rate", "retry_backoff", "max_retry_wait",
                     "max_crawl_delay"):
            if getattr(self, name) < 0:
                problems.append(f"--{name.replace('_', '-')} must not be negative")
        if not self.fetch_user_agent.strip() or not self.fetch_user_agent.isprintable():
            # A CR or LF here would inject headers into every request.
            problems.append("--fetch-user-agent must be printable text without line breaks")
        if self.run_id is not None and not is_safe_run_id(self.run_id):
            problems.append("--run-id may hold only letters, digits, '.', '_' and '-' (it becomes part of "
                            "file names), start with a letter or digit, and be at most 100 characters")
        for name in ("poll_interval", "window"):
            if getattr(self, name) <= 0:
                problems.append(f"--{name.replace('_', '-')} must be positive")
        for name, kind in (("tick_subscription", "subscriptions"), ("input_subscription", "subscriptions"),
                           ("output_topic", "topics")):
            value = getattr(self, name)
            match = _PUBSUB_PATH.match(value or "")
            if value and (not match or match.group(1) != kind):
                problems.append(f"--{name.replace('_', '-')} must look like projects/PROJECT/{kind}/NAME")
        return problems


def new_run_id() -> str:
    return f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
