"""The syndication benchmark: wire-story copies built from real article bodies, scored from Parquet.

Builds a corpus from the ground-truth bodies in ../shared/data (aeb and wcxb-test articles): each
base story is published once and republished by other outlets with the edits republishers make
(verbatim, re-headlined and trimmed from the bottom, paragraphs dropped or swapped, a local lede
added, dateline and credit edited, copy-edited, agency boilerplate appended, cut to a teaser with
"Read more", spliced by an aggregator with bits of other stories), plus hard negatives (a different
story about the same people, a story quoting one background paragraph of another, short briefs
sharing a long site footer). Renders them into several page templates and feeds, serves them on
127.0.0.1, runs `newsbeam run`, and scores the clusters in the Parquet output: pairwise precision,
recall and F1, adjusted Rand index, hard negatives merged, and the share of the run's CPU time
spent in the dedup stage. A MinHash-only baseline (Jaccard >= 0.5 on the same signatures, no
containment) is scored beside it.
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import glob
import html
import json
import os
import random
import re
import shutil
import sys
import tempfile

from tools.localserver import LocalServer
from tools.runs import dedup_stage_cpu, run_newsbeam

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = 7
OUTLETS = ["daily-ledger", "coast-times", "metro-wire", "valley-post", "newsroll", "the-aggregate"]
TOWNS = ["Ashford", "Brookhaven", "Carrow", "Dunmore", "Eastleigh", "Fenwick", "Glenbrook", "Harlow"]
FOOTERS = {
    "daily-ledger": ("The Daily Ledger is an independent newsroom that has covered the county and its towns since "
                     "1921. Our reporters attend every council meeting, court hearing and school board session so "
                     "that readers do not have to, and our work is paid for by readers and by grants from local "
                     "foundations that have no say over what we publish. Tips, corrections and letters to the "
                     "editor can be sent to the newsroom at any time, and we answer every one of them."),
    "coast-times": ("About The Coast Times: we are a small team of journalists based on the waterfront, reporting "
                    "on fishing, shipping, weather and the people who live along the coast. Stories are checked "
                    "by two editors before they appear, and we correct mistakes in the open at the bottom of the "
                    "story they concern. If you saw something we should look into, our desk reads every message "
                    "and calls back within a day."),
}
AGENCY_LINE = ("Copyright 2026 The Associated Press. All rights reserved. This material may not be published, "
               "broadcast, rewritten or redistributed without permission.")
EDIT_RATES = [("verbatim", 0.12), ("trimmed", 0.2), ("dropped_swapped", 0.12), ("local_lede", 0.12),
              ("dateline_credit", 0.1), ("copyedit", 0.12), ("boilerplate", 0.08), ("teaser", 0.08),
              ("splice", 0.06)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    parser.add_argument("--stories", type=int, default=70, help="base stories carried by the corpus")
    parser.add_argument("--keep", help="keep the generated site and output in this folder")
    args = parser.parse_args()
    data = os.path.join(args.shared, "data")
    if not os.path.isdir(data):
        print(f"syndication benchmark: {os.path.abspath(data)} is missing (it lives in ../shared beside the "
              "checkout); nothing to build it from.", file=sys.stderr)
        return 2
    work = args.keep or tempfile.mkdtemp(prefix="newsbeam-syndication-")
    shutil.rmtree(work, ignore_errors=True)  # a fresh output: earlier runs would be stored memory
    os.makedirs(work)
    bodies = real_bodies(data)
    pages, truth, negatives = build_corpus(bodies, args.stories, random.Random(SEED))
    site = os.path.join(work, "site")
    write_site(site, pages)
    out = None
    with LocalServer(root=site) as server:
        feeds = os.path.join(work, "feeds.txt")
        with open(feeds, "w") as handle:
            handle.write("".join(f"{server.base_url}/{o}/feed.xml\n" for o in OUTLETS))
        out = os.path.join(work, "out")
        run_cpu = min(run_newsbeam(feeds, f"{out}-{attempt}" if attempt else out).cpu for attempt in range(2))
        rows = read_rows(out, server.base_url)
    predicted = {row["path"]: row["cluster_id"] for row in rows}
    missing = set(truth) - set(predicted)
    report("newsbeam", truth, predicted, negatives)
    report("minhash-only", truth, minhash_only_clusters(rows), negatives)
    print(f"pages: {len(truth)} ({len(set(truth.values()))} true clusters, {len(negatives)} hard negatives)"
          + (f"; {len(missing)} pages missing from the output" if missing else ""))
    stage_cpu = dedup_stage_cpu(out)
    print(f"dedup stage (ClusterSyndication): {stage_cpu:.2f} s CPU = {stage_cpu / run_cpu:.1%} of the run's "
          f"{run_cpu:.2f} s (best of 2 runs; stage measured alone on the same articles, best of 3)")
    return 0


def real_bodies(data: str) -> list[list[str]]:
    """Paragraph lists of the benchmark's ground-truth article bodies, longest-first order fixed."""
    bodies = []
    truth = json.load(open(os.path.join(data, "aeb", "ground-truth.json")))
    for pid in sorted(truth):
        bodies.append(truth[pid]["articleBody"])
    gt_dir = os.path.join(data, "wcxb-test", "ground-truth")
    for name in sorted(os.listdir(gt_dir)):
        rec = json.load(open(os.path.join(gt_dir, name)))
        kind = rec.get("page_type") or rec.get("_internal", {}).get("page_type", {}).get("primary")
        if kind == "article" and rec["ground_truth"].get("main_content"):
            bodies.append(rec["ground_truth"]["main_content"])
    result = []
    for body in bodies:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", body) if len(p.split()) >= 12]
        if 6 <= len(paragraphs) <= 30 and 250 <= sum(len(p.split()) for p in paragraphs) <= 2500:
            result.append(paragraphs)
    return result


