"""Politeness without Beam: retry rules, backoff, Retry-After, per-host throttling and slots, robots.txt."""
import concurrent.futures
import dataclasses
import random
import threading

import pytest
from protego import Protego

from tools.localserver import LocalServer, send
from transforms import httpfetch, politeness
from transforms.httpfetch import FetchError
from transforms.politeness import PolitenessConfig

FAST = PolitenessConfig(per_host_rate=0, retries=2, backoff=0.01, max_retry_wait=1.0)


class FakeClock:
    """A clock that only moves when someone sleeps: timing rules become exact assertions."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []
        self._lock = threading.Lock()

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        with self._lock:
            self.sleeps.append(round(seconds, 6))
            self.now += seconds


@pytest.mark.parametrize("error,retry", [
    (FetchError("http_429", "", 429), True), (FetchError("http_503", "", 503), True),
    (FetchError("http_500", "", 500), True), (FetchError("timeout", ""), True),
    (FetchError("connection_error", ""), True), (FetchError("truncated", ""), True),
    (FetchError("http_404", "", 404), False), (FetchError("http_403", "", 403), False),
    (FetchError("http_410", "", 410), False), (FetchError("blocked_address", ""), False),
    (FetchError("not_html", "", 200), False), (FetchError("too_large", ""), False),
    (FetchError("bot_wall", "", 503), False),
])
def test_only_transient_failures_are_retried(error, retry):
    assert politeness.is_retryable(error) is retry


def test_retry_after_forms():
    assert httpfetch.parse_retry_after("120") == 120.0
    assert httpfetch.parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert httpfetch.parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0) == 0.0
    assert httpfetch.parse_retry_after("soon") is None
    assert httpfetch.parse_retry_after(None) is None


def test_backoff_doubles_with_jitter_and_retry_after_wins():
    config = PolitenessConfig(backoff=1.0, max_retry_wait=60)
    rng = random.Random(7)
    for attempt in range(5):
        delay = politeness.backoff_delay(attempt, config, None, rng)
        assert 2 ** attempt / 2 <= delay <= 2 ** attempt
    assert politeness.backoff_delay(0, config, 5.0, rng) == 5.0
    assert politeness.backoff_delay(0, config, 61.0, rng) is None      # too long: give up
    assert politeness.backoff_delay(20, config, None, rng) <= 60        # capped


def _failing_then(results):
    calls = []

    def request():
        calls.append(1)
        outcome = results[min(len(calls), len(results)) - 1]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome
    return request, calls


def test_retries_are_bounded_and_report_the_attempts():
    clock = FakeClock()
    request, calls = _failing_then([FetchError("http_503", "HTTP 503", 503)])
    with pytest.raises(FetchError) as failed:
        politeness.call_with_retries(request, FAST, sleep=clock.sleep)
    assert len(calls) == 3
    assert failed.value.reason == "http_503"
    assert "gave up after 3 attempts" in str(failed.value)


def test_a_404_is_tried_once():
    request, calls = _failing_then([FetchError("http_404", "HTTP 404", 404)])
    with pytest.raises(FetchError):
        politeness.call_with_retries(request, FAST, sleep=lambda s: None)
    assert len(calls) == 1


def test_retry_after_is_waited_and_pauses_the_host():
    clock = FakeClock()
    paused = []
    request, calls = _failing_then([FetchError("http_429", "HTTP 429", 429, retry_after=0.7), "ok"])
    assert politeness.call_with_retries(request, FAST, on_retry_after=paused.append, sleep=clock.sleep) == "ok"
    assert clock.sleeps == [0.7] and paused == [0.7] and len(calls) == 2


def test_a_retry_after_longer_than_allowed_ends_at_once():
    request, calls = _failing_then([FetchError("http_429", "HTTP 429", 429, retry_after=3600)])
    with pytest.raises(FetchError) as failed:
        politeness.call_with_retries(request, FAST, sleep=lambda s: None)
    assert len(calls) == 1 and "exceeds" in str(failed.value)


def test_throttle_spaces_requests_and_honours_defer():
    clock = FakeClock()
    throttle = politeness.HostThrottle(0.5, clock, clock.sleep)
    for _ in range(3):
        throttle.wait_turn()
    assert clock.sleeps == [0.5, 0.5]
    throttle.at_least(2.0)       # Crawl-delay raises the spacing
    throttle.at_least(0.1)       # and is never lowered
    throttle.wait_turn()
    throttle.defer(10)           # Retry-After pauses the host
    throttle.wait_turn()
    assert clock.sleeps[2:] == [0.5, 10.0]


def test_scheduler_limits_each_host_but_not_other_hosts():
    pool = concurrent.futures.ThreadPoolExecutor(8)
    scheduler = politeness.HostScheduler(pool, per_host=2)
    running = {"slow": 0, "fast": 0}
    peak = {"slow": 0, "fast": 0}
    lock = threading.Lock()
    release = threading.Event()

    def task(host):
        with lock:
            running[host] += 1
            peak[host] = max(peak[host], running[host])
        if host == "slow":
            release.wait(5)
        with lock:
            running[host] -= 1
        return host

    slow = [scheduler.submit("slow", task, "slow") for _ in range(6)]
    fast = [scheduler.submit("fast", task, "fast") for _ in range(6)]
    # Every fast task completes while the slow host's tasks are still held back.
    assert [f.result(timeout=5) for f in fast] == ["fast"] * 6
    assert not any(f.done() for f in slow)
    release.set()
    assert [f.result(timeout=5) for f in slow] == ["slow"] * 6
    assert peak["slow"] == 2 and peak["fast"] <= 2
    pool.shutdown()


def test_scheduler_passes_exceptions_on():
    pool = concurrent.futures.ThreadPoolExecutor(2)
    future = politeness.HostScheduler(pool, 1).submit("h", lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        future.result(timeout=5)
    pool.shutdown()


def test_host_key_and_robots_url():
    assert politeness.host_key("https://News.Example.com./a?b") == "news.example.com:443"
    assert politeness.host_key("http://example.com:8080/a") == "example.com:8080"
    assert politeness.host_key("http://[::1/x") == ""
    assert politeness.host_key("file://localhost/etc/passwd") == ""
    assert politeness.robots_url("http://user:pw@example.com:8080/a/b?c") == "http://example.com:8080/robots.txt"


ROBOTS = b"""User-agent: *
Disallow: /private/
Allow: /private/open.html
Disallow: /*.pdf$

User-agent: otherbot
Disallow: /
"""


def _robots_site(robots_status=200, robots=ROBOTS, delay=None):
    body = robots.replace(b"User-agent: *\n", b"User-agent: *\nCrawl-delay: %d\n" % delay) if delay else robots
    routes = {"/robots.txt": lambda h: send(h, robots_status, body, "text/plain"),
              "/a.html": lambda h: send(h, 200, b"<p>a</p>", "text/html"),
              "/private/open.html": lambda h: send(h, 200, b"<p>o</p>", "text/html"),
              "/private/closed.html": lambda h: send(h, 200, b"<p>c</p>", "text/html")}
    return LocalServer(routes=routes)


def _fetcher(polite=FAST, **kwargs):
    config = httpfetch.FetchConfig(read_timeout=1, deadline=2, allow_private=True)
    return politeness.PoliteFetcher(config, polite, **kwargs)


def test_robots_txt_is_fetched_once_and_honoured():
    with _robots_site() as site:
        fetcher = _fetcher()
        assert fetcher.fetch(site.url("/a.html")).body == b"<p>a</p>"
        assert fetcher.fetch(site.url("/private/open.html")).status == 200   # longest match wins
        for path in ("/private/closed.html", "/files/report.pdf"):
            with pytest.raises(FetchError) as refused:
                fetcher.fetch(site.url(path))
            assert refused.value.reason == "robots_disallowed"
        assert site.requests == 3   # robots.txt once, two pages; the disallowed ones never requested


def test_missing_robots_txt_allows_everything():
    with _robots_site(robots_status=404) as site:
        assert _fetcher().fetch(site.url("/private/closed.html")).status == 200


def test_unreachable_robots_txt_disallows_the_host():
    with _robots_site(robots_status=503) as site:
        with pytest.raises(FetchError) as refused:
            _fetcher().fetch(site.url("/a.html"))
    assert refused.value.reason == "http_503"
    assert "robots.txt" in str(refused.value) and "RFC 9309" in str(refused.value)


def test_crawl_delay_spaces_requests_and_a_huge_one_is_refused():
    clock = FakeClock()
    with _robots_site(delay=3) as site:
        fetcher = _fetcher(clock=clock, sleep=clock.sleep)
        fetcher.fetch(site.url("/a.html"))
        fetcher.fetch(site.url("/a.html"))
        assert 3.0 in clock.sleeps
        strict = _fetcher(dataclasses.replace(FAST, max_crawl_delay=2))
        with pytest.raises(FetchError) as refused:
            strict.fetch(site.url("/a.html"))
    assert refused.value.reason == "crawl_delay_too_long"


def test_robots_can_be_ignored():
    with _robots_site() as site:
        fetcher = _fetcher(dataclasses.replace(FAST, obey_robots=False))
        assert fetcher.fetch(site.url("/private/closed.html")).status == 200
        assert site.requests == 1


def test_concurrent_first_requests_share_one_robots_fetch():
    with _robots_site() as site:
        fetcher = _fetcher()
        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            list(pool.map(lambda _i: fetcher.fetch(site.url("/a.html")), range(6)))
        assert site.requests == 7




def test_robots_groups_and_rates():
    agent = "newsbeam/0.1 (+https://github.com/newsbeam/newsbeam)"
    own_group = politeness.RobotsRules(parser=Protego.parse(
        "User-agent: newsbeam\nDisallow: /drafts/\nCrawl-delay: 2.5\n\nUser-agent: *\nDisallow: /\n"))
    assert own_group.allowed("http://h/news/a.html", agent) and not own_group.allowed("http://h/drafts/a", agent)
    assert own_group.crawl_delay(agent) == 2.5
    rate = politeness.RobotsRules(parser=Protego.parse("User-agent: *\nRequest-rate: 1/5\n"))
    assert rate.crawl_delay(agent) == 5.0
    assert politeness.RobotsRules().allowed("http://h/x", agent)     # no robots.txt: all allowed
