"""`make eval`: extraction quality of `newsbeam extract` on the benchmarks in ../shared/data.

Runs the real command (`newsbeam extract --manifest`) over every aeb page and every wcxb-test
article page, scores it with ../shared/checks/score_extraction.py, and prints the same scores for
bare trafilatura (the reference the issues quote) beside it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    parser.add_argument("--no-baseline", action="store_true", help="skip the bare trafilatura figures")
    args = parser.parse_args()
    data = os.path.join(args.shared, "data")
    scorer = os.path.join(args.shared, "checks", "score_extraction.py")
    if not (os.path.isdir(data) and os.path.isfile(scorer)):
        print(f"make eval: the benchmarks are not here: {os.path.abspath(data)} (and its checks/) is missing.\n"
              "They live in ../shared beside the checkout; a fresh clone alone cannot be evaluated.",
              file=sys.stderr)
        return 2
    work = tempfile.mkdtemp(prefix="newsbeam-eval-")
    rows = []
    for name, pages in (("aeb", aeb_pages(os.path.join(data, "aeb"))),
                        ("wcxb-test", wcxb_article_pages(os.path.join(data, "wcxb-test")))):
        dataset = os.path.join(data, name)
        started = time.monotonic()
        predictions = newsbeam_predictions(pages, work, name)
        seconds = time.monotonic() - started
        rows.append(("newsbeam", name, score(scorer, dataset, predictions, work, name + "-newsbeam"), seconds, len(pages)))
        if not args.no_baseline:
            started = time.monotonic()
            baseline = trafilatura_predictions(pages)
            seconds = time.monotonic() - started
            rows.append(("trafilatura", name, score(scorer, dataset, baseline, work, name + "-trafilatura"),
                         seconds, len(pages)))
    print_table(rows)
    print("\nGold dates the pages do not show (tools/date_audit.py):", flush=True)
    subprocess.call([sys.executable, "-m", "tools.date_audit", "--shared", args.shared], cwd=ROOT)
    print("\nSyndication clusters (tools/syndication_bench.py: copies built from the benchmarks' bodies):",
          flush=True)
    return subprocess.call([sys.executable, "-m", "tools.syndication_bench", "--shared", args.shared], cwd=ROOT)


def aeb_pages(folder: str) -> list[tuple[str, str, str]]:
    truth = json.load(open(os.path.join(folder, "ground-truth.json")))
    return [(pid, os.path.join(folder, "html", pid + ".html.gz"), rec.get("url")) for pid, rec in sorted(truth.items())]


def wcxb_article_pages(folder: str) -> list[tuple[str, str, str]]:
    pages = []
    truth_dir = os.path.join(folder, "ground-truth")
    for name in sorted(os.listdir(truth_dir)):
        rec = json.load(open(os.path.join(truth_dir, name)))
        kind = rec.get("page_type") or rec.get("_internal", {}).get("page_type", {}).get("primary")
        if kind == "article":
            pid = name[:-5]
            pages.append((pid, os.path.join(folder, "html", pid + ".html.gz"), rec.get("url")))
    return pages


def newsbeam_predictions(pages, work: str, name: str) -> dict:
    manifest = os.path.join(work, name + ".jsonl")
    with open(manifest, "w") as handle:
        for _pid, path, url in pages:
            handle.write(json.dumps({"path": path, "url": url}) + "\n")
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", "--manifest", manifest],
                            cwd=ROOT, capture_output=True, text=True, check=True)
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    if len(lines) != len(pages):
        raise SystemExit(f"newsbeam extract printed {len(lines)} lines for {len(pages)} pages")
    return {pid: {"body": line.get("body") or "", "authors": line.get("authors") or [],
                  "date": local_day(line.get("published_at"), line.get("published_at_offset_minutes"))}
            for (pid, _path, _url), line in zip(pages, lines)}


def local_day(published_at: str | None, offset_minutes: int | None) -> str | None:
    """The publication day as the page wrote it: published_at is UTC, and a page's day is its own
    (an article of 20:00 in New York is dated that day, not the next one in UTC)."""
    if not published_at:
        return None
    moment = dt.datetime.fromisoformat(published_at)
    return (moment + dt.timedelta(minutes=offset_minutes or 0)).strftime("%Y-%m-%d")


def trafilatura_predictions(pages) -> dict:
    import trafilatura
    predictions = {}
    for pid, path, url in pages:
        html = gzip.open(path).read().decode("utf-8", errors="replace")
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
        if doc is None:
            predictions[pid] = {"body": "", "authors": [], "date": None}
            continue
        authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
        predictions[pid] = {"body": doc.text or "", "authors": authors, "date": doc.date}
    return predictions


def score(scorer: str, dataset: str, predictions: dict, work: str, name: str) -> dict:
    path = os.path.join(work, name + ".json")
    with open(path, "w") as handle:
        json.dump(predictions, handle)
    result = subprocess.run([sys.executable, scorer, dataset, path], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def print_table(rows):
    print(f"{'extractor':<12} {'dataset':<10} {'pages':>5} {'body F1':>8} {'body P':>7} {'body R':>7} "
          f"{'author F1':>9} {'author exact':>12} {'date day':>8} {'s/page':>7}")
    for who, dataset, scores, seconds, count in rows:
        def fmt(key):
            value = scores.get(key)
            return f"{value:.3f}" if isinstance(value, (int, float)) else "-"
        print(f"{who:<12} {dataset:<10} {count:>5} {fmt('body_f1'):>8} {fmt('body_p'):>7} {fmt('body_r'):>7} "
              f"{fmt('author_f1'):>9} {fmt('author_exact'):>12} {fmt('date_day_acc'):>8} {seconds / count:>7.3f}")


if __name__ == "__main__":
    sys.exit(main())
