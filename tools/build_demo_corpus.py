#!/usr/bin/env python3
"""Render the newsbeam sample news corpus.

Reads the hand-written, fully fictional source content in ``demo/source/``
(``outlets.json`` and ``articles/<outlet-id>.json``) and writes:

* ``demo/site/``        static site: one folder per outlet with article pages,
                        an RSS 2.0 or Atom feed, images and an index page,
                        plus a deliberately broken feed (deleted and rebuilt
                        on every run);
* ``demo/feeds.txt.in`` the feed list used by ``make demo`` / the e2e tests;
* ``demo/expected.json`` machine-readable facts the tests assert against.

Every absolute URL is written with the literal placeholder ``{{BASE_URL}}``;
the demo server substitutes ``http://127.0.0.1:PORT`` when serving.

Standard library only; output is deterministic (no "now" timestamps,
sorted keys, stable ordering).  Usage::

    python tools/build_demo_corpus.py
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import struct
import sys
import unicodedata
import zlib
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo"
SOURCE = DEMO / "source"
SITE = DEMO / "site"
BASE = "{{BASE_URL}}"
TRACKING_QUERY = "utm_source=rss&utm_medium=feed"
SCHEMA_VERSION = 2


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def e(text) -> str:
    return html.escape(str(text), quote=True)


def x(text) -> str:
    return xml_escape(str(text), {'"': "&quot;"})


def slugify(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def stable_int(text: str, mod: int) -> int:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % mod


def dt(value: str) -> datetime:
    return datetime.fromisoformat(value)




def rfc822(value: str) -> str:
    return format_datetime(dt(value))


def jsonld(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    return text.replace("</", "<\\/")


TZ_ABBR = {
    ("GB", 0): "GMT", ("GB", 60): "BST",
    ("US", -240): "EDT", ("US", -300): "EST",
}
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July",
             "August", "September", "October", "November", "December"]
AP_MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.",
             "Sept.", "Oct.", "Nov.", "Dec."]
EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DE_DAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
FR_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]


def tz_abbr(d: datetime, country: str) -> str:
    minutes = int(d.utcoffset().total_seconds() // 60)
    return TZ_ABBR.get((country, minutes), "")


def fmt_uk(value: str) -> str:
    d = dt(value)
    return f"{EN_DAYS[d.weekday()]} {d.day} {EN_MONTHS[d.month - 1]} {d.year} {d:%H:%M} {tz_abbr(d, 'GB')}"


def ap_time(d: datetime) -> str:
    h = d.hour % 12 or 12
    ampm = "a.m." if d.hour < 12 else "p.m."
    return f"{h}:{d.minute:02d} {ampm}" if d.minute else f"{h} {ampm}"


def fmt_ap(value: str) -> str:
    d = dt(value)
    return f"{AP_MONTHS[d.month - 1]} {d.day}, {d.year}, {ap_time(d)} {tz_abbr(d, 'US')}"


def fmt_pulse(value: str) -> str:
    d = dt(value)
    h = d.hour % 12 or 12
    return f"{EN_MONTHS[d.month - 1]} {d.day}, {d.year} · {h}:{d.minute:02d} {'AM' if d.hour < 12 else 'PM'} ET"


def fmt_de(value: str) -> str:
    d = dt(value)
    return f"{d:%d.%m.%Y}, {d:%H:%M} Uhr"


def fmt_fr(value: str) -> str:
    d = dt(value)
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day} {FR_MONTHS[d.month - 1]} {d.year} à {d.hour}h{d.minute:02d}"


# --------------------------------------------------------------------------
# binary assets
# --------------------------------------------------------------------------

def png_bytes(width: int, height: int, rgb_top, rgb_bottom) -> bytes:
    rows = []
    for yy in range(height):
        t = yy / max(1, height - 1)
        px = bytes(int(a + (b - a) * t) for a, b in zip(rgb_top, rgb_bottom))
        rows.append(b"\x00" + px * width)
    raw = b"".join(rows)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


def color_for(text: str):
    h = hashlib.sha1(text.encode()).digest()
    return (h[0] // 2 + 40, h[1] // 2 + 40, h[2] // 2 + 60), (h[3] // 3 + 150, h[4] // 3 + 150, h[5] // 3 + 150)


def pdf_bytes(title: str, lines: list[str]) -> bytes:
    """A tiny but valid single-page PDF (correct xref offsets)."""
    def pdf_str(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content_lines = ["BT", "/F1 18 Tf", "72 760 Td", f"({pdf_str(title)}) Tj", "/F1 11 Tf"]
    for ln in lines:
        content_lines += ["0 -20 Td", f"({pdf_str(ln)}) Tj"]
    content_lines.append("ET")
    stream = "\n".join(content_lines).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Title (" + pdf_str(title).encode("latin-1") + b") /Producer (newsbeam demo corpus) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode()
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


def garbage_bytes(seed: str, n: int) -> bytes:
    """Deterministic pseudo-random bytes that no feed parser can read."""
    out = bytearray(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03")  # looks like gzip, isn't
    block = seed.encode()
    while len(out) < n:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:n])


# --------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------

class Corpus:
    def __init__(self) -> None:
        meta = json.loads((SOURCE / "outlets.json").read_text(encoding="utf-8"))
        self.outlets = meta["outlets"]
        self.broken_feeds = meta.get("broken_feeds", [])
        self.by_id = {o["id"]: o for o in self.outlets}
        self.articles: dict[str, list[dict]] = {}
        for o in self.outlets:
            path = SOURCE / "articles" / f"{o['id']}.json"
            recs = json.loads(path.read_text(encoding="utf-8"))
            for r in recs:
                assert r["outlet"] == o["id"], (path, r["slug"])
            recs.sort(key=lambda r: (dt(r["published"]), r["slug"]), reverse=True)
            self.articles[o["id"]] = recs
        self.index = {(r["outlet"], r["slug"]): r for recs in self.articles.values() for r in recs}

    # URLs -----------------------------------------------------------------
    @staticmethod
    def rel_path(a: dict) -> str:
        d = dt(a["published"])
        return f"{a['outlet']}/{a['section']}/{d.year:04d}/{d.month:02d}/{a['slug']}.html"

    def url(self, a: dict) -> str:
        return f"{BASE}/{self.rel_path(a)}"

    def feed_url(self, o: dict) -> str:
        return f"{BASE}/{o['id']}/{o['feed']['path']}"


# --------------------------------------------------------------------------
# shared page fragments
# --------------------------------------------------------------------------

NAV = {
    "harbour-gazette": [("news", "News"), ("business", "Business"), ("sport", "Sport"), ("weather", "Weather"),
                        ("culture", "What's On"), ("science", "Environment"), ("world", "World"),
                        ("opinion", "Opinion"), ("announcements", "Announcements")],
    "cedar-valley-courier": [("news", "News"), ("courts", "Courts & Crime"), ("schools", "Schools"),
                             ("business", "Business"), ("sports", "Sports"), ("weather", "Weather"),
                             ("briefing", "Morning Briefing"), ("obituaries", "Obituaries"), ("opinion", "Opinion")],
    "lakeside-tribune": [("local", "Local"), ("politics", "Politics"), ("nation", "Nation & World"),
                         ("business", "Business"), ("science", "Science & Environment"), ("arts", "Arts"),
                         ("sports", "Sports"), ("opinion", "Opinion"), ("obituaries", "Obituaries")],
    "newspulse": [("us", "U.S."), ("local", "Local"), ("tech", "Tech"), ("money", "Money"), ("health", "Health"),
                  ("science", "Science"), ("entertainment", "Entertainment"), ("sports", "Sports"),
                  ("travel", "Travel")],
    "kellbacher-bote": [("lokales", "Lokales"), ("wirtschaft", "Wirtschaft"), ("sport", "Sport"),
                        ("kultur", "Kultur"), ("wissenschaft", "Wissen"), ("region", "Region"),
                        ("service", "Service"), ("traueranzeigen", "Traueranzeigen")],
    "echo-de-valmont": [("actualites", "Actualités"), ("economie", "Économie"), ("sport", "Sport"),
                        ("culture", "Culture"), ("sciences", "Sciences"), ("loisirs", "Loisirs"),
                        ("faits-divers", "Faits divers"), ("avis-de-deces", "Avis de décès")],
}

SECTION_LABEL = {oid: dict(items) for oid, items in NAV.items()}


def related(corpus: Corpus, a: dict, n: int = 5) -> list[dict]:
    others = [r for r in corpus.articles[a["outlet"]] if r["slug"] != a["slug"]]
    same = [r for r in others if r["section"] == a["section"]]
    rest = [r for r in others if r["section"] != a["section"]]
    return (same + rest)[:n]


def most_read(corpus: Corpus, a: dict, n: int = 5) -> list[dict]:
    others = [r for r in corpus.articles[a["outlet"]] if r["slug"] != a["slug"]]
    others.sort(key=lambda r: hashlib.sha1((r["slug"] + "|most-read").encode()).hexdigest())
    return others[:n]


def link_list(corpus: Corpus, items: list[dict], li_class: str = "", with_time: bool = False,
              fmt=None) -> str:
    out = []
    for r in items:
        cls = f' class="{li_class}"' if li_class else ""
        t = f' <time datetime="{e(r["published"])}">{e(fmt(r["published"]))}</time>' if with_time and fmt else ""
        out.append(f'<li{cls}><a href="{e(corpus.url(r))}">{e(r["headline"])}</a>{t}</li>')
    return "\n          ".join(out)


def byline_markup(byline: str, authors: list[str], link) -> str:
    """Escape ``byline`` and wrap each author name found in it via ``link(name, shown)``."""
    spans = []
    for name in authors:
        for cand in (name, name.upper()):
            i = byline.find(cand)
            if i >= 0:
                spans.append((i, i + len(cand), name))
                break
    spans.sort()
    out, pos = [], 0
    for start, end, name in spans:
        if start < pos:
            continue
        out.append(e(byline[pos:start]))
        out.append(link(name, byline[start:end]))
        pos = end
    out.append(e(byline[pos:]))
    return "".join(out)


def image_url(a: dict) -> str:
    return f"{BASE}/{a['outlet']}/img/{a['section']}.png"


def head_meta(corpus: Corpus, o: dict, a: dict, title: str, *, og_type: str = "article",
              twitter: str | None = None) -> str:
    url = corpus.url(a)
    lines = [
        f'<title>{e(title)}</title>',
        f'<meta name="description" content="{e(a["description"])}">',
    ]
    if o.get("meta_author") and a["authors"]:
        lines.append(f'<meta name="author" content="{e(", ".join(a["authors"]))}">')
    elif o.get("meta_author"):
        lines.append(f'<meta name="author" content="{e(a["byline"])}">')
    lines += [
        '<meta name="robots" content="index, follow, max-image-preview:large">',
        f'<meta property="og:type" content="{og_type}">',
        f'<meta property="og:title" content="{e(a["headline"])}">',
        f'<meta property="og:description" content="{e(a["description"])}">',
        f'<meta property="og:site_name" content="{e(o["name"])}">',
        f'<meta property="og:url" content="{e(url)}">',
        f'<meta property="og:image" content="{e(image_url(a))}">',
        '<meta property="og:image:width" content="1200">',
        '<meta property="og:image:height" content="675">',
        f'<meta property="og:locale" content="{e(o["locale"].replace("-", "_"))}">',
        f'<meta property="article:published_time" content="{e(a["published"])}">',
    ]
    if a.get("updated"):
        lines.append(f'<meta property="article:modified_time" content="{e(a["updated"])}">')
    lines.append(f'<meta property="article:section" content="{e(SECTION_LABEL[o["id"]].get(a["section"], a["section"]))}">')
    for t in a["tags"]:
        lines.append(f'<meta property="article:tag" content="{e(t)}">')
    if twitter:
        lines += [
            '<meta name="twitter:card" content="summary_large_image">',
            f'<meta name="twitter:site" content="{e(twitter)}">',
            f'<meta name="twitter:title" content="{e(a["headline"])}">',
            f'<meta name="twitter:image" content="{e(image_url(a))}">',
        ]
    if o.get("canonical"):
        lines.append(f'<link rel="canonical" href="{e(url)}">')
    lines.append(f'<link rel="alternate" type="application/{"rss" if o["feed"]["format"] == "rss" else "atom"}+xml" '
                 f'title="{e(o["feed"]["title"])}" href="{e(corpus.feed_url(o))}">')
    lines.append(f'<link rel="icon" href="{BASE}/{o["id"]}/img/logo.png" type="image/png">')
    return "\n".join(lines)


def article_jsonld(corpus: Corpus, o: dict, a: dict, profile) -> str | None:
    mode = o.get("jsonld_author")
    if not mode:
        return None
    if mode == "person" and a["authors"]:
        author = [{"@type": "Person", "name": n, "url": profile(n)} for n in a["authors"]]
    elif mode == "person":
        org = a["organizations"][0] if a["organizations"] else o["name"]
        author = [{"@type": "Organization", "name": org}]
    else:
        author = {"@type": "Organization", "name": o["name"], "url": f"{BASE}/{o['id']}/"}
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": corpus.url(a)},
        "headline": a["headline"],
        "description": a["description"],
        "image": [image_url(a)],
        "datePublished": a["published"],
        "dateModified": a.get("updated") or a["published"],
        "author": author,
        "publisher": {
            "@type": "Organization",
            "name": o["name"],
            "logo": {"@type": "ImageObject", "url": f"{BASE}/{o['id']}/img/logo.png", "width": 600, "height": 60},
        },
        "articleSection": SECTION_LABEL[o["id"]].get(a["section"], a["section"]),
        "keywords": a["tags"],
        "inLanguage": o["locale"],
    }
    return f'<script type="application/ld+json">\n{jsonld(data)}\n</script>'


def body_paragraphs(corpus: Corpus, a: dict, ad_html: str, ad_after: int = 3, p_class: str = "") -> str:
    cls = f' class="{p_class}"' if p_class else ""
    out = []
    n = len(a["paragraphs"])
    for i, p in enumerate(a["paragraphs"], 1):
        more = ""
        if i == n and a.get("read_more"):
            # teaser: the last paragraph ends with a "Read more" link to the full story
            target = corpus.index[(a["read_more"]["outlet"], a["read_more"]["slug"])]
            more = f' <a class="read-more" href="{e(corpus.url(target))}">{e(a["read_more"]["label"])}</a>'
        out.append(f"<p{cls}>{e(p)}{more}</p>")
        if i == ad_after and n > ad_after + 1:
            out.append(ad_html)
    return "\n          ".join(out)


def share_links(corpus: Corpus, a: dict, cls: str, labels=("Share on Facebook", "Share on X", "Share by email", "Copy link")) -> str:
    u = corpus.url(a)
    return (f'<ul class="{cls}">'
            f'<li><a class="{cls}__fb" href="https://www.facebook.com/sharer/sharer.php?u={e(u)}" rel="noopener" target="_blank">{labels[0]}</a></li>'
            f'<li><a class="{cls}__x" href="https://x.com/intent/post?url={e(u)}&amp;text={e(a["headline"])}" rel="noopener" target="_blank">{labels[1]}</a></li>'
            f'<li><a class="{cls}__mail" href="mailto:?subject={e(a["headline"])}&amp;body={e(u)}">{labels[2]}</a></li>'
            f'<li><button class="{cls}__copy" type="button" data-url="{e(u)}">{labels[3]}</button></li>'
            f'</ul>')


ANALYTICS = """<script>
  window.dataLayer = window.dataLayer || [];
  window.dataLayer.push({{"pageType": "article", "site": "{site}", "section": "{section}", "articleId": "{aid}"}});
