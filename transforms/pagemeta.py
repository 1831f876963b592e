"""Byline and date evidence read from a page's markup: JSON-LD, meta tags and byline elements.

Pure functions on an HTML string; they only collect what the page states, with where it was found.
Deciding which evidence to believe is left to `transforms.byline` and `transforms.dates`.
"""
from __future__ import annotations

import dataclasses
import json
import logging
import re

import lxml.etree
import lxml.html

_log = logging.getLogger(__name__)

# schema.org types whose `author` is the article's author (WebPage too: many blogs put it there).
_ARTICLE_TYPE = re.compile(r"Article|BlogPosting|Posting|Report|Review|WebPage|Story|Blog$", re.I)
_PERSON_TYPE = re.compile(r"^Person$", re.I)
_ORG_TYPE = re.compile(r"Organization|Organisation|Corporation|NewsMedia|Brand|LocalBusiness|Website$", re.I)
# <meta> names that carry the article's author (Dublin Core, Parse.ly, Sailthru, NYT's "byl").
_AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator",
                "dcterms.creator", "byl", "cxenseparse:author", "og:article:author", "book:author")
_DATE_META = ("article:published_time", "og:article:published_time", "datepublished", "parsely-pub-date",
              "sailthru.date", "dc.date.issued", "dcterms.issued", "dcterms.created", "dc.date", "pubdate",
              "publishdate", "publish-date", "publication_date", "date")
# Class or id words that mark the visible byline. Bio boxes ("author-bio", "about-author") repeat
# the name but also job titles and prose, so they rank below a real byline.
_BYLINE_CLASS = re.compile(r"byline|by-line|author[-_]?name|authorname|post[-_]author|entry[-_]author|"
                           r"article[-_]author|posted[-_]by|written[-_]by|\bauthors?\b|__author|-author\b|"
                           r"\bverfasser|\bautor|\bauteur", re.I)
_NOT_BYLINE_CLASS = re.compile(r"comment|related|avatar|share|social|footer|widget|sidebar|more-from|"
                               r"recommend|popular|newsletter|nav", re.I)
# Links to an author's page (/author/jane-doe, /autoren/…, /journalistes/…): their text is a name.
_AUTHOR_HREF = re.compile(r"/(?:authors?|autor(?:en|es)?|auteurs?|autore|writers?|journalist(?:e|es|s)?|"
                          r"reporters?|contributors?|columnists?|redakteur(?:e|in)?|profiles?|people|byline)/[^/?#]+",
                          re.I)
# A short text that opens with a byline word ("By Jane Doe", "Von Max Müller", "Par Claire Dubois").
_BYLINE_TEXT = re.compile(r"^(?:by|von|par|por|av|af|door|di|text:|texte:|texto:|written by)\s+\S", re.I)
_URL = re.compile(r"^\s*(?:https?:)?//", re.I)
_MAX_BYLINE_CHARS = 160


@dataclasses.dataclass(frozen=True)
class BylineCandidate:
    """One statement of authorship on a page or feed.

    `persons`/`organizations` are set when the source types them (JSON-LD Person vs Organization);
    otherwise only `text` is known and the byline rules decide what it names.
    """

    source: str                 # feed, json-ld, meta, html byline
    text: str
    persons: tuple = ()
    organizations: tuple = ()
    typed: bool = False


@dataclasses.dataclass(frozen=True)
class DateCandidate:
    source: str                 # json-ld, meta, html time
    value: str


@dataclasses.dataclass(frozen=True)
class PageEvidence:
    bylines: tuple = ()
    dates: tuple = ()
    publishers: tuple = ()      # JSON-LD publishers that are not a Person: never an author
    site_names: tuple = ()      # og:site_name and the like: a personal blog's is its author


def read_page_evidence(page_html: str) -> PageEvidence:
    """Byline, date and publisher statements found in the page's markup, best sources first."""
    try:
        tree = lxml.html.fromstring(page_html)
    except (lxml.etree.ParserError, ValueError):
        return PageEvidence()
    ld_nodes = _json_ld_nodes(tree)
    bylines, dates, publishers, site_names = [], [], [], []
    _from_json_ld(ld_nodes, bylines, dates, publishers)
    _from_meta(tree, bylines, dates, site_names)
    _from_byline_elements(tree, bylines, dates)
    return PageEvidence(tuple(bylines), tuple(dates), tuple(dict.fromkeys(p for p in publishers if p)),
                        tuple(dict.fromkeys(site_names)))


def _json_ld_nodes(tree) -> list[dict]:
    nodes = []
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        try:
            data = json.loads(script.text_content().strip() or "null", strict=False)
        except ValueError:
            _log.debug("unreadable JSON-LD block skipped")
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                nodes.append(item)
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])
    return nodes


def _types(node: dict) -> list[str]:
    kind = node.get("@type") or []
    return [str(k) for k in (kind if isinstance(kind, list) else [kind])]


