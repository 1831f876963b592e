"""Politeness: robots.txt, per-host concurrency and rate, retries with backoff. No Beam in here.

The state (robots rules, per-host throttles, per-host slots) lives in one `PoliteFetcher` per
worker, created in the fetch DoFn's setup(); docs/design.md says why that is enough and what the
keyed-state alternative would be.
"""
from __future__ import annotations

import collections
import concurrent.futures
import dataclasses
import random
import threading
import time
import urllib.parse

from protego import Protego

from transforms import httpfetch


# RFC 9309 section 2.5: crawlers should not use a cached robots.txt for more than 24 hours.
ROBOTS_TTL = 24 * 3600.0
# RFC 9309 section 2.5: a parser must handle at least 500 KiB; more is ignored.
ROBOTS_MAX_BYTES = 500 * 1024
# Reasons after which a request may succeed if repeated: the server was busy or the network failed.
RETRYABLE_REASONS = frozenset({"timeout", "connection_error", "truncated"})


@dataclasses.dataclass(frozen=True)
class PolitenessConfig:
    per_host_concurrency: int = 2
    per_host_rate: float = 2.0       # request starts per second and host; 0 = no limit
    retries: int = 3                 # extra attempts after the first
    backoff: float = 1.0             # seconds before the first retry; doubles each time, with jitter
    max_retry_wait: float = 60.0     # longest single wait (Retry-After or backoff) before giving up
    obey_robots: bool = True
    max_crawl_delay: float = 30.0    # a host asking for more is not crawled (dead letter)


def host_key(url: str) -> str:
    """The politeness unit: 'host:port' of an http(s) URL, lowercased; '' for anything else (such
    links are refused without a request, so they need neither robots.txt nor a throttle)."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https"):
        return ""
    return f"{(parts.hostname or '').rstrip('.').lower()}:{port}"


def is_retryable(error: httpfetch.FetchError) -> bool:
    """429, 5xx, timeouts, resets and truncated bodies are retried; other 4xx and refusals are not."""
    status = error.http_status
    if error.reason.startswith("http_") and status is not None:
        return status == 429 or status >= 500
    return error.reason in RETRYABLE_REASONS


def backoff_delay(attempt: int, config: PolitenessConfig, retry_after: float | None,
                  rng: random.Random) -> float | None:
    """Seconds to wait before retry number `attempt + 1`, or None to give up.

    The server's Retry-After wins when given; otherwise exponential backoff with "equal jitter"
    (half fixed, half random), so that many workers retrying one host do not return in step.
    A wait longer than `max_retry_wait` is not made: the entry becomes a dead letter instead.
    """
    if retry_after is not None:
        return retry_after if retry_after <= config.max_retry_wait else None
    base = min(config.max_retry_wait, config.backoff * (2 ** attempt))
    return base / 2 + rng.uniform(0, base / 2)


def call_with_retries(request, config: PolitenessConfig, before_attempt=lambda: None,
                      on_retry_after=lambda seconds: None, sleep=time.sleep, rng=None):
    """`request()` repeated on retryable FetchErrors, at most `config.retries` more times.

    `before_attempt` runs before every attempt (the host's rate limit); `on_retry_after` is told
    when the server asked for a pause, so that the whole host pauses, not just this request.
    The last error is raised with the number of attempts in its message.
    """
    rng = rng or random.Random()
    attempt = 0
    while True:
        before_attempt()
        try:
            return request()
        except httpfetch.FetchError as err:
            if not is_retryable(err):
                raise
            if attempt >= config.retries:
                raise _with_note(err, f"gave up after {attempt + 1} attempts") from None
            wait = backoff_delay(attempt, config, err.retry_after, rng)
            if wait is None:
                raise _with_note(err, f"Retry-After {err.retry_after:.0f} s exceeds the "
                                      f"{config.max_retry_wait:.0f} s --max-retry-wait") from None
            if err.retry_after is not None:
                on_retry_after(wait)
            sleep(wait)
            attempt += 1


def _with_note(err: httpfetch.FetchError, note: str) -> httpfetch.FetchError:
    return httpfetch.FetchError(err.reason, f"{err} ({note})", err.http_status, err.retry_after, err.body)


class HostThrottle:
    """Spaces the request starts to one host at least `interval` seconds apart (thread-safe)."""

    def __init__(self, interval: float, clock=time.monotonic, sleep=time.sleep):
        self._interval = interval
        self._next = 0.0
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def at_least(self, interval: float):
        """Raise the spacing (robots.txt Crawl-delay); never lowers it."""
        with self._lock:
            self._interval = max(self._interval, interval)

    def defer(self, seconds: float):
        """No request to this host for `seconds` from now (the server sent Retry-After)."""
        with self._lock:
            self._next = max(self._next, self._clock() + seconds)

    def wait_turn(self):
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self._interval
        if start > now:
            self._sleep(start - now)


class HostScheduler:
    """Runs tasks on a thread pool with at most `per_host` running for any one host.

    Tasks beyond the limit wait in a per-host queue, not on a pool thread, so a slow or throttled
    host never occupies the whole pool while other hosts' tasks wait: different hosts proceed in
    parallel. `submit` returns a Future that completes with the task.
    """

    def __init__(self, pool: concurrent.futures.Executor, per_host: int):
        if per_host < 1:
            raise ValueError("per_host must be at least 1")
        self._pool = pool
        self._per_host = per_host
        self._lock = threading.Lock()
        self._running = collections.Counter()
        self._waiting = collections.defaultdict(collections.deque)

    def submit(self, host: str, fn, *args) -> concurrent.futures.Future:
        outer = concurrent.futures.Future()
        with self._lock:
            start = self._running[host] < self._per_host
            if start:
                self._running[host] += 1
            else:
                self._waiting[host].append((outer, fn, args))
        if start:
            self._start(host, outer, fn, args)
        return outer

    def _start(self, host, outer, fn, args):
        inner = self._pool.submit(fn, *args)
        inner.add_done_callback(lambda done: self._finished(host, outer, done))

    def _finished(self, host, outer, inner):
        with self._lock:
            queue = self._waiting.get(host)
            following = queue.popleft() if queue else None
            if following is None:
                self._running[host] -= 1
                if not self._running[host]:
                    del self._running[host]
                self._waiting.pop(host, None)
        if following is not None:
            self._start(host, *following)
        if inner.cancelled():
            outer.cancel()
        elif inner.exception() is not None:
            outer.set_exception(inner.exception())
        else:
            outer.set_result(inner.result())


@dataclasses.dataclass(frozen=True)
class RobotsRules:
    """What a host's robots.txt says; `unreachable` holds the error when it could not be read."""

    parser: Protego | None = None
    unreachable: httpfetch.FetchError | None = None

    def allowed(self, url: str, user_agent: str) -> bool:
        return self.parser is None or self.parser.can_fetch(url, user_agent)

    def crawl_delay(self, user_agent: str) -> float:
        if self.parser is None:
            return 0.0
        delay = self.parser.crawl_delay(user_agent)
        rate = self.parser.request_rate(user_agent)
        from_rate = rate.seconds / rate.requests if rate and rate.requests else 0.0
        return max(float(delay or 0.0), from_rate)


def robots_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc.rsplit("@", 1)[-1], "/robots.txt", "", ""))