</script>
<script async src="https://tags.analytics.example/collect.js?site={site}"></script>"""


def analytics(o: dict, a: dict) -> str:
    return ANALYTICS.format(site=o["id"], section=a["section"], aid=stable_int(o["id"] + a["slug"], 10 ** 7))


# --------------------------------------------------------------------------
# templates, one per outlet
# --------------------------------------------------------------------------

GAZETTE_CSS = """
:root{--hg-navy:#0b2545;--hg-sea:#13315c;--hg-sand:#eef4ed;--hg-accent:#c0392b}
body{margin:0;font-family:Georgia,'Times New Roman',serif;color:#1b1b1b;background:#fff}
.skip-link{position:absolute;left:-999px}.skip-link:focus{left:8px;top:8px}
.hg-consent{position:fixed;bottom:0;left:0;right:0;background:var(--hg-navy);color:#fff;padding:16px 24px;z-index:99}
.hg-consent button{margin-right:8px;padding:8px 14px;border:0;border-radius:2px}
.hg-masthead{border-bottom:4px solid var(--hg-navy)}.hg-masthead__top{display:flex;justify-content:space-between;font:13px Arial,sans-serif;padding:6px 24px}
.hg-logo{display:block;text-align:center;font-size:46px;color:var(--hg-navy);text-decoration:none;padding:12px 0}
.hg-nav ul{display:flex;flex-wrap:wrap;justify-content:center;list-style:none;margin:0;padding:0;background:var(--hg-sea)}
.hg-nav a{display:block;color:#fff;padding:10px 14px;font:bold 14px Arial,sans-serif;text-decoration:none}
.hg-ad{background:#f4f4f4;text-align:center;margin:16px auto;font:11px Arial,sans-serif;color:#777}
.hg-ad--leaderboard{width:728px;height:90px}.hg-ad--mpu{width:300px;height:250px}
.hg-main{display:grid;grid-template-columns:minmax(0,1fr) 320px;gap:32px;max-width:1160px;margin:0 auto;padding:0 24px}
.hg-article__headline{font-size:40px;line-height:1.1;margin:12px 0}.hg-article__standfirst{font-size:21px;color:#444}
.meta{font:14px Arial,sans-serif;color:#555;border-top:1px solid #ddd;border-bottom:1px solid #ddd;padding:8px 0;margin:16px 0}
.meta a[rel=author]{color:var(--hg-accent);font-weight:bold;text-decoration:none}
.hg-article__body p{font-size:18px;line-height:1.6}
.hg-tags{list-style:none;padding:0;display:flex;gap:8px}.hg-tags a{border:1px solid #ccc;padding:4px 8px;font:13px Arial,sans-serif}
.hg-footer{background:var(--hg-navy);color:#cfd8e3;padding:32px 24px;font:14px Arial,sans-serif}.hg-footer a{color:#fff}
"""


def render_gazette(corpus: Corpus, o: dict, a: dict) -> str:
    oid = o["id"]
    profile = lambda n: f"{BASE}/{oid}/profile/{slugify(n)}"
    byline = byline_markup(a["byline"], a["authors"],
                           lambda n, shown: f'<a rel="author" href="{e(profile(n))}">{e(shown)}</a>')
    nav = "\n        ".join(f'<li><a href="/{oid}/{k}/">{e(v)}</a></li>' for k, v in NAV[oid])
    label = SECTION_LABEL[oid].get(a["section"], a["section"].title())
    updated = (f' <span class="meta__updated">Updated <time datetime="{e(a["updated"])}">{e(fmt_uk(a["updated"]))}</time></span>'
               if a.get("updated") else "")
    ld = article_jsonld(corpus, o, a, profile) or ""
    ad_in = '<aside class="hg-ad hg-ad--inarticle" data-slot="hg_article_inline_1"><span class="hg-ad__label">Advertisement</span></aside>'
    tags = "".join(f'<li><a href="/{oid}/topic/{slugify(t)}/">{e(t)}</a></li>' for t in a["tags"])
    return f"""<!DOCTYPE html>
<html lang="{o['locale']}" class="no-js">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{head_meta(corpus, o, a, f"{a['headline']} | {o['name']}", twitter="@HarbourGazette")}
<style>{GAZETTE_CSS}</style>
{analytics(o, a)}
{ld}
</head>
<body class="hg-page hg-page--article section-{e(a['section'])}">
<a class="skip-link" href="#main-content">Skip to main content</a>
<div id="cookie-consent" class="hg-consent" role="dialog" aria-label="Cookie consent">
  <p>We and our partners use cookies to personalise content and adverts, to provide social media features and to analyse our traffic. You can change your choices at any time by visiting <a href="/{oid}/privacy/">Privacy settings</a>.</p>
  <button class="hg-consent__accept" type="button">Accept all cookies</button>
  <button class="hg-consent__manage" type="button">Manage preferences</button>
</div>
<header class="hg-masthead">
  <div class="hg-masthead__top">
    <span class="hg-masthead__date">{e(fmt_uk(a['published']).rsplit(' ', 2)[0])}</span>
    <span><a href="/{oid}/subscribe/">Subscribe from £1 a week</a> · <a href="/{oid}/account/signin/">Sign in</a></span>
  </div>
  <a class="hg-logo" href="{BASE}/{oid}/">The Harbour Gazette</a>
  <nav class="hg-nav" aria-label="Sections">
    <ul>
        {nav}
    </ul>
  </nav>
</header>
<div class="hg-ad hg-ad--leaderboard" data-slot="hg_leaderboard"><span class="hg-ad__label">Advertisement</span></div>
<main id="main-content" class="hg-main">
  <div class="hg-main__content">
    <nav class="hg-breadcrumb" aria-label="Breadcrumb"><a href="{BASE}/{oid}/">Home</a> › <a href="/{oid}/{e(a['section'])}/">{e(label)}</a></nav>
    <article class="hg-article" data-article-id="{stable_int(a['slug'], 10 ** 6)}">
      <header class="hg-article__header">
        <h1 class="hg-article__headline">{e(a['headline'])}</h1>
        <p class="hg-article__standfirst">{e(a['description'])}</p>
        <div class="meta">
          <span class="meta__byline">{byline}</span>
          <time class="meta__date" datetime="{e(a['published'])}">{e(fmt_uk(a['published']))}</time>{updated}
        </div>
        {share_links(corpus, a, "hg-share")}
      </header>
      <figure class="hg-article__image">
        <img src="{e(image_url(a))}" alt="{e(a['headline'])}" width="800" height="450" loading="eager">
        <figcaption>{e(label)}: file picture. <span class="hg-credit">Photograph: Harbour Gazette picture desk</span></figcaption>
      </figure>
      <div class="hg-article__body" itemprop="articleBody">
          {body_paragraphs(corpus, a, ad_in)}
      </div>
      <footer class="hg-article__footer">
        <h2 class="hg-visually-hidden">Topics</h2>
        <ul class="hg-tags">{tags}</ul>
        <p class="hg-corrections">Spotted an error? <a href="/{oid}/corrections/">Contact our corrections desk</a>.</p>
      </footer>
    </article>
    <section class="hg-related" aria-labelledby="hg-related-title">
      <h2 id="hg-related-title">Related stories</h2>
      <ul>
          {link_list(corpus, related(corpus, a), "hg-related__item")}
      </ul>
    </section>
    <section class="hg-newsletter">
      <h2>Saltmere Morning</h2>
      <p>The day's top local stories, weather and tide times delivered to your inbox every morning at 7am.</p>
      <form action="/{oid}/newsletters/subscribe" method="post"><label>Email address <input type="email" name="email"></label><button type="submit">Sign up</button></form>
    </section>
  </div>
  <aside class="hg-sidebar">
    <div class="hg-ad hg-ad--mpu" data-slot="hg_mpu_1"><span class="hg-ad__label">Advertisement</span></div>
    <section class="hg-mostread">
      <h2>Most read</h2>
      <ol>
          {link_list(corpus, most_read(corpus, a))}
      </ol>
    </section>
    <div class="hg-ad hg-ad--mpu" data-slot="hg_mpu_2"><span class="hg-ad__label">Advertisement</span></div>
  </aside>
</main>
<footer class="hg-footer">
  <nav aria-label="Footer">
    <ul>
      <li><a href="/{oid}/about/">About us</a></li><li><a href="/{oid}/contact/">Contact us</a></li>
      <li><a href="/{oid}/advertise/">Advertise with us</a></li><li><a href="/{oid}/terms/">Terms and conditions</a></li>
      <li><a href="/{oid}/privacy/">Privacy notice</a></li><li><a href="/{oid}/complaints/">Complaints</a></li>
      <li><a href="{corpus.feed_url(o)}">RSS feed</a></li>
    </ul>
  </nav>
  <p>The Harbour Gazette, 14 Quay Street, Saltmere. This website and its associated newspaper adhere to the Editors' Code of Practice.</p>
  <p class="hg-copyright">© 2026 Harbour Gazette Media Ltd. All rights reserved.</p>
</footer>
</body>
</html>
"""


COURIER_CSS = """
body{margin:0;font-family:'Helvetica Neue',Arial,sans-serif;background:#fafafa;color:#222}
#top-bar{background:#1d3b2a;color:#fff;font-size:13px;padding:6px 16px}
#site-header{background:#2e5e3f;padding:14px 16px}#site-header .site-title{font:bold 34px 'Times New Roman',serif;color:#fff;text-decoration:none}
#primary-menu{background:#fff;border-bottom:1px solid #ddd}#primary-menu a{display:inline-block;padding:10px 12px;color:#2e5e3f;font-weight:600}
.gdpr-notice{background:#fff8e1;border:1px solid #f0c36d;padding:12px 16px;margin:0}
.adunit{margin:12px auto;text-align:center;background:#eee;color:#888;font-size:11px;text-transform:uppercase}
.adunit--728x90{width:728px;height:90px}.adunit--300x600{width:300px;height:600px}
.wrap{max-width:1100px;margin:0 auto;display:flex;gap:28px;padding:16px}
.entry{flex:1;background:#fff;padding:24px}.entry-title{font:bold 36px 'Times New Roman',serif;margin:0 0 10px}
.entry-meta{font-size:14px;color:#666}.byline{font-weight:700;color:#222;letter-spacing:.02em}
.entry-content p{font:18px/1.65 Georgia,serif}.widget-area{width:300px}
.site-footer{background:#1d3b2a;color:#ddd;padding:24px}
"""


def render_courier(corpus: Corpus, o: dict, a: dict) -> str:
    oid = o["id"]
    profile = lambda n: f"{BASE}/{oid}/staff/{slugify(n)}/"
    nav = " ".join(f'<a href="/{oid}/{k}/">{e(v)}</a>' for k, v in NAV[oid])
    label = SECTION_LABEL[oid].get(a["section"], a["section"].title())
    ld = article_jsonld(corpus, o, a, profile) or ""
    email = ""
    if a["authors"] and "The Associated Press" not in a["organizations"]:
        first = a["authors"][0]
        addr = f"{first.split()[0][0].lower()}{first.split()[-1].lower()}@{o['email_domain']}"
        email = f' <a class="byline__email" href="mailto:{e(addr)}">Email the author</a>'
    updated = (f'<span class="updated">Updated <time datetime="{e(a["updated"])}">{e(fmt_ap(a["updated"]))}</time></span>'
               if a.get("updated") else "")
    ad_in = '<aside class="adunit adunit--inline" id="div-gpt-ad-incontent-1"><span>Advertisement</span></aside>'
    tags = ", ".join(f'<a href="/{oid}/tag/{slugify(t)}/" rel="tag">{e(t)}</a>' for t in a["tags"])
    return f"""<!DOCTYPE html>
<html lang="{o['locale']}">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{head_meta(corpus, o, a, f"{a['headline']} - {o['name']}")}
<style id="courier-inline-css">{COURIER_CSS}</style>
{ld}
{analytics(o, a)}
</head>
<body class="post-template-default single single-post postid-{stable_int(a['slug'], 99999)} category-{e(a['section'])}">
<div id="page" class="site">
<div id="top-bar"><span class="weather-widget">Millbrook 38°F Cloudy</span> | <a href="/{oid}/e-edition/" style="color:#fff">e-Edition</a> | <a href="/{oid}/subscribe/" style="color:#fff">Subscribe</a> | <a href="/{oid}/login/" style="color:#fff">Log In</a></div>
<p class="gdpr-notice" id="cookie-notice">This site uses cookies to improve your experience and to deliver relevant advertising. By continuing to browse you agree to our <a href="/{oid}/privacy-policy/">privacy policy</a>. <button type="button" class="cn-accept">OK, got it</button></p>
<header id="site-header" role="banner">
  <a class="site-title" href="{BASE}/{oid}/" rel="home">Cedar Valley Courier</a>
  <p class="site-description">{e(o['tagline'])}</p>
</header>
<nav id="primary-menu" class="main-navigation" role="navigation">{nav}</nav>
<div class="adunit adunit--728x90" id="div-gpt-ad-leaderboard"><span>Advertisement</span></div>
<div class="wrap">
  <div id="primary" class="content-area">
    <main id="main" class="site-main">
      <article id="post-{stable_int(a['slug'], 99999)}" class="entry post type-post status-publish">
        <header class="entry-header">
          <div class="entry-category"><a href="/{oid}/{e(a['section'])}/">{e(label)}</a></div>
          <h1 class="entry-title">{e(a['headline'])}</h1>
          <div class="entry-meta">
            <span class="byline">{e(a['byline'])}</span>{email}
            <span class="posted-on"><time class="entry-date published" datetime="{e(a['published'])}">{e(fmt_ap(a['published']))}</time></span>
            {updated}
          </div>
        </header>
        <div class="social-share">{share_links(corpus, a, "ss-list", ("Facebook", "Twitter", "Email", "Copy"))}</div>
        <figure class="wp-block-image featured-image">
          <img src="{e(image_url(a))}" alt="" width="1024" height="576" class="attachment-large size-large wp-post-image">
          <figcaption class="wp-element-caption">Courier file photo</figcaption>
        </figure>
        <div class="entry-content">
          {body_paragraphs(corpus, a, ad_in, ad_after=4)}
        </div>
        <footer class="entry-footer"><span class="tags-links">Tags: {tags}</span></footer>
      </article>
      <section class="jp-relatedposts" id="related-posts">
        <h3 class="jp-relatedposts-headline"><em>Related</em></h3>
        <ul>
          {link_list(corpus, related(corpus, a, 4), "jp-relatedposts-post", True, fmt_ap)}
        </ul>
      </section>
      <div class="newsletter-signup">
        <h3>Get the Courier in your inbox</h3>
        <p>Sign up for our free Morning Briefing newsletter for Cedar Valley news every weekday.</p>
        <form action="/{oid}/newsletter/" method="post"><input type="email" name="EMAIL" placeholder="Your email address"><input type="submit" value="Subscribe"></form>
      </div>
    </main>
  </div>
  <aside id="secondary" class="widget-area">
    <section class="widget widget_most_read"><h2 class="widget-title">Most Read</h2>
      <ol>
          {link_list(corpus, most_read(corpus, a, 5))}
      </ol>
    </section>
    <div class="adunit adunit--300x600" id="div-gpt-ad-sidebar"><span>Advertisement</span></div>
    <section class="widget widget_text"><h2 class="widget-title">Got a news tip?</h2><p>Call the newsroom at 802-555-0142 or email news@{o['email_domain']}.</p></section>
  </aside>
</div>
<footer id="colophon" class="site-footer">
  <nav class="footer-nav"><a href="/{oid}/about/">About</a> · <a href="/{oid}/contact/">Contact</a> · <a href="/{oid}/advertise/">Advertise</a> · <a href="/{oid}/obituaries/submit/">Submit an obituary</a> · <a href="/{oid}/privacy-policy/">Privacy Policy</a> · <a href="{corpus.feed_url(o)}">RSS</a></nav>
  <p class="site-info">Copyright © 2026 Cedar Valley Media Group. All rights reserved. 22 Depot Street, Millbrook.</p>
</footer>
</div>
</body>
</html>
"""


TRIBUNE_CSS = """
html{font-size:16px}body{margin:0;font-family:'Source Serif Pro',Georgia,serif;color:#111}
.tt-consent-overlay{position:fixed;inset:auto 0 0 0;background:#111;color:#eee;padding:18px}
.tt-header{display:flex;align-items:center;justify-content:space-between;padding:12px 32px;border-bottom:1px solid #e2e2e2}
.tt-brand{font:700 30px 'Playfair Display',Georgia,serif;color:#003a63;text-decoration:none}
.tt-sections{display:flex;gap:18px;list-style:none;margin:0;padding:10px 32px;background:#003a63}
.tt-sections a{color:#fff;text-decoration:none;font:600 14px system-ui,sans-serif}
.tt-ad{display:flex;align-items:center;justify-content:center;background:#f2f2f2;color:#999;font:11px system-ui}
.tt-layout{max-width:1200px;margin:24px auto;display:grid;grid-template-columns:1fr 300px;gap:40px}
.tt-story__kicker{font:700 13px system-ui;text-transform:uppercase;color:#b5121b}
.tt-story__title{font-size:42px;line-height:1.08;margin:6px 0 14px}.author{font:600 15px system-ui;margin:0}
.tt-story__text p{font-size:19px;line-height:1.7}.tt-authorbox{border-top:2px solid #003a63;margin-top:24px;padding-top:12px;font:14px system-ui}
.tt-footer{background:#f7f7f7;border-top:1px solid #ddd;padding:32px;font:14px system-ui}
"""


def render_tribune(corpus: Corpus, o: dict, a: dict) -> str:
    oid = o["id"]
    profile = lambda n: f"{BASE}/{oid}/author/{slugify(n)}/"
    nav = "".join(f'<li><a href="/{oid}/{k}/">{e(v)}</a></li>' for k, v in NAV[oid])
    label = SECTION_LABEL[oid].get(a["section"], a["section"].title())
    ld = article_jsonld(corpus, o, a, profile) or ""
    ad_in = '<aside class="tt-ad tt-ad--native" data-ad-position="story-mid">Advertisement</aside>'
    authorbox = ""
    if a["authors"]:
        boxes = []
        for n in a["authors"]:
            boxes.append(f'<div class="tt-authorbox__item"><strong>{e(n)}</strong>'
                         f'<a class="tt-authorbox__more" href="{e(profile(n))}">View all posts by {e(n)}</a></div>')
        authorbox = f'<section class="tt-authorbox" aria-label="About the author">{"".join(boxes)}</section>'
    upd = (f' <span class="tt-story__updated">| Updated <time datetime="{e(a["updated"])}">{e(fmt_ap(a["updated"]))}</time></span>'
           if a.get("updated") else "")
    tags = " ".join(f'<a class="tt-chip" href="/{oid}/topics/{slugify(t)}/">{e(t)}</a>' for t in a["tags"])
    return f"""<!doctype html>
<html lang="{o['locale']}" dir="ltr">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width,initial-scale=1">
{head_meta(corpus, o, a, f"{a['headline']} — {o['name']}", twitter="@LakesideTrib")}
<link rel="preconnect" href="https://fonts.static.example">
<style>{TRIBUNE_CSS}</style>
{ld}
</head>
<body data-page-type="story" data-section="{e(a['section'])}">
<div class="tt-consent-overlay" id="tt-consent" hidden>
  <h2>Your privacy choices</h2>
  <p>The Lakeside Tribune uses cookies and similar technologies to keep you signed in, measure how our journalism is used and show you relevant ads.</p>
  <button id="tt-consent-accept" type="button">Accept</button> <button id="tt-consent-reject" type="button">Reject non-essential</button> <a href="/{oid}/privacy/">Learn more</a>
</div>
<header class="tt-header">
  <button class="tt-menu-toggle" type="button" aria-expanded="false">Menu</button>
  <a class="tt-brand" href="{BASE}/{oid}/">The Lakeside Tribune</a>
  <div class="tt-header__actions"><a href="/{oid}/subscribe/" class="tt-btn tt-btn--primary">Subscribe</a> <a href="/{oid}/account/">My Account</a></div>
</header>
<nav aria-label="Main"><ul class="tt-sections">{nav}</ul></nav>
<div class="tt-ad tt-ad--top" style="height:90px" data-ad-position="top">Advertisement</div>
<div class="tt-layout">
  <main id="content">
    <article class="tt-story">
      <header class="tt-story__header">
      <div class="tt-story__kicker"><a href="/{oid}/{e(a['section'])}/">{e(label)}</a></div>
      <h1 class="tt-story__title">{e(a['headline'])}</h1>
      <p class="author">{byline_markup(a['byline'], a['authors'], lambda n, shown: f'<a href="{e(profile(n))}">{e(shown)}</a>')}</p>
      <p class="tt-story__dates">Published <time datetime="{e(a['published'])}">{e(fmt_ap(a['published']))}</time>{upd}</p>
      <div class="tt-story__share">{share_links(corpus, a, "tt-share")}</div>
      </header>
      <figure class="tt-story__lead">
        <picture><img src="{e(image_url(a))}" alt="" width="1200" height="675"></picture>
        <figcaption><span class="tt-caption">Tribune file image.</span> <span class="tt-credit">(Lakeside Tribune)</span></figcaption>
      </figure>
      <section class="tt-story__text article-body">
          {body_paragraphs(corpus, a, ad_in)}
      </section>
      <footer class="tt-story__footer">
      <div class="tt-story__topics">Topics: {tags}</div>
      {authorbox}
      </footer>
    </article>
    <section class="tt-related">
      <h2>Related stories</h2>
      <ul class="tt-related__list">
          {link_list(corpus, related(corpus, a, 4), "tt-related__item")}
      </ul>
    </section>
    <section class="tt-promo tt-promo--newsletter">
      <h2>The Lakeside Daily</h2>
      <p>Get the top stories from Port Avery and around Lake Tamsin in your inbox every morning.</p>
      <a class="tt-btn" href="/{oid}/newsletters/">Sign up for free</a>
    </section>
  </main>
  <aside class="tt-rail">
    <div class="tt-ad tt-ad--rail" style="height:250px" data-ad-position="rail-1">Advertisement</div>
    <section class="tt-mostread"><h2>Most Read</h2>
      <ol>
          {link_list(corpus, most_read(corpus, a))}
      </ol>
    </section>
    <div class="tt-ad tt-ad--rail" style="height:600px" data-ad-position="rail-2">Advertisement</div>
  </aside>
</div>
<footer class="tt-footer">
  <div class="tt-footer__cols">
    <ul><li><a href="/{oid}/about/">About the Tribune</a></li><li><a href="/{oid}/contact/">Contact the newsroom</a></li><li><a href="/{oid}/ethics/">Ethics policy</a></li></ul>
    <ul><li><a href="/{oid}/subscribe/">Subscribe</a></li><li><a href="/{oid}/eedition/">e-Edition</a></li><li><a href="{corpus.feed_url(o)}">Atom feed</a></li></ul>
    <ul><li><a href="/{oid}/terms/">Terms of Service</a></li><li><a href="/{oid}/privacy/">Privacy Policy</a></li><li><a href="/{oid}/privacy/do-not-sell/">Do Not Sell My Personal Information</a></li></ul>
  </div>
  <p>© 2026 Lakeside Tribune Publishing Co., Port Avery. All rights reserved.</p>
</footer>
<script>document.getElementById("tt-consent").hidden=false;</script>
</body>
</html>
"""


PULSE_CSS = """
*{box-sizing:border-box}body{margin:0;font-family:Inter,Roboto,Arial,sans-serif;background:#f3f4f6;color:#111827}
.np-topnav{display:flex;align-items:center;gap:20px;background:#111827;padding:10px 20px}
.np-topnav__logo{color:#f43f5e;font-weight:800;font-size:24px;text-decoration:none}.np-topnav a{color:#e5e7eb;text-decoration:none;font-size:14px}
.np-cookie{position:fixed;right:16px;bottom:16px;max-width:380px;background:#fff;box-shadow:0 4px 24px rgba(0,0,0,.2);padding:16px;border-radius:8px}
.np-container{max-width:1140px;margin:20px auto;display:grid;grid-template-columns:1fr 320px;gap:24px}
.np-card{background:#fff;border-radius:8px;padding:28px}.np-headline{font-size:34px;line-height:1.15;margin:8px 0 12px}
.article-meta{display:flex;gap:12px;align-items:center;font-size:14px;color:#6b7280}.author-name{color:#111827;font-weight:600}
.np-body p{font-size:18px;line-height:1.7}.np-sponsored{background:#fff;border:1px dashed #d1d5db;padding:12px;font-size:12px;color:#9ca3af}
.np-footer{background:#111827;color:#9ca3af;padding:28px 20px;font-size:13px}
"""


def render_pulse(corpus: Corpus, o: dict, a: dict) -> str:
    oid = o["id"]
    profile = lambda n: f"{BASE}/{oid}/people/{slugify(n)}"
    nav = "".join(f'<a href="/{oid}/{k}/">{e(v)}</a>' for k, v in NAV[oid])
    label = SECTION_LABEL[oid].get(a["section"], a["section"].title())
    ld = article_jsonld(corpus, o, a, profile) or ""
    ad_in = '<aside class="np-sponsored" data-placement="in-article">Advertisement</aside>'
    source_note = ""
    if "The Associated Press" in a["organizations"] and a.get("wire_variant"):
        source_note = '<span class="np-source">Source: AP</span>'
    trending = "".join(f'<a class="np-pill" href="/{oid}/topic/{slugify(t)}/">#{e(t)}</a> ' for t in a["tags"])
    return f"""<!DOCTYPE html>
<html lang="{o['locale']}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
{head_meta(corpus, o, a, f"{a['headline']} | NewsPulse")}
<meta name="theme-color" content="#111827">
<style>{PULSE_CSS}</style>
{analytics(o, a)}
{ld}
</head>
<body class="np np--story">
<nav class="np-topnav" aria-label="Primary">
  <a class="np-topnav__logo" href="{BASE}/{oid}/">NewsPulse</a>
  {nav}
  <a class="np-topnav__app" href="/{oid}/app/">Get the app</a>
</nav>
<div class="np-ad np-ad--banner" data-placement="top-banner" style="height:90px;text-align:center">Advertisement</div>
<div class="np-container">
  <main class="np-card" role="main">
    <div class="np-breadcrumbs"><a href="{BASE}/{oid}/">Home</a> / <a href="/{oid}/{e(a['section'])}/">{e(label)}</a></div>
    <article class="np-article">
      <header class="np-article__header">
      <h1 class="np-headline">{e(a['headline'])}</h1>
      <div class="article-meta">
        <span class="author-name">{e(a['byline'])}</span>
        <time class="np-date" datetime="{e(a['published'])}">{e(fmt_pulse(a['published']))}</time>
        {source_note}
      </div>
      <div class="np-share" aria-label="Share">{share_links(corpus, a, "np-share-list", ("Share", "Post", "Email", "Copy link"))}</div>
      </header>
      <figure class="np-hero"><img src="{e(image_url(a))}" alt="" width="960" height="540"><figcaption>Image via NewsPulse</figcaption></figure>
      <div class="np-body article__content">
          {body_paragraphs(corpus, a, ad_in, ad_after=5)}
      </div>
      <div class="np-trending">{trending}</div>
    </article>
    <section class="np-more">
      <h2>Related stories</h2>
      <ul>
          {link_list(corpus, related(corpus, a, 5), "np-more__item")}
      </ul>
    </section>
    <section class="np-newsletter">
      <h3>Start your day with The Pulse</h3>
      <p>Five stories you need to know, every weekday at 6 a.m. ET.</p>
      <form action="/{oid}/subscribe" method="post"><input type="email" name="email" aria-label="Email"><button>Subscribe</button></form>
    </section>
  </main>
  <aside class="np-sidebar">
    <div class="np-ad np-ad--box" data-placement="sidebar" style="height:250px">Advertisement</div>
    <section class="np-trending-list"><h2>Trending Now</h2>
      <ol>
          {link_list(corpus, most_read(corpus, a, 6))}
      </ol>
    </section>
  </aside>
</div>
<div class="np-cookie" id="np-cookie-banner" role="alertdialog" aria-live="polite">
  <p><strong>We value your privacy.</strong> We use cookies to enhance your browsing experience, serve personalized ads or content, and analyze our traffic. By clicking "Accept All", you consent to our use of cookies.</p>
  <button type="button" class="np-cookie__accept">Accept All</button> <button type="button" class="np-cookie__settings">Cookie Settings</button>
</div>
<footer class="np-footer">
  <p><a href="/{oid}/about">About NewsPulse</a> · <a href="/{oid}/partners">Our partner newsrooms</a> · <a href="/{oid}/terms">Terms</a> · <a href="/{oid}/privacy">Privacy</a> · <a href="/{oid}/ads">Ad Choices</a> · <a href="{corpus.feed_url(o)}">Atom</a></p>
  <p>NewsPulse aggregates stories from The Associated Press and partner newsrooms. © 2026 NewsPulse Media Inc. All rights reserved.</p>
</footer>
</body>
</html>
"""


BOTE_CSS = """
body{margin:0;font-family:'Noto Serif',Georgia,serif;color:#1a1a1a;background:#fff}
.kb-consent{position:fixed;inset:0;background:rgba(0,0,0,.55);display:flex;align-items:center;justify-content:center}
.kb-consent__box{background:#fff;max-width:560px;padding:24px;font-family:Arial,sans-serif}
.kb-kopf{text-align:center;padding:16px;border-bottom:3px double #222}.kb-kopf__logo{font:700 44px 'UnifrakturMaguntia',Georgia,serif;color:#111;text-decoration:none}
.kb-ressorts{display:flex;justify-content:center;gap:16px;background:#8b0000;padding:8px}.kb-ressorts a{color:#fff;font:bold 14px Arial;text-decoration:none}
.kb-werbung{background:#f0f0f0;color:#777;font:10px Arial;text-align:center;letter-spacing:.1em;text-transform:uppercase}
.kb-inhalt{max-width:1080px;margin:0 auto;display:grid;grid-template-columns:1fr 300px;gap:36px;padding:20px}
.kb-artikel__dachzeile{font:bold 14px Arial;color:#8b0000}.kb-artikel__titel{font-size:38px;margin:6px 0}
.autor{font:italic 15px Georgia;color:#333}.kb-artikel__datum{font:13px Arial;color:#666}
.kb-artikel__text p{font-size:18px;line-height:1.65}.kb-fuss{background:#222;color:#bbb;padding:24px;font:13px Arial}
"""


def render_bote(corpus: Corpus, o: dict, a: dict) -> str:
    oid = o["id"]
    profile = lambda n: f"{BASE}/{oid}/autoren/{slugify(n)}/"
    nav = "".join(f'<a href="/{oid}/{k}/">{e(v)}</a>' for k, v in NAV[oid])
    label = SECTION_LABEL[oid].get(a["section"], a["section"].title())
    ld = article_jsonld(corpus, o, a, profile) or ""
    ad_in = '<aside class="kb-werbung kb-werbung--content" style="height:250px">Anzeige</aside>'
    akt = (f' | Aktualisiert: <time datetime="{e(a["updated"])}">{e(fmt_de(a["updated"]))}</time>' if a.get("updated") else "")
    schlagworte = " · ".join(f'<a href="/{oid}/thema/{slugify(t)}/">{e(t)}</a>' for t in a["tags"])
    return f"""<!DOCTYPE html>
<html lang="{o['locale']}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{head_meta(corpus, o, a, f"{a['headline']} | {o['name']}")}
<meta name="news_keywords" content="{e(', '.join(a['tags']))}">
<style>{BOTE_CSS}</style>
{ld}
</head>
<body class="kb-seite kb-seite--artikel">
<div class="kb-consent" id="kb-consent" role="dialog" aria-modal="true">
  <div class="kb-consent__box">
    <h2>Wir respektieren Ihre Privatsphäre</h2>
    <p>Wir und unsere Partner verwenden Cookies und ähnliche Technologien, um Inhalte und Anzeigen zu personalisieren und die Zugriffe auf unsere Website zu analysieren. Weitere Informationen finden Sie in unserer <a href="/{oid}/datenschutz/">Datenschutzerklärung</a>.</p>
    <button type="button" class="kb-consent__ok">Alle akzeptieren</button> <button type="button" class="kb-consent__settings">Einstellungen</button> <a href="/{oid}/pur-abo/">Werbefrei lesen mit Pur-Abo</a>
  </div>
</div>
<header class="kb-kopf">
  <div class="kb-kopf__service"><a href="/{oid}/epaper/">E-Paper</a> | <a href="/{oid}/abo/">Abo</a> | <a href="/{oid}/anzeigen/">Anzeigen aufgeben</a> | <a href="/{oid}/login/">Anmelden</a></div>
  <a class="kb-kopf__logo" href="{BASE}/{oid}/">Kellbacher Bote</a>
  <div class="kb-kopf__claim">{e(o['tagline'])}</div>
</header>
<nav class="kb-ressorts" aria-label="Ressorts">{nav}</nav>
<div class="kb-werbung kb-werbung--billboard" style="height:250px">Anzeige</div>
<div class="kb-inhalt">
  <main>
    <ol class="kb-brotkrumen"><li><a href="{BASE}/{oid}/">Startseite</a></li><li><a href="/{oid}/{e(a['section'])}/">{e(label)}</a></li></ol>
    <article class="kb-artikel">
      <header class="kb-artikel__kopf">
      <div class="kb-artikel__dachzeile">{e(label)}</div>
      <h1 class="kb-artikel__titel">{e(a['headline'])}</h1>
      <div class="autor">{byline_markup(a['byline'], a['authors'], lambda n, shown: f'<a class="autor__link" href="{e(profile(n))}">{e(shown)}</a>')}</div>
      <div class="kb-artikel__datum">Veröffentlicht: <time datetime="{e(a['published'])}">{e(fmt_de(a['published']))}</time>{akt}</div>
      <div class="kb-teilen">Artikel teilen: {share_links(corpus, a, "kb-teilen-liste", ("Facebook", "X", "E-Mail", "Link kopieren"))}</div>
      </header>
      <figure class="kb-artikel__bild"><img src="{e(image_url(a))}" alt="" width="900" height="506"><figcaption>Symbolbild. Foto: Kellbacher Bote</figcaption></figure>
      <div class="kb-artikel__text">
          {body_paragraphs(corpus, a, ad_in, ad_after=2)}
      </div>
      <footer class="kb-artikel__fuss"><p class="kb-artikel__schlagworte">Schlagworte: {schlagworte}</p></footer>
    </article>
    <section class="kb-mehr-zum-thema">
      <h2>Mehr zum Thema</h2>
      <ul>
          {link_list(corpus, related(corpus, a, 4))}
      </ul>
    </section>
    <section class="kb-newsletter">
      <h2>Der Bote am Morgen</h2>
      <p>Die wichtigsten Nachrichten aus Kellbach jeden Morgen kostenlos per E-Mail.</p>
      <form action="/{oid}/newsletter/" method="post"><input type="email" name="email" placeholder="Ihre E-Mail-Adresse"><button>Jetzt anmelden</button></form>
    </section>
  </main>
  <aside class="kb-randspalte">
    <section class="kb-meistgelesen"><h2>Meistgelesen</h2>
      <ol>
          {link_list(corpus, most_read(corpus, a))}
      </ol>
    </section>
    <div class="kb-werbung kb-werbung--sky" style="height:600px">Anzeige</div>
  </aside>
</div>
<footer class="kb-fuss">
  <p><a href="/{oid}/impressum/">Impressum</a> | <a href="/{oid}/datenschutz/">Datenschutz</a> | <a href="/{oid}/agb/">AGB</a> | <a href="/{oid}/kontakt/">Kontakt</a> | <a href="/{oid}/mediadaten/">Mediadaten</a> | <a href="{corpus.feed_url(o)}">RSS</a></p>
  <p>© 2026 Kellbacher Verlagsgesellschaft mbH. Alle Rechte vorbehalten.</p>
</footer>
</body>
</html>
"""


ECHO_CSS = """
body{margin:0;font-family:'Merriweather',Georgia,serif;color:#222;background:#fdfcf9}
#bandeau-cookies{background:#263238;color:#fff;padding:14px 20px;font:14px Arial,sans-serif}
.entete{display:flex;justify-content:space-between;align-items:flex-end;padding:18px 28px;border-bottom:1px solid #ccc}
.entete__titre{font:italic 700 40px Georgia,serif;color:#004d40;text-decoration:none}
.menu-rubriques{list-style:none;display:flex;gap:14px;margin:0;padding:10px 28px;border-bottom:3px solid #004d40}
.menu-rubriques a{color:#004d40;font:700 14px Arial;text-decoration:none;text-transform:uppercase}
.pub{background:#eee;color:#999;text-align:center;font:10px Arial;text-transform:uppercase}
.conteneur{max-width:1100px;margin:0 auto;display:flex;gap:32px;padding:24px}
.article-principal{flex:1}.article-principal h1{font-size:36px;line-height:1.2}
.chapo{font-weight:bold;font-size:19px}.signature{font:14px Arial;color:#004d40;text-transform:uppercase;letter-spacing:.03em}
.corps-article p{font-size:17px;line-height:1.75}.pied{background:#004d40;color:#e0f2f1;padding:26px;font:13px Arial}
"""


def render_echo(corpus: Corpus, o: dict, a: dict) -> str:
    oid = o["id"]
    nav = "".join(f'<li><a href="/{oid}/{k}/">{e(v)}</a></li>' for k, v in NAV[oid])
    label = SECTION_LABEL[oid].get(a["section"], a["section"].title())
    ad_in = '<aside class="pub pub--inread" style="height:280px">Publicité</aside>'
    signature = byline_markup(a["byline"], a["authors"], lambda n, shown: f'<span itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">{e(shown)}</span></span>')
    maj = (f' <span class="maj">Mis à jour le <time datetime="{e(a["updated"])}">{e(fmt_fr(a["updated"]))}</time></span>'
           if a.get("updated") else "")
    mots = "".join(f'<li><a href="/{oid}/mot-cle/{slugify(t)}/">{e(t)}</a></li>' for t in a["tags"])
    return f"""<!DOCTYPE html>
<html lang="{o['locale']}" prefix="og: https://ogp.me/ns#">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{head_meta(corpus, o, a, f"{a['headline']} - {o['name']}")}
<style>{ECHO_CSS}</style>
{analytics(o, a)}
</head>
<body class="page-article rubrique-{e(a['section'])}">
<div id="bandeau-cookies" class="bandeau-consentement">
  <p>En poursuivant votre navigation, vous acceptez l'utilisation de cookies destinés à mesurer l'audience et à vous proposer des publicités adaptées. <a href="/{oid}/cookies/" style="color:#fff">En savoir plus</a></p>
  <button type="button" class="bandeau-consentement__accepter">Accepter</button> <button type="button" class="bandeau-consentement__refuser">Continuer sans accepter</button>
</div>
<header class="entete">
  <a class="entete__titre" href="{BASE}/{oid}/">L'Écho de Valmont</a>
  <div class="entete__liens"><a href="/{oid}/abonnement/">S'abonner</a> · <a href="/{oid}/connexion/">Se connecter</a> · <a href="/{oid}/journal-numerique/">Le journal numérique</a></div>
</header>
<nav class="navigation-principale" aria-label="Rubriques"><ul class="menu-rubriques">{nav}</ul></nav>
<div class="pub pub--banniere" style="height:90px">Publicité</div>
<div class="conteneur">
  <main class="article-principal" itemscope itemtype="https://schema.org/NewsArticle">
    <meta itemprop="datePublished" content="{e(a['published'])}">
    <div class="fil-ariane"><a href="{BASE}/{oid}/">Accueil</a> &gt; <a href="/{oid}/{e(a['section'])}/">{e(label)}</a></div>
    <article>
      <h1 itemprop="headline">{e(a['headline'])}</h1>
      <p class="signature">{signature}</p>
      <p class="date-publication">Publié le <time datetime="{e(a['published'])}">{e(fmt_fr(a['published']))}</time>{maj}</p>
      <div class="partage">{share_links(corpus, a, "partage-liste", ("Partager sur Facebook", "Partager sur X", "Envoyer par e-mail", "Copier le lien"))}</div>
      <figure class="illustration"><img itemprop="image" src="{e(image_url(a))}" alt="" width="960" height="540"><figcaption>Photo d'illustration. © L'Écho de Valmont</figcaption></figure>
      <div class="corps-article" itemprop="articleBody">
          {body_paragraphs(corpus, a, ad_in, ad_after=3)}
      </div>
      <ul class="mots-cles">{mots}</ul>
    </article>
    <section class="a-lire-aussi">
      <h2>À lire aussi</h2>
      <ul>
          {link_list(corpus, related(corpus, a, 4))}
      </ul>
    </section>
    <section class="lettre-info">
      <h2>La lettre de L'Écho</h2>
      <p>Recevez chaque matin l'essentiel de l'actualité de la vallée de la Lize.</p>
      <form action="/{oid}/newsletter/" method="post"><input type="email" name="courriel" placeholder="Votre adresse e-mail"><button>Je m'inscris</button></form>
    </section>
  </main>
  <aside class="colonne-droite">
    <div class="pub pub--pave" style="height:250px">Publicité</div>
    <section class="les-plus-lus"><h2>Les plus lus</h2>
      <ol>
          {link_list(corpus, most_read(corpus, a))}
      </ol>
    </section>
  </aside>
</div>
<footer class="pied">
  <ul><li><a href="/{oid}/mentions-legales/">Mentions légales</a></li><li><a href="/{oid}/cgu/">CGU</a></li><li><a href="/{oid}/confidentialite/">Politique de confidentialité</a></li><li><a href="/{oid}/contact/">Nous contacter</a></li><li><a href="{corpus.feed_url(o)}">Flux Atom</a></li></ul>
  <p>© 2026 L'Écho de Valmont – Éditions de la Lize SAS. Tous droits réservés. Reproduction interdite sans autorisation.</p>
</footer>
</body>
</html>
"""


TEMPLATES = {
    "gazette": render_gazette,
    "courier": render_courier,
    "tribune": render_tribune,
    "pulse": render_pulse,
    "bote": render_bote,
    "echo": render_echo,
}


def render_outlet_index(corpus: Corpus, o: dict) -> str:
    items = "\n".join(
        f'    <li><a href="{e(corpus.url(a))}">{e(a["headline"])}</a> <small>{e(a["published"])}</small></li>'
        for a in corpus.articles[o["id"]])
    return f"""<!DOCTYPE html>
<html lang="{o['locale']}">
<head><meta charset="utf-8"><title>{e(o['name'])}</title>
<link rel="alternate" type="application/{"rss" if o["feed"]["format"] == "rss" else "atom"}+xml" href="{e(corpus.feed_url(o))}"></head>
<body>
  <h1>{e(o['name'])}</h1>
  <p>{e(o['tagline'])}</p>
  <p><a href="{e(corpus.feed_url(o))}">Feed</a></p>
  <ul>
{items}
  </ul>
</body>
</html>
"""


# --------------------------------------------------------------------------
# feeds
# --------------------------------------------------------------------------

def feed_items(corpus: Corpus, o: dict) -> list[dict]:
    """All items of one outlet's feed, newest first, with everything expected.json needs."""
    items = []
    tracked = set(o.get("tracking_params_slugs", []))
    fcfg = o["feed"]
    for a in corpus.articles[o["id"]]:
        canonical = corpus.url(a)
        link = f"{canonical}?{TRACKING_QUERY}" if a["slug"] in tracked else canonical
        items.append({"kind": "article", "article": a, "link": link, "canonical": canonical,
                      "published": a["published"], "updated": a.get("updated") or a["published"],
                      "title": a["headline"], "summary": a["description"], "category": SECTION_LABEL[o["id"]].get(a["section"], a["section"]),
                      "authors": a["authors"], "key": a["slug"]})
    for extra in o.get("extra_feed_items", []):
        kind = extra["kind"]
        if kind == "http_404":
            d = dt(extra["published"])
            link = f"{BASE}/{o['id']}/{extra['section']}/{d.year:04d}/{d.month:02d}/{extra['slug']}.html"
            items.append({"kind": "http_404", "article": None, "link": link, "canonical": link,
                          "published": extra["published"], "updated": extra["published"], "title": extra["headline"],
                          "summary": extra["description"], "category": SECTION_LABEL[o["id"]].get(extra["category"], extra["category"]),
                          "authors": [], "key": extra["slug"], "note": extra.get("note")})
        elif kind == "not_html":
            link = f"{BASE}/{o['id']}/{extra['path']}"
            items.append({"kind": "not_html", "article": None, "link": link, "canonical": link,
                          "published": extra["published"], "updated": extra["published"], "title": extra["headline"],
                          "summary": extra["description"], "category": extra["category"], "authors": [],
                          "creator": extra.get("creator"), "key": extra["path"], "note": extra.get("note")})
        elif kind == "partner_link":
            target = corpus.index[(extra["target_outlet"], extra["target_slug"])]
            link = corpus.url(target)
            items.append({"kind": "article", "article": target, "link": link, "canonical": link,
                          "published": extra["published"], "updated": extra["published"], "title": extra["headline"],
                          "summary": target["description"], "category": "Partner",
                          "authors": target["authors"], "guid": extra["guid"], "key": "partner:" + extra["target_slug"],
                          "note": extra.get("note")})
        else:
            raise ValueError(f"unknown extra feed item kind {kind!r}")
    items.sort(key=lambda it: (dt(it["published"]), it["key"]), reverse=True)
    # guids / ids
    seen = set()
    for it in items:
        if "guid" in it:
            pass
        elif fcfg["format"] == "rss" and fcfg.get("guid_style") == "permalink":
            it["guid"] = it["canonical"]
        elif fcfg["format"] == "rss":
            it["guid"] = f"{fcfg['guid_prefix']}{10000 + stable_int(o['id'] + it['key'], 89999)}"
        elif o["id"] == "lakeside-tribune":
            it["guid"] = f"{fcfg['id_prefix']}{100000 + stable_int(it['key'], 899999)}"
        elif o["id"] == "newspulse":
            it["guid"] = f"{fcfg['id_prefix']}{hashlib.sha1(it['key'].encode()).hexdigest()[:12]}"
        else:
            it["guid"] = f"{fcfg['id_prefix']}{it['key']}"
        assert it["guid"] not in seen, it["guid"]
        seen.add(it["guid"])
    return items


def feed_author_names(o: dict, it: dict) -> list[str]:
    if it.get("creator"):
        return [it["creator"]]
    if it["authors"]:
        return list(it["authors"])
    if it["article"] is not None:
        return [it["article"]["byline"]]
    return []


def render_rss(corpus: Corpus, o: dict, items: list[dict]) -> str:
    f = o["feed"]
    last = max(items, key=lambda it: dt(it["updated"]))["updated"]
    bad_title_slug = f.get("unescaped_ampersand_slug")
    ns_dc = ' xmlns:dc="http://purl.org/dc/elements/1.1/"' if f.get("dc_creator") else ""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"{ns_dc}>',
        "<channel>",
        f"  <title>{x(f['title'])}</title>",
        f"  <link>{BASE}/{o['id']}/</link>",
        f"  <description>{x(f['description'])}</description>",
        f"  <language>{o['locale'].lower()}</language>",
        f"  <copyright>{x('© 2026 ' + o['name'])}</copyright>",
        f"  <lastBuildDate>{rfc822(last)}</lastBuildDate>",
        "  <generator>newsbeam demo corpus</generator>",
        "  <ttl>15</ttl>",
        f'  <atom:link href="{corpus.feed_url(o)}" rel="self" type="application/rss+xml"/>',
        "  <image>",
        f"    <url>{BASE}/{o['id']}/img/logo.png</url>",
        f"    <title>{x(f['title'])}</title>",
        f"    <link>{BASE}/{o['id']}/</link>",
        "  </image>",
    ]
    for it in items:
        a = it["article"]
        title = x(it["title"])
        if bad_title_slug and a is not None and a["slug"] == bad_title_slug:
            title = it["title"]  # deliberately NOT escaped: malformed XML, feed stays readable (bozo)
        out.append("  <item>")
        out.append(f"    <title>{title}</title>")
        out.append(f"    <link>{x(it['link'])}</link>")
        perma = "true" if f.get("guid_style") == "permalink" else "false"
        out.append(f'    <guid isPermaLink="{perma}">{x(it["guid"])}</guid>')
        out.append(f"    <pubDate>{rfc822(it['published'])}</pubDate>")
        if o["id"] == "kellbacher-bote":
            out.append(f"    <description><![CDATA[<p>{html.escape(it['summary'], quote=False)}</p>]]></description>")
        else:
            out.append(f"    <description>{x(it['summary'])}</description>")
        out.append(f"    <category>{x(it['category'])}</category>")
        if a is not None and o["id"] != "kellbacher-bote":
            for t in a["tags"][:3]:
                out.append(f"    <category>{x(t)}</category>")
        if f.get("dc_creator"):
            for n in feed_author_names(o, it):
                out.append(f"    <dc:creator>{x(n)}</dc:creator>")
        elif o["id"] == "harbour-gazette" and it["authors"]:
            out.append(f"    <author>newsdesk@harbourgazette.example ({x(' and '.join(it['authors']))})</author>")
        if it["kind"] == "not_html":
            out.append(f'    <enclosure url="{x(it["link"])}" length="{len(PDF_CACHE[0])}" type="application/pdf"/>')
        out.append("  </item>")
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def render_atom(corpus: Corpus, o: dict, items: list[dict]) -> str:
    f = o["feed"]
    last = max(items, key=lambda it: dt(it["updated"]))["updated"]
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{o["locale"]}">',
        f"  <title>{x(f['title'])}</title>",
        f"  <subtitle>{x(f['subtitle'])}</subtitle>",
        f"  <id>{BASE}/{o['id']}/</id>",
        f"  <updated>{last}</updated>",
        f'  <link rel="self" type="application/atom+xml" href="{corpus.feed_url(o)}"/>',
        f'  <link rel="alternate" type="text/html" href="{BASE}/{o["id"]}/"/>',
        f"  <author><name>{x(o['name'])}</name></author>",
        f"  <icon>{BASE}/{o['id']}/img/logo.png</icon>",
        f"  <rights>{x('© 2026 ' + o['name'])}</rights>",
        '  <generator version="1.0">newsbeam demo corpus</generator>',
    ]
    for it in items:
        out.append("  <entry>")
        out.append(f"    <id>{x(it['guid'])}</id>")
        out.append(f'    <title type="text">{x(it["title"])}</title>')
        out.append(f'    <link rel="alternate" type="text/html" href="{x(it["link"])}"/>')
        out.append(f"    <published>{it['published']}</published>")
        out.append(f"    <updated>{it['updated']}</updated>")
        for n in feed_author_names(o, it):
            out.append(f"    <author><name>{x(n)}</name></author>")
        out.append(f'    <summary type="html">{x("<p>" + html.escape(it["summary"], quote=False) + "</p>")}</summary>')
        out.append(f'    <category term="{x(it["category"])}"/>')
        if it["article"] is not None:
            for t in it["article"]["tags"][:3]:
                out.append(f'    <category term="{x(t)}"/>')
        out.append("  </entry>")
    out += ["</feed>", ""]
    return "\n".join(out)


PDF_CACHE: list[bytes] = []


# --------------------------------------------------------------------------
# main build
# --------------------------------------------------------------------------

def write(path: Path, data, binary: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if binary:
        path.write_bytes(data)
    else:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(data)


def build() -> dict:
    corpus = Corpus()
    assert SITE.name == "site" and SITE.parent == DEMO
    if SITE.exists():
        shutil.rmtree(SITE)
    SITE.mkdir(parents=True)

    PDF_CACHE.clear()
    PDF_CACHE.append(pdf_bytes("Cedar Valley Media Group - Annual Report 2025-26", [
        "This document is part of the fictional newsbeam demo corpus.",
        "Revenue, circulation and audience figures for the fiscal year.",
        "Print circulation: 8,412. Digital subscribers: 5,930.",
    ]))

    feed_entries = []
    feeds_meta = []
    for o in corpus.outlets:
        oid = o["id"]
        render = TEMPLATES[o["template"]]
        for a in corpus.articles[oid]:
            write(SITE / corpus.rel_path(a), render(corpus, o, a))
        write(SITE / oid / "index.html", render_outlet_index(corpus, o))
        sections = sorted({a["section"] for a in corpus.articles[oid]})
        for s in sections:
            top, bottom = color_for(oid + s)
            write(SITE / oid / "img" / f"{s}.png", png_bytes(64, 36, top, bottom), binary=True)
        top, bottom = color_for(oid)
        write(SITE / oid / "img" / "logo.png", png_bytes(120, 12, top, top), binary=True)

        items = feed_items(corpus, o)
        if o["feed"]["format"] == "rss":
            write(SITE / oid / o["feed"]["path"], render_rss(corpus, o, items))
        else:
            write(SITE / oid / o["feed"]["path"], render_atom(corpus, o, items))
        for it in items:
            if it["kind"] == "not_html":
                write(SITE / it["link"][len(BASE) + 1:], PDF_CACHE[0], binary=True)
        furl = corpus.feed_url(o)
        feeds_meta.append({
            "url": furl, "outlet": oid, "outlet_name": o["name"], "format": o["feed"]["format"],
            "language": o["language"], "expected": "ok",
            "bozo": bool(o["feed"].get("unescaped_ampersand_slug")), "entries": len(items),
        })
        for it in items:
            a = it["article"]
            entry = {
                "url": it["link"],
                "canonical_url": it["canonical"],
                "feed_url": furl,
                "feed_outlet": oid,
                "guid": it["guid"],
                "feed_title": it["title"],
                "feed_authors": feed_author_names(o, it),
                "outcome": "article" if it["kind"] == "article" else it["kind"],
            }
            if a is not None:
                entry.update({
                    "outlet": a["outlet"],
                    "slug": a["slug"],
                    "section": a["section"],
                    "headline": a["headline"],
                    "byline": a["byline"],
                    "authors": a["authors"],
                    "organizations": a["organizations"],
                    "language": a["language"],
                    "published": a["published"],
                    "updated": a.get("updated"),
                    "paragraph_count": len(a["paragraphs"]),
                    "word_count": sum(len(p.split()) for p in a["paragraphs"]),
                    "tracking_params": it["link"] != it["canonical"],
                    "wire_group": a.get("wire_group"),
                    "wire_variant": a.get("wire_variant"),
                    "hard_negative_for": a.get("hard_negative_for"),
                })
                if a.get("note"):
                    entry["note"] = a["note"]
            else:
                entry.update({
                    "outlet": oid, "slug": None, "section": None, "headline": it["title"], "byline": None,
                    "authors": [], "organizations": [], "language": o["language"],
                    "published": it["published"], "updated": None, "paragraph_count": 0, "word_count": 0,
                    "tracking_params": False, "wire_group": None, "wire_variant": None, "hard_negative_for": None,
                })
            if it.get("note"):
                entry["note"] = it["note"]
            feed_entries.append(entry)

    # broken feeds
    unreadable = []
    for b in corpus.broken_feeds:
        write(SITE / b["path"], garbage_bytes("newsbeam-demo-" + b["id"], 4096), binary=True)
        url = f"{BASE}/{b['path']}"
        unreadable.append(url)
        feeds_meta.append({"url": url, "outlet": b["id"], "outlet_name": None, "format": None, "language": None,
                           "expected": "unreadable_feed", "bozo": True, "entries": 0, "note": b.get("note")})

    # top-level index
    rows = "\n".join(f'    <li><a href="{e(f["url"])}">{e(f["outlet_name"] or f["outlet"])}</a> ({e(f["format"] or "broken")})</li>'
                     for f in feeds_meta)
    write(SITE / "index.html", f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>newsbeam demo corpus</title></head>
<body>
  <h1>newsbeam demo corpus</h1>
  <p>Fictional outlets and articles written for the newsbeam project. Generated by tools/build_demo_corpus.py.</p>
  <ul>
{rows}
  </ul>
</body></html>
""")

    # ---- expected facts ---------------------------------------------------
    all_articles = [a for o in corpus.outlets for a in corpus.articles[o["id"]]]
    by_url: dict[str, list[dict]] = {}
    for en in feed_entries:
        by_url.setdefault(en["url"], []).append(en)
    url_dups = [{"url": u, "feed_urls": sorted(en["feed_url"] for en in ens), "guids": sorted(en["guid"] for en in ens)}
                for u, ens in sorted(by_url.items()) if len(ens) > 1]

    by_body: dict[tuple, list[str]] = {}
    for a in all_articles:
        by_body.setdefault(tuple(a["paragraphs"]), []).append(corpus.url(a))
    exact = sorted(sorted(urls) for urls in by_body.values() if len(urls) > 1)

    wire_groups: dict[str, dict] = {}
    for a in sorted(all_articles, key=lambda a: (dt(a["published"]), a["slug"])):
        g = a.get("wire_group")
        if g:
            grp = wire_groups.setdefault(g, {"original": None, "members": [], "hard_negatives": []})
            if a["wire_variant"] == "original":
                grp["original"] = corpus.url(a)
            grp["members"].append({"url": corpus.url(a), "outlet": a["outlet"], "variant": a["wire_variant"],
                                   "byline": a["byline"], "authors": a["authors"], "headline": a["headline"]})
    for a in sorted(all_articles, key=lambda a: (dt(a["published"]), a["slug"])):
        g = a.get("hard_negative_for")
        if g:
            wire_groups[g]["hard_negatives"].append({"url": corpus.url(a), "outlet": a["outlet"],
                                                     "kind": a["hard_negative_kind"], "headline": a["headline"]})
    for g in wire_groups.values():
        g["credited_reporter"] = "Sam Reed"
        g["agency"] = "The Associated Press"

    outcome_counts: dict[str, int] = {}
    for en in feed_entries:
        outcome_counts[en["outcome"]] = outcome_counts.get(en["outcome"], 0) + 1

    expected = {
        "schema_version": SCHEMA_VERSION,
        "generated_by": "tools/build_demo_corpus.py",
        "base_url_placeholder": BASE,
        "feeds_count": len(feeds_meta),
        "feed_urls": [f["url"] for f in feeds_meta],
        "feeds": feeds_meta,
        "unreadable_feeds": unreadable,
        "bozo_but_readable_feeds": [f["url"] for f in feeds_meta if f["bozo"] and f["expected"] == "ok"],
        "total_feed_entries": len(feed_entries),
        "unique_entry_urls": len(by_url),
        "article_pages": len(all_articles),
        "outcome_counts": dict(sorted(outcome_counts.items())),
        "dead_letters": [{"url": en["url"], "reason": en["outcome"], "feed_url": en["feed_url"]}
                         for en in feed_entries if en["outcome"] != "article"]
                        + [{"url": u, "reason": "unreadable_feed", "feed_url": u} for u in unreadable],
        "entries": feed_entries,
        "exact_duplicate_groups": exact,
        "url_duplicate_groups": url_dups,
        "wire_groups": wire_groups,
    }
    write(DEMO / "expected.json", json.dumps(expected, ensure_ascii=False, indent=2) + "\n")

    # ---- feeds.txt.in -----------------------------------------------------
    notes = {
        "harbour-gazette": "The Harbour Gazette (en-GB, RSS 2.0, <author>) - Saltmere, UK. Includes one item whose page is missing (http_404) and utm-tagged links.",
        "cedar-valley-courier": "Cedar Valley Courier (en-US, RSS 2.0 with <dc:creator>) - Millbrook, VT. Includes a PDF item (not_html), the AP wire story with a local lede and a teaser.",
        "lakeside-tribune": "The Lakeside Tribune (en-US, Atom) - Port Avery. Hosts the ORIGINAL AP wire story and one hard negative.",
        "newspulse": "NewsPulse Daily (en-US aggregator, Atom) - verbatim + copy-edited wire copies; one partner link that duplicates a Courier URL.",
        "kellbacher-bote": "Kellbacher Bote (de-DE, RSS 2.0) - slightly malformed XML (unescaped '&' in a title): feedparser sets bozo but returns entries.",
        "echo-de-valmont": "L'Echo de Valmont (fr-FR, Atom) - Valmont-sur-Lize, France.",
    }
    lines = [
        "# newsbeam demo feed list (template).",
        "# Generated by tools/build_demo_corpus.py - edit demo/source/ and regenerate instead of editing by hand.",
        "# {{BASE_URL}} is replaced with http://127.0.0.1:PORT by the demo server / e2e tests.",
        "# All outlets, people and events are fictional.",
        "",
    ]
    for f in feeds_meta:
        if f["expected"] == "unreadable_feed":
            lines.append(f"# {f['outlet']}: NOT a feed (binary garbage) - expected dead letter 'unreadable_feed'.")
        else:
            lines.append(f"# {notes.get(f['outlet'], f['outlet_name'])} [{f['entries']} entries]")
        lines.append(f["url"])
        lines.append("")
    write(DEMO / "feeds.txt.in", "\n".join(lines).rstrip("\n") + "\n")
    return expected


def main(argv: list[str]) -> int:
    if len(argv) > 1 and argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0
    expected = build()
    print(f"wrote {SITE.relative_to(ROOT)}/: {expected['article_pages']} article pages, "
          f"{expected['feeds_count']} feeds, {expected['total_feed_entries']} feed entries, "
          f"outcomes {expected['outcome_counts']}, {len(expected['unreadable_feeds'])} unreadable feed(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
