"""`newsbeam run` against the fault-injecting server: every fault ends as exactly the outcome it names."""
import collections
import glob
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from conftest import ROOT
from tools.chaosserver import ARTICLE, CHAOS_ARGS, PAYWALLED, ChaosServer

# Generous: the run takes well under a minute; this only turns a hang into a failure.
RUN_BOUND_SECONDS = 240


def _rows(folder, table):
    return [row for path in glob.glob(str(folder / table / "ingest_date=*" / "*.parquet"))
            for row in pq.read_table(path).to_pylist()]


@pytest.fixture(scope="module")
def chaos_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("chaos")
    with ChaosServer() as server:
        feeds = tmp / "feeds.txt"
        feeds.write_text("\n".join(server.feed_urls()) + "\n")
        result = subprocess.run(
            [sys.executable, "-m", "pipeline.cli", "run", "--feeds", str(feeds), "--output", str(tmp / "out"),
             "--allow-hosts", f"127.0.0.1:{server.port}", *CHAOS_ARGS],
            cwd=ROOT, capture_output=True, text=True, timeout=RUN_BOUND_SECONDS)
        yield server, result, _rows(tmp / "out", "articles"), _rows(tmp / "out", "dead_letter")


def test_there_are_at_least_twenty_kinds_of_fault(chaos_run):
    server, _result, _articles, _dead = chaos_run
    kinds = {f.expect for f in server.faults + server.feed_faults}
    assert len(server.faults) + len(server.feed_faults) >= 40
    assert len(kinds) >= 20


def test_the_run_succeeds_and_balances(chaos_run):
    server, result, _articles, _dead = chaos_run
    assert result.returncode == 0, result.stderr[-3000:]
    entries = len(server.faults) + 2        # + one entry without a link, + one repeated guid
    articles = sum(1 for e in server.expected_entries().values() if e in (ARTICLE, PAYWALLED))
    dead = len(server.faults) - articles + 1
    assert f"{entries} entries = {articles} articles + {dead} dead letters + 1 skipped: balanced" in result.stdout


def test_every_fault_has_its_exact_outcome(chaos_run):
    server, _result, articles, dead = chaos_run
    got = {row["url"]: (row["stage"], row["reason"]) for row in dead if row["stage"] != "feed_entry"}
    for row in articles:
        got[row["url"]] = PAYWALLED if row["paywalled"] else ARTICLE
    expected = {**server.expected_entries(), **server.expected_feeds()}
    wrong = {url: (got.get(url), want) for url, want in expected.items() if got.get(url) != want}
    wrong.update({url: (outcome, None) for url, outcome in got.items() if url not in expected})
    assert not wrong, "\n".join(f"{url}: got {g}, expected {w}" for url, (g, w) in wrong.items())
    assert len(articles) + len(dead) == len(expected) + 1   # nothing twice; + the no_link entry
    assert [r["reason"] for r in dead if r["stage"] == "feed_entry"] == ["no_link"]
    assert all(r["message"] for r in dead)


def test_retries_follow_the_rules(chaos_run):
    server, _result, _articles, _dead = chaos_run
    hits = server.hits
    assert hits["/fault/not-found"] == 1               # 4xx: never retried
    assert hits["/fault/bot-wall-403"] == 1            # a wall is not retried either
    assert hits["/fault/js-challenge-503"] == 1
    assert hits["/fault/always-500"] == 3              # 1 + --fetch-retries 2
    assert hits["/fault/unavailable-then-ok"] == 2
    assert hits["/fault/rate-limited-then-ok"] == 2    # waited out Retry-After: 1
    assert hits["/fault/rate-limited-too-long"] == 1   # Retry-After: 120 > --max-retry-wait: no retry
    assert hits["/feeds/feed-500.xml"] == 3            # feeds are retried too
    assert hits["/robots.txt"] == 1                    # once per host, for 40-odd entries


def test_content_survives_the_faults(chaos_run):
    _server, _result, articles, dead = chaos_run
    by_path = {row["url"].rsplit("/", 1)[1]: row for row in articles}
    for path in ("wrong-charset", "undeclared-charset", "meta-charset-only"):
        assert "Café Zürich" in by_path[path]["body"] and "naïve façade." in by_path[path]["body"], path
    assert "“Café Zürich”" in by_path["meta-charset-only"]["body"]
    assert by_path["paywall-teaser"]["paywalled"] and by_path["paywall-teaser"]["body"]
    assert not by_path["ok"]["paywalled"]
    messages = collections.defaultdict(str)
    for row in dead:
        messages[row["url"]] += row["message"]
    assert not any("root:" in m for m in messages.values())   # nothing of /etc/passwd anywhere
