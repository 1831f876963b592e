"""newsbeam's own pipeline flags; standard Beam flags (--runner, --project, ...) pass through."""
from __future__ import annotations

import datetime as dt
import uuid

from apache_beam.options.pipeline_options import PipelineOptions

from transforms.httpfetch import FetchConfig

DEFAULT_USER_AGENT = FetchConfig.user_agent


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
        parser.add_argument("--run-id", "--run_id", dest="run_id", default=None,
                            help="Identifier of this run, used in file names (default: time + random).")

    def fetch_config(self) -> FetchConfig:
        return FetchConfig(user_agent=self.fetch_user_agent, connect_timeout=self.connect_timeout,
                           read_timeout=self.read_timeout, deadline=self.page_deadline,
                           max_bytes=self.max_page_bytes, max_redirects=self.max_redirects,
                           allow_private=self.allow_private_networks,
                           allow_hosts=tuple(h.strip().lower() for h in self.allow_hosts.split(",") if h.strip()))

    def validate_newsbeam(self) -> list[str]:
        """Problems with the flags, as messages for the user (empty when all is well)."""
        problems = []
        if not self.feeds:
            problems.append("--feeds FEEDS is required")
        if not self.output:
            problems.append("--output DIR is required")
        for name in ("fetch_concurrency", "max_page_bytes"):
            if getattr(self, name) < 1:
                problems.append(f"--{name.replace('_', '-')} must be at least 1")
        for name in ("connect_timeout", "read_timeout", "page_deadline"):
            if getattr(self, name) <= 0:
                problems.append(f"--{name.replace('_', '-')} must be positive")
        if self.dedup_horizon_days <= 0:
            problems.append("--dedup-horizon-days must be positive")
        if self.max_redirects < 0:
            problems.append("--max-redirects must not be negative")
        return problems


def new_run_id() -> str:
    return f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