def _is(node: dict, pattern: re.Pattern) -> bool:
    return any(pattern.search(t) for t in _types(node))


def _from_json_ld(nodes, bylines, dates, publishers):
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str) and len(n) > 1}
    articles = [n for n in nodes if _is(n, _ARTICLE_TYPE)]
    # Article types first, WebPage last: a page's own Article node is the most specific statement.
    articles.sort(key=lambda n: any(re.search(r"WebPage", t) for t in _types(n)))
    for node in articles:
        persons, orgs, texts = [], [], []
        authors = node.get("author") or node.get("creator") or []
        for author in authors if isinstance(authors, list) else [authors]:
            if isinstance(author, dict) and set(author) <= {"@id"} and author.get("@id") in by_id:
                author = by_id[author["@id"]]
            if isinstance(author, str):
                if not _URL.match(author):
                    texts.append(author)
                continue
            if not isinstance(author, dict):
                continue
            name = author.get("name")
            if isinstance(name, list):
                name = " ".join(str(n) for n in name)
            if not isinstance(name, str) or not name.strip() or _URL.match(name):
                continue
            name = " ".join(name.split())
            if _is(author, _ORG_TYPE):
                orgs.append(name)
            elif _is(author, _PERSON_TYPE) or not _types(author):
                persons.append(name)
                texts.append(name)
            else:
                texts.append(name)
        if persons or orgs or texts:
            text = "; ".join(texts or orgs)
            bylines.append(BylineCandidate("json-ld", text, tuple(persons), tuple(orgs), typed=bool(persons or orgs)))
        for key in ("datePublished", "dateCreated", "uploadDate"):
            if isinstance(node.get(key), str):
                dates.append(DateCandidate("json-ld", node[key]))
                break
        publisher = node.get("publisher")
        if isinstance(publisher, dict) and set(publisher) <= {"@id"}:
            publisher = by_id.get(publisher.get("@id"), {})
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str) and not _is(publisher, _PERSON_TYPE):
            publishers.append(publisher["name"].strip())
    for node in nodes:
        if _is(node, re.compile(r"^WebSite$|NewsMediaOrganization")) and isinstance(node.get("name"), str):
            publishers.append(node["name"].strip())


def _from_meta(tree, bylines, dates, site_names):
    for meta in tree.xpath("//meta[@content]"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").strip().lower()
        value = " ".join((meta.get("content") or "").split())
        if not key or not value:
            continue
        if key in _AUTHOR_META and not _URL.match(value):
            bylines.append(BylineCandidate("meta", value))
        elif key in _DATE_META:
            dates.append(DateCandidate("meta", value))
        elif key in ("og:site_name", "application-name", "publisher", "dc.publisher"):
            site_names.append(value)


def _from_byline_elements(tree, bylines, dates):
    seen = set()

    def add(element, rank):
        # Text nodes joined with a bar: a name and the job title in the next element must not run
        # together ("Irena PiątkiewiczMarketing Manager").
        text = " | ".join(t for t in (" ".join(piece.split()) for piece in element.itertext()) if t)
        if text and len(text) <= _MAX_BYLINE_CHARS and text not in seen:
            seen.add(text)
            ranked.append((rank, text))

    ranked = []
    for element in tree.xpath('//*[@rel="author" or contains(concat(" ", @rel, " "), " author ")]'):
        add(element, 0)
    for element in tree.xpath('//*[@itemprop="author"]'):
        names = element.xpath('.//*[@itemprop="name"]')
        for name in names or [element]:
            add(name, 0)
    for element in tree.xpath("//*[@class or @id]"):
        if element.tag in ("script", "style", "meta", "link", "img", "svg", "body", "html", "article", "main"):
            continue
        label = f'{element.get("class") or ""} {element.get("id") or ""}'
        if _BYLINE_CLASS.search(label) and not _NOT_BYLINE_CLASS.search(label) and not _inside_noise(element):
            add(element, 1)
    for element in tree.xpath("//a[@href]"):
        if _AUTHOR_HREF.search(element.get("href")) and not _inside_noise(element):
            add(element, 2)
    for element in tree.xpath("//body//*[self::p or self::span or self::div or self::li or self::address]"):
        text = element.text_content().strip()
        if len(text) <= 80 and _BYLINE_TEXT.match(text) and not _inside_noise(element):
            add(element, 3)
    for _rank, text in sorted(ranked, key=lambda r: r[0]):
        bylines.append(BylineCandidate("html byline", text))
    for element in tree.xpath("//time[@datetime]"):
        dates.append(DateCandidate("html time", element.get("datetime")))
        break


def _inside_noise(element) -> bool:
    for ancestor in element.iterancestors():
        label = f'{ancestor.get("class") or ""} {ancestor.get("id") or ""}'
        if ancestor.tag in ("footer", "nav", "aside") or re.search(r"comment|related|sidebar", label, re.I):
            return True
    return False