def rules_from_fetch(fetch_robots) -> RobotsRules:
    """RobotsRules from calling `fetch_robots()` (-> httpfetch.Response), following RFC 9309 2.3.1:
    a 2xx body is parsed; 4xx means no rules; a server error, 429 or network failure means the
    file is unreachable, and then the host must be treated as fully disallowed. Anything else (a
    refused redirect, an oversized file) gives no usable rules: the article's own fetch is still
    vetted on its own."""
    try:
        response = fetch_robots()
    except httpfetch.FetchError as err:
        if is_retryable(err) or err.reason == "tls_error":
            return RobotsRules(unreachable=err)
        return RobotsRules()
    text = response.body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
    return RobotsRules(parser=Protego.parse(text))


class PoliteFetcher:
    """httpfetch.fetch with robots.txt, per-host throttling and retries; one per worker, thread-safe."""

    def __init__(self, config: httpfetch.FetchConfig, politeness: PolitenessConfig,
                 fetch=httpfetch.fetch, clock=time.monotonic, sleep=time.sleep):
        self._config = config
        self._politeness = politeness
        self._fetch = fetch
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._throttles: dict[str, HostThrottle] = {}
        self._robots: dict[str, tuple[float, RobotsRules]] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        interval = 1.0 / politeness.per_host_rate if politeness.per_host_rate > 0 else 0.0
        self._interval = interval

    def fetch(self, url: str, wall_check=None) -> httpfetch.Response:
        """The response for `url`, or FetchError (robots_disallowed, crawl_delay_too_long, or the
        fetch's own reason). `wall_check(error)` may turn an error response into a non-retryable
        error (a bot wall answering 503 is not busy, it is a wall)."""
        host = host_key(url)
        throttle = self._throttle(host)
        if self._politeness.obey_robots and host:
            self._check_robots(url, host, throttle)

        def request():
            try:
                return self._fetch(url, self._config)
            except httpfetch.FetchError as err:
                raise (wall_check(err) if wall_check else None) or err from None

        return call_with_retries(request, self._politeness, throttle.wait_turn, throttle.defer, self._sleep)

    def _throttle(self, host: str) -> HostThrottle:
        with self._lock:
            if host not in self._throttles:
                self._throttles[host] = HostThrottle(self._interval, self._clock, self._sleep)
            return self._throttles[host]

    def _check_robots(self, url: str, host: str, throttle: HostThrottle):
        rules = self.robots_rules(url, host, throttle)
        agent = self._config.user_agent
        if rules.unreachable is not None:
            err = rules.unreachable
            raise httpfetch.FetchError(err.reason, f"robots.txt of {host} could not be read ({err}); "
                                       "the host is treated as disallowed (RFC 9309)", err.http_status)
        if not rules.allowed(url, agent):
            raise httpfetch.FetchError("robots_disallowed", f"robots.txt of {host} disallows {url}")
        delay = rules.crawl_delay(agent)
        if delay > self._politeness.max_crawl_delay:
            raise httpfetch.FetchError("crawl_delay_too_long", f"robots.txt of {host} asks for {delay:g} s "
                                       f"between requests, more than --max-crawl-delay "
                                       f"{self._politeness.max_crawl_delay:g}")
        throttle.at_least(delay)

    def robots_rules(self, url: str, host: str, throttle: HostThrottle) -> RobotsRules:
        """The host's rules, fetched once per host (per TTL) however many threads ask at once."""
        with self._lock:
            host_lock = self._robots_locks.setdefault(host, threading.Lock())
        with host_lock:
            cached = self._robots.get(host)
            if cached and self._clock() - cached[0] < ROBOTS_TTL:
                return cached[1]
            config = dataclasses.replace(self._config, max_bytes=max(self._config.max_bytes, ROBOTS_MAX_BYTES))
            target = robots_url(url)
            rules = rules_from_fetch(lambda: call_with_retries(
                lambda: self._fetch(target, config, accept_types=None), self._politeness,
                throttle.wait_turn, throttle.defer, self._sleep))
            self._robots[host] = (self._clock(), rules)
            return rules