def build_corpus(bodies, n_stories: int, rng: random.Random):
    """(pages, truth label per page path, hard-negative page paths)."""
    rng.shuffle(bodies)
    stories, spare = bodies[:n_stories], bodies[n_stories:]
    pages, truth, negatives = [], {}, []
    start = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.timezone.utc)

    def add(outlet, label, title, paragraphs, published, negative=False):
        path = f"/{outlet}/{len(pages):04d}-{re.sub(r'[^a-z0-9]+', '-', title.lower())[:40].strip('-')}.html"
        pages.append({"outlet": outlet, "path": path, "title": title, "paragraphs": paragraphs,
                      "published": published})
        truth[path] = label
        if negative:
            negatives.append(path)

    for index, paragraphs in enumerate(stories):
        label = f"story-{index}"
        published = start + dt.timedelta(hours=index * 2)
        home = OUTLETS[index % len(OUTLETS)]
        town = rng.choice(TOWNS).upper()
        original = [f"{town} (AP) — {paragraphs[0]}"] + paragraphs[1:]
        add(home, label, headline(paragraphs), original, published)
        for copy_no in range(rng.choice([0, 1, 1, 2, 2, 3, 4, 5])):
            kind = weighted(rng, EDIT_RATES)
            outlet = rng.choice([o for o in OUTLETS if o != home])
            others = [b for j, b in enumerate(stories) if j != index]
            text = edit(kind, original, rng, others)
            add(outlet, label, retitle(headline(paragraphs), rng), text,
                published + dt.timedelta(hours=rng.randint(1, 30)))
    for index in range(min(12, len(spare) // 3)):
        target = rng.randrange(len(stories))
        published = start + dt.timedelta(hours=target * 2)
        other = spare[index]
        add(rng.choice(OUTLETS), f"negative-people-{index}", headline(other),
            same_people(stories[target], other), published, negative=True)
        quoting = spare[index + 12] if index + 12 < len(spare) else other
        add(rng.choice(OUTLETS), f"negative-quote-{index}", headline(quoting),
            quoting[:3] + [rng.choice(stories[target][2:])] + quoting[3:], published, negative=True)
    brief_sources = spare[30:]
    for index, paragraphs in enumerate(brief_sources[:16]):
        outlet = list(FOOTERS)[index % len(FOOTERS)]
        sentences = re.split(r"(?<=[.!?])\s+", paragraphs[0])
        brief = [" ".join(sentences[:2]), FOOTERS[outlet]]
        add(outlet, f"negative-brief-{index}", headline(paragraphs), brief,
            start + dt.timedelta(hours=index), negative=True)
    return pages, truth, negatives


def weighted(rng, choices):
    total = sum(w for _k, w in choices)
    point = rng.random() * total
    for kind, weight in choices:
        point -= weight
        if point <= 0:
            return kind
    return choices[-1][0]


def edit(kind: str, paragraphs: list[str], rng: random.Random, others) -> list[str]:
    p = list(paragraphs)
    if kind == "verbatim":
        return p
    if kind == "trimmed":
        return p[:max(3, int(len(p) * rng.uniform(0.5, 0.8)))]
    if kind == "dropped_swapped":
        p = [x for i, x in enumerate(p) if i == 0 or rng.random() > 0.2]
        i = rng.randrange(1, len(p) - 1) if len(p) > 3 else 1
        p[i], p[i + 1 if i + 1 < len(p) else i] = p[i + 1 if i + 1 < len(p) else i], p[i]
        return p
    if kind == "local_lede":
        town = rng.choice(TOWNS)
        return [f"Residents of {town} were among those following the news closely this week, and several "
                f"local officials said they expected the developments to be felt here as well."] + p
    if kind == "dateline_credit":
        p[0] = re.sub(r"^[A-Z]+ \(AP\) — ", f"{rng.choice(TOWNS).upper()}, {rng.choice(['Ore.', 'N.Y.', 'Texas'])} "
                                            f"(AP) — ", p[0])
        return p + [f"Associated Press writer {rng.choice(['Ana Ortiz', 'Mark Chen', 'Lena Holt'])} "
                    f"contributed to this report."]
    if kind == "copyedit":
        return [copyedit(x, rng) for x in p]
    if kind == "boilerplate":
        return p + [AGENCY_LINE]
    if kind == "teaser":
        return p[:2] + ["Read more"]
    if kind == "splice":
        sentences = [s for x in p for s in re.split(r"(?<=[.!?])\s+", x)]
        kept = [s for s in sentences if rng.random() < 0.75]
        for other in rng.sample(others, 2):
            kept.insert(rng.randrange(len(kept)), rng.choice(other))
        kept.insert(rng.randrange(len(kept)), "So we still have time.")
        chunks = [kept[i:i + 4] for i in range(0, len(kept), 4)]
        return [" ".join(c) for c in chunks]
    raise ValueError(kind)


def copyedit(paragraph: str, rng: random.Random) -> str:
    words = paragraph.split()
    for i in range(len(words)):
        if rng.random() < 0.04:
            words[i] = rng.choice(["also", "then", "reportedly", "now", "still", "again"])
    if len(words) > 12 and rng.random() < 0.5:
        del words[rng.randrange(len(words))]
    return " ".join(words)


def same_people(story: list[str], other: list[str]) -> list[str]:
    """`other`'s text with the named people and places of `story` put in place of its own."""
    names = re.findall(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b", " ".join(story)) or ["Jordan Avery"]
    replaced = []
    for k, paragraph in enumerate(other):
        name = names[k % len(names)]
        replaced.append(re.sub(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b", name, paragraph))
    return replaced


def headline(paragraphs: list[str]) -> str:
    words = re.sub(r"^[A-Z ,.]+\(AP\) — ", "", paragraphs[0]).split()[:9]
    return " ".join(words).rstrip(",.;:") or "Untitled"


def retitle(title: str, rng: random.Random) -> str:
    return rng.choice(["Update: ", "Report: ", "", "What we know: "]) + title


TEMPLATES = [
    """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | {outlet}</title>
<meta property="og:site_name" content="{outlet}"><meta property="article:published_time" content="{iso}">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":{title_json},
"datePublished":"{iso}","publisher":{{"@type":"Organization","name":"{outlet}"}}}}</script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<div class="cookie">We use cookies. <button>OK</button></div><main><article><h1>{title}</h1>
<time datetime="{iso}">{day}</time>{body}</article><aside><h3>Most read</h3><ul><li><a href="/a">Council budget row</a></li>
<li><a href="/b">Weekend weather</a></li></ul></aside></main><footer>&copy; 2026 {outlet}</footer></body></html>""",
    """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="date" content="{iso}"></head><body><header class="masthead"><div class="logo">{outlet}</div>
<ul class="menu"><li>World</li><li>Business</li><li>Opinion</li></ul></header><div class="ad-slot">Advertisement</div>
<div id="content"><div class="story"><h2 class="headline">{title}</h2><div class="story-body">{body}</div></div>
<div class="newsletter">Get the morning briefing in your inbox.</div></div>
<div class="related"><h4>Related</h4><a href="/x">Earlier coverage</a></div></body></html>""",
    """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{outlet}: {title}</title>
<meta property="og:title" content="{title_attr}"><meta property="article:published_time" content="{iso}"></head>
<body><div class="wrapper"><div class="share">Share on social</div><section class="post"><h1>{title}</h1>
<p class="meta">Posted {day}</p><div class="entry-content">{body}</div></section>
<div class="comments"><h3>0 comments</h3></div></div></body></html>""",
]


SECTIONS = ["World", "Politics", "Business", "Markets", "Technology", "Science", "Health", "Climate",
            "Sport", "Football", "Culture", "Books", "Film", "Music", "Travel", "Food", "Opinion", "Letters",
            "Obituaries", "Weather", "Local", "Schools", "Courts", "Transport", "Housing", "Podcasts", "Video",
            "Photos", "Puzzles", "Newsletters"]


def furniture(pages: list[dict], index: int) -> tuple[str, str]:
    """Navigation, trending list, inline script and footer of the weight real news pages carry
    (tens of kilobytes around the story), so extraction costs what it costs on real sites."""
    nav = "".join(f'<li class="nav-item"><a href="/{s.lower()}/" data-track="nav-{s.lower()}">{s}</a>'
                  f'<ul class="sub">{"".join(f"<li><a href=/{s.lower()}/{k}/>{s} {k}</a></li>" for k in range(6))}'
                  f"</ul></li>" for s in SECTIONS)
    trending = "".join(f'<li><a href="{p["path"]}">{html.escape(p["title"])}</a><span class="time">2h</span></li>'
                       for p in pages[index + 1:index + 13])
    script = ("<script>window.__CONFIG__ = " + json.dumps({"ads": [{"slot": f"slot-{k}", "sizes": [[300, 250], [728, 90]],
                                                                   "targeting": {"section": SECTIONS[k % 30]}}
                                                                  for k in range(40)]}) + ";</script>")
    footer = "".join(f'<li><a href="/about/{k}">{w} {k}</a></li>'
                     for k, w in enumerate(["About us", "Careers", "Contact", "Advertise", "Privacy", "Terms",
                                            "Cookies", "Accessibility", "Archive", "Sitemap"] * 6))
    head = f'<ul class="main-nav">{nav}</ul>{script}'
    tail = f'<aside class="trending"><h3>Trending</h3><ol>{trending}</ol></aside><ul class="footer-links">{footer}</ul>'
    return head, tail


def write_site(site: str, pages: list[dict]):
    by_outlet = collections.defaultdict(list)
    for index, page in enumerate(pages):
        outlet = page["outlet"]
        body = "".join(f"<p>{html.escape(p)}</p>" for p in page["paragraphs"])
        head, tail = furniture(pages, index)
        text = TEMPLATES[index % len(TEMPLATES)].format(
            title=html.escape(page["title"]), title_attr=html.escape(page["title"], quote=True),
            title_json=json.dumps(page["title"]), outlet=outlet, iso=page["published"].isoformat(),
            day=page["published"].strftime("%d %B %Y"), body=body)
        text = text.replace("<body>", "<body>" + head, 1).replace("</body>", tail + "</body>", 1)
        path = os.path.join(site, page["path"].lstrip("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        by_outlet[outlet].append(page)
    for outlet in OUTLETS:
        items = "".join(
            f"<item><title>{html.escape(p['title'])}</title><link>{{{{BASE_URL}}}}{p['path']}</link>"
            f"<guid>{p['path']}</guid><pubDate>{p['published'].strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate></item>"
            for p in by_outlet[outlet])
        os.makedirs(os.path.join(site, outlet), exist_ok=True)
        with open(os.path.join(site, outlet, "feed.xml"), "w", encoding="utf-8") as handle:
            handle.write(f"<?xml version='1.0'?><rss version='2.0'><channel><title>{outlet}</title>{items}</channel></rss>")


def read_rows(out: str, base_url: str) -> list[dict]:
    import pyarrow.parquet as pq
    rows = []
    for path in glob.glob(os.path.join(out, "articles", "ingest_date=*", "*.parquet")):
        for row in pq.read_table(path, columns=["url", "cluster_id", "article_id", "body", "published_at",
                                                "shingle_count", "minhash"]).to_pylist():
            row["path"] = row["url"][len(base_url):]
            rows.append(row)
    return rows


def minhash_only_clusters(rows: list[dict]) -> dict:
    """Baseline: the same signatures, clustered by estimated Jaccard >= 0.5 alone (connected components)."""
    import numpy as np
    from transforms import syndication
    parent = {r["path"]: r["path"] for r in rows}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    buckets = collections.defaultdict(list)
    for row in rows:
        if row["minhash"] and row["shingle_count"] >= syndication.MIN_SHINGLES:
            for key in syndication.band_keys(row["minhash"]):
                buckets[key].append(row)
    for members in buckets.values():
        for i, a in enumerate(members):
            for b in members[:i]:
                jaccard = float(np.mean(np.frombuffer(a["minhash"], "<u4") == np.frombuffer(b["minhash"], "<u4")))
                if jaccard >= syndication.NEAR_JACCARD:
                    parent[find(a["path"])] = find(b["path"])
    return {r["path"]: find(r["path"]) for r in rows}


def pair_counts(truth: dict, predicted: dict):
    paths = sorted(set(truth) & set(predicted))
    tp = fp = fn = 0
    for i, a in enumerate(paths):
        for b in paths[:i]:
            same_truth, same_pred = truth[a] == truth[b], predicted[a] == predicted[b]
            tp += same_truth and same_pred
            fp += same_pred and not same_truth
            fn += same_truth and not same_pred
    return tp, fp, fn


def adjusted_rand(truth: dict, predicted: dict) -> float:
    paths = sorted(set(truth) & set(predicted))
    table = collections.Counter((truth[p], predicted[p]) for p in paths)
    rows = collections.Counter(truth[p] for p in paths)
    cols = collections.Counter(predicted[p] for p in paths)
    comb = lambda n: n * (n - 1) / 2  # noqa: E731
    index = sum(comb(v) for v in table.values())
    sum_rows, sum_cols = sum(comb(v) for v in rows.values()), sum(comb(v) for v in cols.values())
    expected = sum_rows * sum_cols / comb(len(paths)) if len(paths) > 1 else 0.0
    maximum = (sum_rows + sum_cols) / 2
    return 1.0 if maximum == expected else (index - expected) / (maximum - expected)


def report(name: str, truth: dict, predicted: dict, negatives: list[str]):
    tp, fp, fn = pair_counts(truth, predicted)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    merged = sum(1 for n in negatives if n in predicted and
                 any(predicted[o] == predicted[n] for o in predicted if o != n and truth.get(o) != truth[n]))
    print(f"{name:<13} pairwise P {precision:.4f}  R {recall:.4f}  F1 {f1:.4f}  ARI {adjusted_rand(truth, predicted):.4f}"
          f"  hard negatives merged {merged}/{len(negatives)}")


if __name__ == "__main__":
    sys.exit(main())
