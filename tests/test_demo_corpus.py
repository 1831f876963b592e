"""`newsbeam run` over the bundled demo corpus (what `make demo` runs), checked against demo/expected.json."""
import collections
import datetime as dt
import glob
import json
import os
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from conftest import ROOT
from tools.localserver import LocalServer, render_placeholders

DEMO = os.path.join(ROOT, "demo")


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo-out")
    with LocalServer(root=os.path.join(DEMO, "site")) as server:
        feeds = out / "feeds.txt"
        feeds.write_text(render_placeholders(open(os.path.join(DEMO, "feeds.txt.in")).read(), server.base_url))
        result = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--feeds", str(feeds), "--output",
                                 str(out / "out"), "--allow-private-networks",
                                 # one local server plays six outlets (as in `make demo`)
                                 "--per-host-rate", "0", "--per-host-concurrency", "16"], cwd=ROOT, capture_output=True,
                                text=True, timeout=600)
        expected = json.loads(render_placeholders(open(os.path.join(DEMO, "expected.json")).read(), server.base_url))
    articles = [r for f in glob.glob(str(out / "out" / "articles" / "ingest_date=*" / "*.parquet"))
                for r in pq.read_table(f).to_pylist()]
    dead = [r for f in glob.glob(str(out / "out" / "dead_letter" / "ingest_date=*" / "*.parquet"))
            for r in pq.read_table(f).to_pylist()]
    return result, expected, articles, dead


def test_run_succeeds_and_balances(demo_run):
    result, expected, _articles, _dead = demo_run
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"entries seen:       {expected['total_feed_entries']}" in result.stdout
    assert ": balanced" in result.stdout


def test_every_article_entry_is_one_row(demo_run):
    _result, expected, articles, _dead = demo_run
    wanted = collections.Counter(e["url"] for e in expected["entries"] if e["outcome"] == "article")
    assert collections.Counter(a["url"] for a in articles) == wanted


def test_dead_letters_have_the_expected_reasons(demo_run):
    _result, expected, _articles, dead = demo_run
    assert sorted((d["url"], d["reason"]) for d in dead) == sorted(
        [(d["url"], d["reason"]) for d in expected["dead_letters"]])


def test_titles_languages_and_dates_match_the_sources(demo_run):
    _result, expected, articles, _dead = demo_run
    by_url = {e["url"]: e for e in expected["entries"] if e["outcome"] == "article"}
    for article in articles:
        source = by_url[article["url"]]
        assert article["title"] == source["headline"], article["url"]
        assert article["language"] == source["language"], article["url"]
        published = dt.datetime.fromisoformat(source["published"]).astimezone(dt.timezone.utc)
        assert article["published_at"].date() in (published.date(), dt.datetime.fromisoformat(source["published"]).date())


def test_copies_are_kept_and_marked(demo_run):
    _result, expected, articles, _dead = demo_run
    by_url = collections.defaultdict(list)
    for article in articles:
        by_url[article["url"]].append(article)
    for group in expected["exact_duplicate_groups"]:
        rows = [row for url in group for row in by_url[url]]
        assert len({r["cluster_id"] for r in rows}) == 1
        assert sum(r["is_canonical"] for r in rows) == 1
        assert {r["duplicate_kind"] for r in rows} == {None, "exact"}
    for group in expected["url_duplicate_groups"]:
        rows = by_url[group["url"]]
        assert len(rows) == len(group["feed_urls"])
        assert sum(r["is_canonical"] for r in rows) == 1
        assert {r["duplicate_kind"] for r in rows} == {None, "url"}



def test_wire_story_copies_form_one_cluster_and_hard_negatives_stay_apart(demo_run):
    _result, expected, articles, _dead = demo_run
    by_url = {a["url"]: a for a in articles}
    for group in expected["wire_groups"].values():
        members = [by_url[m["url"]] for m in group["members"]]
        original = by_url[group["original"]]
        assert {m["cluster_id"] for m in members} == {original["article_id"]}
        assert original["is_canonical"]
        assert all(m["duplicate_kind"] in ("exact", "near", "contained") for m in members if m is not original)
        for negative in group["hard_negatives"]:
            assert by_url[negative["url"]]["cluster_id"] != original["article_id"], negative["url"]
    in_groups = {m["url"] for g in expected["wire_groups"].values() for m in g["members"]}
    in_groups |= {u for g in expected["exact_duplicate_groups"] for u in g}
    in_groups |= {g["url"] for g in expected["url_duplicate_groups"]}
    assert all(a["is_canonical"] for a in articles if a["url"] not in in_groups)


def test_authors_and_wire_agency_match_the_sources(demo_run):
    _result, expected, articles, _dead = demo_run
    by_url = {e["url"]: e for e in expected["entries"] if e["outcome"] == "article"}
    for article in articles:
        assert article["authors"] == by_url[article["url"]]["authors"], article["url"]
        assert article["byline_raw"], article["url"]
    for group in expected["wire_groups"].values():
        for member in group["members"]:
            if member["variant"] == "copyedit":     # rewritten by the outlet under its own byline
                continue
            rows = [a for a in articles if a["url"] == member["url"]]
            assert rows and all(r["agency"] == group["agency"] for r in rows), member["url"]
            if member["authors"]:
                assert all(group["credited_reporter"] in r["authors"] for r in rows), member["url"]
