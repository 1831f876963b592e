"""Byline and date evidence read from a page's markup: JSON-LD, meta tags and byline elements.

Pure functions on an HTML string; they only collect what the page states, with where it was found.
Deciding which evidence to believe is left to `transforms.byline` and `transforms.dates`.
"""
from __future__ import annotations

import collections
import copy
import dataclasses
import html
import itertools
import datetime as dt
import json
import logging
import re

import lxml.etree
import lxml.html

from transforms.byline import (KOREAN_REPORTER_LINE, TIME_WORD, agency_credit, agency_name, chinese_credit,
                               credited_otherwise, is_job_title, parse_byline, person_name)
from transforms.dates import (LOCAL_TIME, OFFSETS_IN_USE, SHOWN_TIME, ZONE_NAMES, ascii_digits, days_written,
                             find_text_date, offset_between)
from transforms.places import fold

_log = logging.getLogger(__name__)

# schema.org types whose `author` is the article's author (WebPage too: many blogs put it there).
_ARTICLE_TYPE = re.compile(r"Article|BlogPosting|Posting|Report|Review|WebPage|Story|Blog$", re.I)
_PERSON_TYPE = re.compile(r"^Person$", re.I)
_ORG_TYPE = re.compile(r"Organization|Organisation|Corporation|NewsMedia|Brand|LocalBusiness|Website$", re.I)
# <meta> names that carry the article's author (Dublin Core, Parse.ly, Sailthru, NYT's "byl").
_AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator",
                "dcterms.creator", "byl", "cxenseparse:author", "og:article:author", "book:author",
                "citation_author")
# Label of a twitter:labelN/dataN pair that states the author (Yoast SEO writes "Written by" in the
# site's language).
_AUTHOR_LABEL = re.compile(r"^(?:written\s+by|author|authors|by|interview\s+by|posted\s+by|geschrieben\s+von|"
                           r"verfasst\s+von|autor(?:in)?|von|écrit\s+par|auteur|par|escrito\s+por|autor|por|"
                           r"scritto\s+da|autore|geschreven\s+door|auteur|skrevet\s+af|skrevet\s+av|skriven\s+av|"
                           r"författare|forfatter|kirjoittaja)\s*:?$", re.I)
_DATE_META = ("article:published_time", "og:article:published_time", "datepublished", "parsely-pub-date",
              "sailthru.date", "dc.date.issued", "dcterms.issued", "dcterms.created", "dc.date", "pubdate",
              "publishdate", "publish-date", "publication_date", "date")
# Class or id words that mark the visible byline. Bio boxes ("author-bio", "about-author") repeat
# the name but also job titles and prose, so they rank below a real byline.
_BYLINE_CLASS = re.compile(r"byline|by-line|authors?[-_]?name|authorname|author-box__name|post[-_]author|entry[-_]author|"
                           r"reporter[-_]?name|(?:columna|column|articulo|artigo|nota|noticia|materia)__aut(?:or|eur)\b|"
                           r"article[-_]author|posted[-_]by|written[-_]by|\bauthors?\b|__author|-author\b|"
                           r"\bverfasser|\bautor|\bauteur", re.I)
# "firma" is the byline in Spanish, Italian and Portuguese, a company in Polish, Czech and German.
_FIRMA_CLASS = re.compile(r"(?<![a-z])firma(?![a-z])", re.I)
_FIRMA_IS_A_COMPANY = ("pl", "cs", "sk", "de", "sl", "hr", "sr", "bs", "hu", "ro", "lt", "lv", "et", "sv", "no", "nb", "da", "fi", "nl")
# Class words of page furniture whose names and dates are not the article's: comments (in the
# languages we ingest), related and "more stories" lists.
_FURNITURE = (r"comment|related|sidebar|comentario|kommentar|commentaire|commenti|comentário|reactie|kommentti|"
              r"yorum|komentarz|комментар|other-stories|more-stories|more-on-this|top-news|trending|most-read|most-popular|"
              r"siblings|tinlienquan|"
              # "related" and "read more" lists in other languages
              r"relacionad|relacionat|correlat|verwandt|ähnlich|aehnlich|leia-tambem|veja-tambem|lees-ook|"
              r"mehr-zum-thema|похож|связан|povezan|powiazan|souvisejici|ilgili|関連|相关|相關|관련|"
              # "latest news" lists
              r"(?<![a-z])latest(?![a-z])|neueste|seneste|senaste|siste-nytt|uusimmat|ultime-notizie|ultimas|dernieres|najnowsze")
_NOT_BYLINE_CLASS = re.compile(_FURNITURE + r"|avatar|share|social|footer|widget|more-from|recommend|popular|"
                               r"newsletter|nav", re.I)
# Links to an author's page (/author/jane-doe, /autoren/…, /journalistes/…): their text is a name.
_AUTHOR_HREF = re.compile(r"/(?:authors?|autor(?:en|es)?|auteurs?|autore|writers?|journalist(?:e|es|s)?|bloggers?|"
                          r"reporters?|contributors?|columnists?|redakteur(?:e|in)?|profiles?|people|byline)/[^/?#]+",
                          re.I)
# A short text that opens with a byline word ("By Jane Doe", "Von Max Müller", "Par Claire Dubois").
_BYLINE_TEXT = re.compile(r"^(?:by|von|par|por|av|af|door|di|text:|texte:|texto:|written by|"
                          r"guest\s+(?:author|writer|post\s+by)|"
                          r"(?:autor(?:(?:[/*:_(]-?)?in(?:nen)?\)?|es|ka|zy)?|auteur|author|authors|kirjoittaja|toimittaja|tekst|testo|"
                          r"текст|автор|авторы|penulis|wartawan|pewarta|yazar|muhabir|szerző|autorka|"
                          r"tác\s+giả|phóng\s+viên|خبرنگار|نویسنده|الكاتب|המחבר|כתב|כתבת|piše|pise)\s*:)\s+\S", re.I)
# Korean and Japanese bylines name the reporters before the word for reporter ("김지훈·박서연 기자
# jhkim@…": `byline.KOREAN_REPORTER_LINE`, "山田太郎記者").
_JAPANESE_REPORTER_TEXT = re.compile(r"^[\u4e00-\u9fff]{2,6}(?:[・、][\u4e00-\u9fff]{2,6})*\s?(?:記者|特派員)(?:\s+\S+@\S+)?$")
# A label saying the name after it is not the author's ("Peer reviewed by", "Photos by").
_OTHER_ROLE_LABEL = re.compile(r"(?:reviewed|edited|fact[- ]?checked|checked|photos?|photographs?|photography|"
                               r"illustrat\w*|translated|produced|narrated|geprüft|redigiert|fotos?|relu|"
                               r"révisé|revisado|editado)\s+(?:by|von|par|por)\s*:?\s*$", re.I)
# Classes of pictures that show a person: an avatar next to the author's name.
_AVATAR_CLASS = re.compile(r"avatar|author|profile|headshot|rounded|circle|portrait|byline", re.I)
# Containers of page furniture (also "read also" boxes and news tickers; a live ticker is content).
# A header's "today" date ("Sunday, December 15, 2024" in a theme's top bar) is the day the page
# was served, not published.
_TODAY_WIDGET = r"todays?[-_]?date|date[-_]?today|current[-_]?date|date[-_]?now|top[-_]?bar[-_]?date"
_NOISE_CLASS = re.compile(_FURNITURE + r"|also-read|read-also|lesen-sie-auch|a-lire-aussi|te-puede-interesar|"
                          r"(?<!live)ticker|" + _TODAY_WIDGET, re.I)
_TODAY_CLASS = re.compile(_TODAY_WIDGET, re.I)
# The same widget told by its text: "Today: Friday, 14 February 2025", "Сьогодні: п'ятниця, 14 лютого".
_TODAY_WORDS = ("Today", "Heute", "Aujourd", "Hoy", "Hoje", "Oggi", "Dzisiaj", "Dziś", "Bugün",
                "Idag", "I dag", "Vandaag", "Tänään", "Dnes", "Сьогодні", "Сегодня", "Днес", "今日", "今天", "오늘",
                "اليوم", "امروز", "היום")
_TODAY_TEXT = re.compile(r"^\W*(?:%s)(?![^\W\d_])" % "|".join(map(re.escape, _TODAY_WORDS)), re.I)
_URL = re.compile(r"^\s*(?:https?:)?//", re.I)
# A page description that is only a byline ("Read this article written by Jane Doe.", a newsletter's
# "by Jane Doe and Tom Lee | The Org"): the text after the prefix must open with a capital.
_DESCRIPTION_BYLINE = re.compile(r"^(?:read\s+(?:this|the)\s+(?:article|post|story)\s+)?(?:written\s+)?"
                                 r"(?:by|von|par|por|av|af|door)\s+(?P<rest>\S+)", re.I)
_DESCRIPTION_KEYS = ("description", "og:description", "twitter:description")
# A short line under the title that is "Name | Job title | date" ("Aaron Ricadela | Senior Writer |
# July 2, 2025"): its parts are split on bars and middle dots.
_LINE_PARTS = re.compile(r"\s*(?:\||·|•)\s*")
# Account names behind an author link that are no person ("/author/admin/").
_ACCOUNT_NAME = re.compile(r"^(?:admin|administrator|webmaster|editor|editors|staff|team|guest|user|anonymous|"
                           r"unknown|redaktion|redaction|redaccion|support|info|contact)$", re.I)
_MAX_BYLINE_CHARS = 160
_TIMES_READ = 5         # <time>s outside furniture read for the clock they show


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
    today_only_days: frozenset = frozenset()    # days the page writes only in a "today" widget
    display_zone: str | None = None     # the zone the article's header writes a time in ("EST")
    credited_agency: str | None = None  # an agency a credit line names ("jwe/dpa"), text extraction may drop it
    other_roles: frozenset = frozenset()    # names the page credits as editor or photographer
    shown_text: str | None = None       # the body's readable text, casefolded: which names a reader sees
    quoted_names: frozenset = frozenset()   # names credited for a picture, quotation or slide: no guess's author


def read_page_evidence(page_html: str) -> PageEvidence:
    """Byline, date and publisher statements found in the page's markup, best sources first."""
    try:
        tree = lxml.html.fromstring(page_html)
    except (lxml.etree.ParserError, ValueError):
        return PageEvidence()
    ld_nodes = _json_ld_nodes(tree)
    bylines, dates, publishers, site_names = [], [], [], []
    noise = _Noise(tree)
    _from_json_ld(ld_nodes, bylines, dates, publishers)
    descriptions = _from_meta(tree, bylines, dates, site_names)
    embedded_credits = _from_byline_elements(tree, bylines, dates, noise)
    # A description that is only a byline is the page's weakest statement: after the visible ones.
    bylines.extend(BylineCandidate("html byline", d) for d in descriptions)
    display_zone = _from_visible_dates(tree, dates, noise)
    credited_agency = _credit_line_agency(tree, noise)
    # (only trafilatura's guess is kept from their names: the reporter may have taken the photo, and
    # a pull quote may quote the writer)
    quoted_names = frozenset().union(*(parse_byline(text).persons for text in embedded_credits
                                       if len(text) <= _MAX_BYLINE_CHARS))
    other_roles = _other_role_names(tree, noise)
    # (read only when a declared author is in no visible byline: the one rule that needs it)
    visible = [c.text.casefold() for c in bylines if c.source == "html byline"]
    declared = [name for c in bylines if c.source in ("json-ld", "meta") for name in (c.persons or (c.text,))]
    shown_text = _shown_text(tree) if any(not any(name.casefold() in v for v in visible) for name in declared) else None
    today_only_days = _today_only_days(tree, noise)    # last of all: it drops widgets and furniture from the tree
    return PageEvidence(tuple(bylines), tuple(dates), tuple(dict.fromkeys(p for p in publishers if p)),
                        tuple(dict.fromkeys(site_names)), today_only_days, display_zone, credited_agency,
                        other_roles, shown_text, quoted_names)


def _shown_text(tree) -> str:
    """The body's readable text (furniture too: a sidebar's author box is read), casefolded."""
    body = tree.find("body")
    # (a copy stripped of scripts and styles: two thirds of the time an XPath that skips them takes)
    body = copy.deepcopy(tree if body is None else body)
    lxml.etree.strip_elements(body, "script", "style", "noscript", "template", with_tail=False)
    return " ".join(" ".join(body.itertext()).split()).casefold()


# Text nodes that open (or follow a sentence) with a label of another job than writing: where
# `byline.credited_otherwise` looks for the names credited so.
_ROLE_LABEL = re.compile(r"(?:^|[.!?]\s)\s*[【\[（(]?\s*(?:edited|editor|editing|redigert|redigerad|toimetaja|photo|foto|"
                         r"édité|editado|edición|szerkesztő|kuva|bild|kép|zdjęcia|kamera|责任编辑|責任編輯|编辑|編輯|编审|"
                         r"摄影|攝影|사진|편집)", re.I)


def _other_role_names(tree, noise) -> frozenset:
    """Names the page credits with another job than writing, outside furniture."""
    names = set()
    # (text nodes that hold a label first: reading every element's text is the slow way)
    hints = " or ".join(f"contains(., '{hint}')" for hint in ("dit", "DIT", "dici", "DICI", "oto", "OTO", "oimetaja", "OIMETAJA",
                                                               "diger", "DIGER", "zerkeszt", "ZERKESZT", "uva", "UVA", "ild",
                                                               "ILD", "ép", "ÉP", "djęc", "DJĘC", "amera", "AMERA", "编", "編", "摄",
                                                               "攝", "사진", "편집"))
    # (a text after a <br> is the <br>'s tail: its block is the <br>'s parent)
    labelled = {_block_of(node) for node in tree.xpath(f"//body//text()[string-length(.) < 120][{hints}]")
                if _ROLE_LABEL.search(node)}
    labelled.discard(None)
    for element in labelled:
        text = " ".join(" ".join(element.itertext()).split())     # (lines split by <br> stay apart)
        if len(text) < 120 and not noise.inside(element):
            # (one credited for text and pictures, "Teksti: Matti Virtanen<br>Kuvat: Matti Virtanen", writes)
            names.update(set(credited_otherwise(text)) - set(parse_byline(text).persons))
    return frozenset(names)


def _block_of(text_node):
    """The element whose text a text node is: a text after a child (its tail, "Pewarta: X<br>Editor:
    Y") is the parent's."""
    return text_node.getparent().getparent() if text_node.is_tail else text_node.getparent()


def _after_story_text(element) -> bool:
    """Whether a paragraph of the story's text (150 characters or more) comes just before
    `element` or just before the block that holds it."""
    for node in (element, element.getparent()):
        if node is None:
            continue
        before = [s for s in node.itersiblings(preceding=True) if isinstance(s.tag, str)][:3]
        if any(len(sibling.text_content()) >= 150 for sibling in before):
            return True
    return False


_NOT_CREDIT_CLASS = re.compile(r"tag|topic|keyword|author|writer|categor", re.I)
# Pictures' credits name agencies too ("Foto: … / dpa"): not the story's.
_PICTURE_CREDIT_CLASS = re.compile(r"credit|caption|copyright|photo|foto|image|bild|media", re.I)


def _credit_line_agency(tree, noise) -> str | None:
    """The agency named by the last paragraph that is only a credit and follows the story's text
    ("jwe/dpa", "(AAP)"), outside furniture and pictures; not a word inside a sentence or a list."""
    found = None
    short = "[string-length(normalize-space(.)) < 40]"
    for element in tree.xpath(f"//body//p{short} | //body//div[not(*[self::div or self::p or self::ul])]{short}"):
        text = " ".join(element.text_content().split())
        agency = agency_credit(text)
        if not agency or noise.inside(element) or not _after_story_text(element):
            continue
        if _NOT_CREDIT_CLASS.search(_label(element)) or any(
                " ".join(a.text_content().split()) == text for a in element.iter("a")):
            continue    # a tag list's or an author box's link ("<div class=tags><a>Bloomberg</a>")
        if any(a.tag in ("figure", "figcaption", "picture") or _PICTURE_CREDIT_CLASS.search(_label(a))
               for a in (element, *element.iterancestors())):
            continue
        found = agency
    return found


def _today_only_days(tree, noise) -> frozenset:
    """Days written in "today" widgets and nowhere else on the page (the tree loses the widgets:
    call last)."""
    # (every widget name holds "date": a cheap test before the pattern)
    widgets = [e for e in tree.xpath('//*[contains(@class, "ate") or contains(@class, "ATE") or contains(@id, "ate")'
                                     ' or contains(@id, "ATE")]') if _TODAY_CLASS.search(_label(e))]
    # (a header's widget comes before the title: only the text before the first <h1> is read;
    # "Today, February 14, 2025, the council…" in the story is its date)
    for element in tree.iter(tag=lxml.etree.Element):
        if element.tag == "h1":
            break
        for text, block in ((element.text, element), (element.tail, element.getparent())):
            if text and block is not None and _TODAY_TEXT.match(text) and len(block.text_content()) <= 120 \
                    and _TODAY_TEXT.match(block.text_content()):
                widgets.append(block)
    days = set().union(*(days_written(" ".join(w.text_content().split())) for w in widgets)) if widgets else set()
    if not days:
        return frozenset()
    # (comments and other furniture writing the same day do not count: they are of that day too)
    furniture = [e for e in tree.xpath("//footer | //nav | //aside | //*[@class or @id]") if noise.is_furniture(e)]
    for element in widgets + furniture:
        if element.getparent() is not None and element.tag not in ("body", "html"):
            element.drop_tree()
    return frozenset(days - days_written(lxml.html.tostring(tree, encoding="unicode")))


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


def declared_article_body(page_html: str) -> str | None:
    """The longest `articleBody` the page's JSON-LD declares for an article, as plain text: the
    story's text on pages whose visible text is a paywall's notice or is written by scripts."""
    try:
        tree = lxml.html.fromstring(page_html)
    except (lxml.etree.ParserError, ValueError):
        return None
    bodies = [n["articleBody"] for n in _json_ld_nodes(tree) if _is(n, _ARTICLE_TYPE) and isinstance(n.get("articleBody"), str)]
    text = max(bodies, key=len, default="")
    text = re.sub(r"<[^>]+>", " ", html.unescape(text)) if "<" in text or "&" in text else text
    text = "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
    return text or None


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
            if isinstance(name, list):     # one Person with the names of several ("name": ["A", "B"])
                name = "; ".join(str(n) for n in name)
            if not isinstance(name, str) or not name.strip() or _URL.match(name):
                continue
            name = " ".join(html.unescape(name).split())     # (WordPress escapes twice: "O&#039;Donnell")
            if _is(author, _ORG_TYPE):
                orgs.append(name)
            elif _is(author, _PERSON_TYPE) or not _types(author):
                persons.extend(n.strip() for n in name.split(";") if n.strip())
                texts.append(name)
            else:
                texts.append(name)
        # Portals name the agency a copy comes from as its provider ("provider": {"name": "AFP"}).
        for key in ("provider", "sourceOrganization"):
            source = node.get(key)
            if isinstance(source, dict) and isinstance(source.get("name"), str) and agency_name(source["name"]):
                orgs.append(source["name"].strip())
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

# "Dec 08, 2019 by Stephen Bay in Growth", "Posted on March 3, 2020 by Jane Doe": a blog's post line,
# a date (maybe labelled as published, maybe with a time) and then the author.
_BY_AFTER_DATE = re.compile(r"(?<![^\W\d_])(?:by|von|par|por|door|av|af)\s+(?=\S)", re.I)
# Weekdays and "Uhr" beside a post line's date ("Freitag | 14. Juni 2019 | 15:49 VON Sina Giebel").
_DAY_WORDS = re.compile(r"(?<![^\W\d_])(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|"
                        r"donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|"
                        r"martes|miércoles|jueves|viernes|sábado|domingo|maandag|dinsdag|woensdag|donderdag|vrijdag|"
                        r"zaterdag|zondag|uhr)(?![^\W\d_])", re.I)
# A byline word just before an author link ("By <a>", "Von <a>", "Autor: <a>").
_BYLINE_WORD_BEFORE = re.compile(r"(?:^|\s)(?:by|von|par|por|av|af|door|di|da|de|autor|auteur|author|text|texto|"
                                 r"written\s+by|текст|автор)\s*:?$", re.I)
# WordPress marks the comments that the post's author wrote ("bypostauthor"): the name there is
# the author's display name, the last resort when the page states it nowhere else.
_POST_AUTHOR_COMMENT = '//*[contains(concat(" ", normalize-space(@class), " "), " bypostauthor ")]'
_COMMENT_NAME = ('.//*[contains(concat(" ", normalize-space(@class), " "), " fn ") or '
                 'contains(@class, "comment-author-name") or self::cite]')


def _from_meta(tree, bylines, dates, site_names) -> list:
    """Author, date and site-name meta tags; returns the page descriptions that are a byline."""
    authors = {}        # key -> values: several article:author or citation_author tags are one byline
    labels = {}
    descriptions = []
    for meta in tree.xpath("//meta[@content]"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").strip().lower()
        value = " ".join((meta.get("content") or "").split())
        if not key or not value:
            continue
        if re.fullmatch(r"twitter:(?:label|data)\d", key):
            labels[key] = value
        if key in _AUTHOR_META and not _URL.match(value):
            authors.setdefault(key, [])
            if value not in authors[key]:
                authors[key].append(value)
        elif key in _DATE_META:
            dates.append(DateCandidate("meta", value))
        elif key in ("og:site_name", "application-name", "publisher", "dc.publisher"):
            site_names.append(value)
        elif key in _DESCRIPTION_KEYS and len(value) <= 120 and value not in descriptions:
            descriptions.append(value)
    for values in authors.values():
        bylines.append(BylineCandidate("meta", "; ".join(values)))
    for key, label in sorted(labels.items()):
        value = labels.get(key.replace("label", "data"))
        if key.startswith("twitter:label") and value and _AUTHOR_LABEL.match(label) and not _URL.match(value):
            bylines.append(BylineCandidate("meta", value))
    return [value for value in descriptions if (match := _DESCRIPTION_BYLINE.match(value))
            and match.group("rest")[0].isupper() and not TIME_WORD.match(match.group("rest"))]


def _from_byline_elements(tree, bylines, dates, noise) -> list:
    """Visible bylines and <time>s; returns the texts of the author credits that are a picture's, a
    quotation's or a slide's (`_credit_of_embedded_item`)."""
    seen, embedded = set(), []

    def add(element, rank):
        if _credit_of_embedded_item(element, noise):
            embedded.append(_joined_text(element))
            return
        if _credited_otherwise(element):
            return
        add_text(_joined_text(element), rank)

    def add_text(text, rank):
        if text and len(text) <= _MAX_BYLINE_CHARS and text not in seen:
            seen.add(text)
            ranked.append((rank, text))

    ranked = []
    # Texts whose names are known from elsewhere than their wording: a one-word author link whose
    # address repeats it ("<a href='/author/yucy/'>Yucy</a>"), a Chinese credit line's names.
    typed_names = {}
    declared = [e for e in tree.xpath('//*[@rel="author" or contains(concat(" ", @rel, " "), " author ") '
                                      'or @itemprop="author"]') if not noise.inside(e)]
    # (several author elements in one line are one byline: "Par <span itemprop=author>Bertille
    # Bayart</span>, <span itemprop=author>Marie Visot</span>")
    lines = collections.defaultdict(list)
    for element in declared:
        lines[element.getparent()].append(element)
    for line in lines.values():
        if len(line) >= 2 and not any(_credit_of_embedded_item(e, noise) or _credited_otherwise(e) for e in line):
            parent = line[0].getparent()
            rest = " ".join(parent.text_content().split())
            for element in line:
                rest = rest.replace(" ".join(element.text_content().split()), " ", 1)
            # (the line as written when the rest of it is only "By", "and" and separators; not its
            # category link or "Interview with Mayor Ann Lee")
            alone = all(w.casefold() in _LINE_JOINERS for w in re.findall(r"[^\W\d_]+", rest))
            add_text(_joined_text(parent) if alone else " | ".join(_joined_text(e) for e in line), 0)
    for element in declared:
        if element.get("itemprop") != "author":
            add(element, 0)
            continue
        names = element.xpath('.//*[@itemprop="name"]')
        for name in names or [element]:
            add(name, 0)
    firma = (tree.get("lang") or "").strip().lower()[:2] not in _FIRMA_IS_A_COMPANY
    for element in tree.xpath("//*[@class or @id or @data-testid]"):
        if element.tag in ("script", "style", "meta", "link", "img", "svg", "body", "html", "article", "main"):
            continue
        label = _label(element)
        if (_BYLINE_CLASS.search(label) or (firma and _FIRMA_CLASS.search(label))) and not _NOT_BYLINE_CLASS.search(label) \
                and not noise.inside(element):
            add(element, 1)
    for element in tree.xpath("//a[@href]"):
        href = _AUTHOR_HREF.search(element.get("href"))
        if href and not noise.inside(element) and not _mentioned_in_text(element) and not _in_a_menu(element):
            add(element, 2)
            text = " ".join(element.text_content().split())
            slug = href.group(0).rstrip("/").rsplit("/", 1)[-1]
            if (re.fullmatch(r"[^\W\d_]{2,}", text) and text[0].isupper() and not _ACCOUNT_NAME.match(text)
                    and text.casefold() == slug.casefold()):
                typed_names[text] = (text,)
    for element in tree.xpath("//body//*[self::p or self::span or self::div or self::li or self::address or "
                              "self::figcaption or self::em or self::strong or self::cite or self::h2 or self::h3 or "
                              "self::h4 or self::h5 or self::h6]"):
        text = element.text_content().strip()
        if element.tag == "cite" and (element.tail or "").strip()[:1].islower():
            continue    # a title cited in a sentence ("her album <cite>By Grace Alone</cite> arrives")
        if len(text) <= 80 and (_BYLINE_TEXT.match(text) or KOREAN_REPORTER_LINE.match(text)
                                or _JAPANESE_REPORTER_TEXT.match(text)) and not noise.inside(element):
            add(element, 3)
        elif len(text) <= 100 and _name_and_job_title(text) and not noise.inside(element):
            add(element, 3)
        elif len(text) <= 100 and (after := _byline_after_date(text)) and not noise.inside(element):
            add_text(after, 3)
        elif len(text) <= 120 and (credit := chinese_credit(text)) and not noise.inside(element):
            typed_names[credit[0]] = credit[1]
            add_text(credit[0], 3)
    for names, rank in _labelled_author_blocks(tree, noise):
        add_text(" | ".join(names), rank)
    for name in _avatar_names(tree, noise):
        add_text(name, 4)
    post_author = _post_author_comment_name(tree)
    for _rank, text in sorted(ranked, key=lambda r: r[0]):
        if text in typed_names:
            bylines.append(BylineCandidate("html byline", text, typed_names[text], typed=True))
        else:
            bylines.append(BylineCandidate("html byline", text))
    if post_author and post_author not in seen:
        bylines.append(BylineCandidate("html byline", post_author, (post_author,), typed=True))
    # (the article's own <time>s come first: a live blog's hundreds of entries need not all be read)
    times = (e for e in tree.xpath("//time[@datetime]") if not noise.inside(e)    # not a comment's or a teaser's
             and not re.search(r"updated|modified", f'{e.get("class") or ""} {e.get("itemprop") or ""}', re.I))  # nor an update's
    for index, element in enumerate(itertools.islice(times, _TIMES_READ)):
        if index == 0:
            dates.append(DateCandidate("html time", element.get("datetime")))
        local = _shown_local_time(element)
        if local:
            dates.append(DateCandidate(LOCAL_TIME, local))
    return embedded


# A heading over the article's authors' cards ("Article Authors", "Written by"): a sidebar's such
# heading must say it is the article's ("Article Authors", "The author", "L'auteur"; a blog's
# "Authors" widget lists every writer it has).
_AUTHORS_HEADING = re.compile(r"(?P<own>(?:article|post|story)(?:'s)?\s+|(?:about\s+)?the\s+(?=author\b)|"
                              r"(?:à\s+propos\s+de\s+)?l['’]\s*(?=auteur\b)|(?:über\s+)?den\s+(?=autor\b)|der\s+(?=autor\b)|"
                              r"(?:sobre\s+)?el\s+(?=autor\b))?(?:authors?|written\s+by|"
                              r"autor(?:en|es|i)?|auteurs?|autori)\s*:?", re.I)
_HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6", "p", "span", "div", "strong", "b")
_FIELD_TAGS = ("dt", "th")
# Links to lists of stories, not to a person: a tag, topic or category named after someone.
_LISTING_HREF = re.compile(r"/(?:tags?|topics?|themen|categor(?:y|ies)|subjects?|keywords?|search|series)/", re.I)


def _labelled_author_blocks(tree, noise):
    """The person names under an author heading, up to the next heading: name-classed elements,
    and links to the person's own page (the address spells the surname: a bio's links to outlets
    and schools, and tag links, are no authors)."""
    # (the headings are found from their text nodes: reading every element's text is the slow way)
    hints = " or ".join(f"contains(., '{hint}')" for hint in ("uthor", "UTHOR", "ritten", "RITTEN", "utor", "UTOR",
                                                               "uteur", "UTEUR"))
    elements = {node.getparent() for node in tree.xpath(f"//body//text()[string-length(.) < 40][{hints}]")
                if not node.is_tail}
    for heading in (e for e in elements if e.tag in _HEADING_TAGS + _FIELD_TAGS):
        text = " ".join(heading.text_content().split())
        label = _AUTHORS_HEADING.fullmatch(text) if len(text) <= 24 else None
        if not label or (noise.inside(heading) and not label.group("own")):
            continue
        # (ranks: a field of the article's facts comes after "By" lines, a sidebar's box last: a
        # blog's "About the author" widget names its owner on a guest's post too)
        value = _field_value(heading)
        if value:
            if not _BOOK_FACTS.search(_facts_list_text(heading)):      # a reviewed book's or product's facts
                yield [value], 3
            continue
        names = []
        for sibling in heading.itersiblings():
            if sibling.tag in ("h2", "h3", "h4", "h5", "h6") or (
                    sibling.tag in _HEADING_TAGS and _AUTHORS_HEADING.fullmatch(" ".join(sibling.text_content().split()))):
                break
            for element in [sibling, *sibling.iterdescendants()]:
                name = _card_name(element)
                if name and name not in names:
                    names.append(name)
        if 0 < len(names) <= 6:
            yield names, 4 if noise.inside(heading) else 1


# Fields of a reviewed book's, record's or product's facts ("Título:", "ISBN", "Verlag"), and of an
# event's or match's ("Venue"): their "Author" and "Date" are not the article's.
_BOOK_FACTS = re.compile(r"\b(?:isbn|verlag|publisher|editorial|éditeur|editore|seiten|pages|páginas|título|titel|"
                         r"title|titre|label|preis|price|precio|prix|venue|stadium|kick-?off|austragungsort|lieu)\b", re.I)


def _facts_list_text(label) -> str:
    """The text of the list or table a field's label is in."""
    for ancestor in label.iterancestors():
        if ancestor.tag in ("ul", "ol", "dl", "table"):
            return " ".join(ancestor.text_content().split())[:2000]
        if ancestor.tag in ("body", "article"):
            break
    parent = label.getparent()
    return " ".join(parent.text_content().split())[:2000] if parent is not None else ""


def _field_value(label) -> str | None:
    """The value a field's label element stands before, in a list of the article's facts:
    "<li><strong>Author</strong> Ben Knight</li>", "<dt>Autor</dt><dd>Max Roth</dd>"."""
    if label.tag in _FIELD_TAGS:
        value = label.getnext()
        text = " ".join(value.text_content().split()) if value is not None and value.tag in ("dd", "td") else ""
    elif label.tag in ("strong", "b", "span") and label.getprevious() is None and not (label.getparent().text or "").strip():
        text = " ".join((label.tail or "").split()) if label.getnext() is None else ""
    else:
        return None
    text = text.lstrip(":").strip()
    return text if 0 < len(text) <= 80 else None


def _card_name(element) -> str | None:
    """The person an author card's element names, if it is a name-classed element or a link to
    that person's page."""
    if not isinstance(element.tag, str):
        return None
    name = " ".join(element.text_content().split())
    if not 0 < len(name) <= 60:
        return None
    if element.tag == "a":
        href = element.get("href") or ""
        surname = fold(name.split()[-1])
        if _LISTING_HREF.search(href) or len(surname) < 2 or surname not in fold(href):
            return None
    elif not re.search(r"name", element.get("class") or "", re.I):
        return None
    parsed = parse_byline(name)
    return name if len(parsed.persons) == 1 and not parsed.organizations else None


def _joined_text(element) -> str:
    """The element's text nodes joined with a bar, so that a name and the job title in the next
    element do not run together ("Irena PiątkiewiczMarketing Manager"); a label of another job than
    writing stays with what it labels ("Edited By: Rohit Sharma", not "Edited By: | Rohit Sharma").
    Other labels keep the bar: byline rules read "Yazar: | Ahmet Yılmaz" as a label and a name."""
    pieces = [t for t in (" ".join(piece.split()) for piece in element.itertext()) if t]
    return "".join(piece + ("" if i == len(pieces) - 1 else
                            " " if piece.endswith(":") and _ROLE_LABEL.search(piece) else " | ")
                   for i, piece in enumerate(pieces))


def _shown_local_time(element) -> str | None:
    """A <time> stating a moment in UTC and showing it as a local clock ("6.05am" for
    2025-06-17T20:05:00Z), in its text or else in its hover title ("3 hours ago" titled "February
    19, 2025 10:30 PM PST"): that moment with the page's offset ("2025-06-18T06:05:00+10:00").
    A clock shown with its date must give that moment in an offset time zones use (a title's
    "Updated …" time or a 12-hour clock without am/pm gives none); a title must show its date."""
    match = re.fullmatch(r"\s*(\d{4}-\d\d-\d\d)[T ](\d\d):(\d\d)(?::\d\d(?:\.\d+)?)?(?:Z|[+-]00:?00)\s*",
                         element.get("datetime") or "")
    if not match:
        return None
    try:
        moment = dt.datetime.fromisoformat(f"{match.group(1)}T{match.group(2)}:{match.group(3)}:00+00:00")
    except ValueError:
        return None     # "0000-00-00", February 30th: a CMS's placeholder
    for shown, needs_date in ((element.text_content(), False), (element.get("title") or "", True)):
        minutes = _local_clock_offset(ascii_digits(" ".join(shown.split())), moment, needs_date)
        if minutes is not None:
            return moment.astimezone(dt.timezone(dt.timedelta(minutes=minutes))).isoformat()
    return None


def _local_clock_offset(text: str, moment: dt.datetime, needs_date: bool) -> int | None:
    """The offset at which `text` shows `moment`: its date and clock, or (when it writes no date) its
    clock alone on the day nearest the moment."""
    found = find_text_date(text)
    if found:
        shown = _with_clock(text, found)
        if "T" not in shown:
            return None
        local = dt.datetime.fromisoformat(shown.split()[0]).replace(tzinfo=dt.timezone.utc)
        return offset_between(local, moment) or None    # (0: the clock is the UTC one, nothing learnt)
    clock = _CLOCK.search(text)
    if needs_date or not clock:
        return None
    hour, minute = _clock_time(clock, (clock.group("ampm") or "").lower())
    minutes = ((hour * 60 + minute) - (moment.hour * 60 + moment.minute)) % 1440
    # (the offsets of news sites run from Hawaii's -10:00 to New Zealand's summer +13:00)
    minutes = minutes if minutes <= 780 else minutes - 1440 if minutes >= 840 else None
    return minutes if minutes and minutes in OFFSETS_IN_USE else None


def _byline_after_date(text: str) -> str | None:
    """The byline of a post line that is a date and then "by <name>" ("Dec 08, 2019 by Stephen Bay
    in Growth", "Freitag | 14. Juni 2019 | 15:49 VON Sina Giebel IN Fashion"); None unless what
    comes before "by" is only the date, its weekday, its label and a time."""
    by = _BY_AFTER_DATE.search(text)
    if not by or not by.start():
        return None
    before = text[:by.start()]
    found = find_text_date(before)
    if not found:
        return None
    rest = _PUBLISHED_LABEL.sub(" ", before[:found[1]] + " " + before[found[2]:])
    rest = _DAY_WORDS.sub(" ", _DATE_CONNECTIVE.sub(" ", _CLOCK.sub(" ", rest)))
    if any(ch.isalnum() for ch in rest):
        return None     # "Updated May 2 by", "Photo taken May 2 by": not the post's author
    return text[by.start():]


def _post_author_comment_name(tree) -> str | None:
    for comment in tree.xpath(_POST_AUTHOR_COMMENT):
        for element in comment.xpath(_COMMENT_NAME):
            # the comment's own name, not one in a reply nested under it (<ol class="children">)
            if any(a.tag in ("ol", "ul") for a in _ancestors_below(element, comment)):
                continue
            name = " ".join(element.text_content().split())
            if 2 <= len(name) <= 60:
                return name
            break
    return None


def _ancestors_below(element, top):
    for ancestor in element.iterancestors():
        if ancestor is top:
            return
        yield ancestor


_LINE_JOINERS = frozenset("by von par por di da de door av af and und et y e og och i".split())


def _in_a_menu(link) -> bool:
    """A link in a submenu, a list nested in another list's item ("People" > "인물동정" at
    /List/People/Inmul): a section, not an author's page (a post's meta list is no submenu)."""
    item = link.getparent()
    while item is not None and item.tag not in ("li", "body"):
        item = item.getparent()
    listing = item.getparent() if item is not None and item.tag == "li" else None
    if listing is None or listing.tag not in ("ul", "ol"):
        return False
    return any(ancestor.tag == "li" for ancestor in listing.iterancestors())


def _mentioned_in_text(link) -> bool:
    """A link inside a running sentence ("US President <a href='/topics/people/donald-trump'>Donald
    Trump</a> has been eager…") mentions a person. A byline link stands almost alone, opens its
    paragraph (an author's bio: "<a>Jane Doe</a> is a senior reporter…") or follows a byline word
    ("By <a>Jane Doe</a>, senior correspondent…")."""
    parent = link.getparent()
    if parent is None:
        return False
    text = " ".join(parent.text_content().split())
    name = " ".join(link.text_content().split())
    if not name or len(text) <= max(120, 4 * len(name)):
        return False
    before = text.split(name, 1)[0].strip()
    return bool(before) and not _BYLINE_WORD_BEFORE.search(before)


def _name_and_job_title(text: str) -> bool:
    """A line that is a person's name and job title, maybe with a date: "Aaron Ricadela | Senior
    Writer | July 2, 2025"; not a menu ("News | Sports") or a section line."""
    parts = [p for p in _LINE_PARTS.split(text) if p]
    if not 2 <= len(parts) <= 4 or " " not in parts[0] or not person_name(parts[0]):
        return False
    return any(is_job_title(part) for part in parts[1:])


# Class words of an author credit that is a picture's ("img-author") or a quotation's ("quote-author").
_ITEM_CREDIT_CLASS = re.compile(r"(?:img|image|photo|picture|caption|quote|testimonial)[-_]{0,2}(?:author|creator|credit)", re.I)
# Class words of a gallery or slideshow set inside a story: its slides credit their own author.
_EMBED_CLASS = re.compile(r"(?<![a-z])(?:gallery|slideshow|carousel)(?![a-z])", re.I)


def _credit_of_embedded_item(element, noise) -> bool:
    """Whether the element credits a thing inside the story rather than the story: a picture (a
    <figcaption>, an "img-author"), a quotation (a <blockquote>, a "quote-author") or a gallery's,
    slideshow's or carousel's item."""
    if _ITEM_CREDIT_CLASS.search(_label(element)):
        return True
    for ancestor in element.iterancestors():
        if ancestor.tag in ("body", "html"):
            return False
        if ancestor.tag in ("figcaption", "blockquote") or (
                ancestor not in noise.wrappers and _EMBED_CLASS.search(_label(ancestor))):
            return True
    return False


def _credited_otherwise(element) -> bool:
    """The element follows a label that gives its name another role ("Peer reviewed by <a>…</a>")."""
    previous = element.getprevious()
    while previous is not None and not isinstance(previous.tag, str):     # a comment or processing instruction
        if (previous.tail or "").strip():
            break
        previous = previous.getprevious()
    if previous is not None and not isinstance(previous.tag, str):
        before = previous.tail
    elif previous is not None:
        before = previous.tail if (previous.tail or "").strip() else previous.text_content()
    else:
        parent = element.getparent()
        before = (parent.text or "") if parent is not None else ""
    return bool(_OTHER_ROLE_LABEL.search(" ".join((before or "").split())))


def _name_then_separator(name: str) -> re.Pattern:
    """A text that is the name alone or the name and then a separator ("Jane Doe, Staff Reporter",
    "Jane Doe - March 3", "Jane Doe and John Roe"), not a sentence about the person."""
    return re.compile(re.escape(name) + r"\s*(?:$|[,|·•(/–—-]|(?:and|und|et|y|&)\s)", re.I)


def _avatar_names(tree, noise) -> list:
    """Names under an author's picture: an <img> that looks like an avatar (small, or an avatar or
    author class) whose alt text is repeated as text beside it ("<img alt='Jens Neuse'> Jens Neuse")."""
    names = []
    for img in tree.xpath("//body//img[@alt]"):
        alt = " ".join(img.get("alt").split())
        if not (3 <= len(alt) <= 60) or len(alt.split()) > 5:
            continue
        width = img.get("width") or ""
        small = width.isdigit() and 24 <= int(width) <= 160     # an icon is smaller
        labels = " ".join(f'{e.get("class") or ""} {e.get("id") or ""}' for e in [img, *img.iterancestors()][:3])
        if not (small or _AVATAR_CLASS.search(labels)):
            continue
        container = img
        for _level in range(3):
            container = container.getparent()
            if container is None:
                break
            text = " ".join(container.text_content().split())
            if len(text) > 200:
                break
            if alt in text:
                # (the name opening a text of its own: a teaser's headline "Sahra Wagenknecht über
                # ihren Burnout" under her picture names no author)
                if not noise.inside(img) and any(_name_then_separator(alt).match(" ".join(t.split()))
                                                 for t in container.itertext()):
                    names.append(alt)
                break
    return names


def _label(element) -> str:
    """What an element's markup says it is: class, id and test id (React sites name parts there:
    data-testid="byline-name")."""
    return f'{element.get("class") or ""} {element.get("id") or ""} {element.get("data-testid") or ""}'


_BYLINE_LINE_CLASS = re.compile(r"(?<![a-z])(?:firma|byline)(?![a-z])", re.I)


class _Noise:
    """Whether an element lies in page furniture: footer, nav, aside, or a container whose class
    says comments, related stories or a sidebar. A container that holds the page's <h1> is a layout
    wrapper ("content-sidebar-wrap"), not furniture."""

    def __init__(self, tree):
        self.wrappers = {ancestor for h1 in tree.xpath("//h1") for ancestor in h1.iterancestors()}
        # The block with the most paragraph text holds the article, whatever its wrappers are called.
        sizes = {}
        for paragraph in tree.xpath("//body//p"):
            parent = paragraph.getparent()
            if parent is not None:
                sizes[parent] = sizes.get(parent, 0) + len(paragraph.text_content())
        if sizes:
            main = max(sizes, key=sizes.get)
            self.wrappers.update([main, *main.iterancestors()])
        # Blocks of the article's own wrappers whose name holds a furniture word: a commentary's
        # header "ArticleHeaderComment" makes its parts ("ArticleHeaderComment_metaData") no comments.
        self._own_blocks = {token.split("_")[0] for wrapper in self.wrappers
                            for token in (wrapper.get("class") or "").split() if _NOISE_CLASS.search(token)}

    def inside(self, element) -> bool:
        for ancestor in element.iterancestors():
            if ancestor.tag in ("body", "html"):
                return False
            if self.is_furniture(ancestor):
                return True
        return False

    def is_furniture(self, element) -> bool:
        """Whether the element itself is furniture (a footer, nav, aside or furniture class that is
        no wrapper of the article)."""
        label = _label(element)
        if element in self.wrappers or _BYLINE_LINE_CLASS.search(label):
            return False    # ("firma_comentarios": the byline with its comment count, not the comments)
        if element.tag == "footer":
            # (an <article>'s own short footer, below the story, holds its author and date; one with
            # a heading holds "Read next" teasers)
            own = any(a.tag == "article" and a in self.wrappers for a in element.iterancestors())
            return not (own and not element.xpath(".//h2|.//h3|.//h4|.//h5|.//h6")
                        and len(element.text_content()) <= 300)
        if element.tag in ("nav", "aside"):
            return True
        if _NOISE_CLASS.search(label) is None:
            return False
        return not all(token.split("_")[0] in self._own_blocks for token in label.split() if _NOISE_CLASS.search(token))


# --- dates in the visible text -----------------------------------------------------------------
# Labels of a publication date, in the languages we ingest ("Published: May 25, 2025", "Posted on",
# "Veröffentlicht am", "Publié le", "Publicado el", "3 Sept 2024 | Originally published").
_PUBLISHED_LABEL = re.compile(
    r"(?<![^\W\d_])(?:(?:originally\s+|first\s+)?published|posted|post\s+(?:time|date)|publication\s+date|"
    r"date\s+published|publish\s+date|veröffentlicht|erschienen|publié|publiée|publicado|publicada|pubblicato|"
    r"gepubliceerd|publicerad|publicerat|publiceret|publisert|julkaistu|opublikowano|publikováno|"
    r"опубликовано|опубліковано|yayınlanma|yayınlandı|közzétéve|publikálva|publicat|imechapishwa(?=\s*:)|প্রকাশ(?=\s*:))(?![^\W\d_])", re.I)
_ORIGINAL_LABEL = re.compile(r"^\W{0,4}(?:originally|first)\s+published", re.I)
# Words that make the date after them a modification date.
_UPDATE_WORD = re.compile(
    r"(?<![^\W\d_])(?:updated?|last\s+edit(?:ed)?|modified|edited|reviewed|revised|aktualisiert|geändert|"
    r"mis\s+à\s+jour|modifié|actualizado|actualizada|atualizado|aggiornato|bijgewerkt|oppdatert|uppdaterad|"
    r"opdateret|päivitetty|zaktualizowano|aktualizacja|aktualizováno|обновлено|оновлено|güncellendi|"
    r"güncelleme|frissítve|actualizat|imesasishwa|আপডেট|อัปเดต|stand(?=\s*:))(?![^\W\d_])", re.I)
_DATE_CLASS = re.compile(r"(?:^|[\s_-])(?:date|pubdate|published|posted-on|post-date|entry-date|article-date|"
                         r"timestamp|dateline)(?:$|[\s_-])", re.I)
_SKIP_TAGS = ("script", "style", "noscript", "template", "svg", "select", "option", "button")
_LABEL_REACH = 45       # characters between a label and its date
# A time of day beside a date: "8:30 PM", "7:15am", "9:30 p.m.", "00.30", "21h30", "14:30 Uhr".
_CLOCK = re.compile(r"(?<![\d:.,])(?P<h>[01]?\d|2[0-3])(?::\s?|[.]|\s?h\s?|時)(?P<m>[0-5]\d)(?!\d)(?:[:.][0-5]\d(?!\d))?分?"
                    r"(?:\s*(?P<ampm>[ap]\.\s?m\.?|[ap]m(?!\s*\d))(?![^\W\d_]))?"
                    r"(?!\s*(?:min|mins|minutes|minuten|h\b|hrs?\b|[-–]\s*\d))", re.I)
_CLOCK_REACH = 30       # characters between a date and its time of day
# A zone name after the time ("7:45 am PST"): it says the offset itself (dates.parse_stated_date).
_ZONE_AFTER_CLOCK = re.compile(r"\s*\(?\b(%s)\b" % "|".join(ZONE_NAMES), re.I)
# What may stand between a date and its time: "March 5, 2024 at 9:30 p.m.", "7:15am, 6 Mar 2024".
_CONNECTIVES = r"at|à|um|am|kl\.?|klo|alle|às|a\s+las|o|в|saat|on|le|el|il|เวลา"
_CLOCK_GAP = re.compile(rf"[\s,·•–—-]*(?:(?:{_CONNECTIVES})[\s,]*)?", re.I)
_DATE_CONNECTIVE = re.compile(rf"(?<![^\W\d_])(?:{_CONNECTIVES})(?![^\W\d_])", re.I)
_AFTER_TITLE = 500      # characters of text after the title searched for its date
_BEFORE_TITLE = 150


def _from_visible_dates(tree, dates, noise) -> str | None:
    """The publication date as the reader sees it (source "text"): a date labelled as published
    anywhere outside page furniture, else the first date near the title that is not labelled as an
    update. Microdata `itemprop=datePublished` counts as markup (source "meta"). Returns the zone
    the article's header writes a time in, if any ("Updated 10:14 PM EST")."""
    month_first = _month_first(tree)
    for element in tree.xpath('//*[@itemprop="datePublished"]'):
        if noise.inside(element) or element.tag == "meta":
            continue
        value = element.get("content") or element.get("datetime")
        if not value:
            found = find_text_date(" ".join(element.text_content().split()), month_first)
            value = found[0] if found else None
        if value:
            dates.append(DateCandidate("meta", value))
            break
    pieces, title = _text_pieces(tree, noise)
    found = (_labelled_date(pieces, month_first) or (_title_date(pieces, title, month_first) if title else None)
             or _date_field(tree, noise, month_first) or _date_class_date(tree, noise, month_first))
    if found:
        dates.append(DateCandidate("text", found[:10]))
        if len(found) > 10:
            dates.append(DateCandidate(SHOWN_TIME, found))
    return _display_zone(pieces, title) if title else None


def _display_zone(pieces, title) -> str | None:
    """The zone named after the first time of day near the title, whatever moment it is."""
    reach = 0
    for piece in pieces[title[1]:]:
        reach += len(piece)
        if reach > _AFTER_TITLE:
            break
        if len(piece) > 80 or not find_text_date(piece):
            continue    # a date line ("Updated 10:14 PM EST, Tue March 4, 2025"), not the story's text
        piece = ascii_digits(piece)
        for clock in _CLOCK.finditer(piece):
            zone = _ZONE_AFTER_CLOCK.match(piece, clock.end())
            if zone:
                return zone.group(1).upper()
    return None


def _with_clock(text: str, found: tuple) -> str:
    """The day `find_text_date` found, with the time of day written beside it when there is one
    ("March 5, 2024 8:30 PM PT" -> "2024-03-05T20:30", "7:15am, 6 Mar 2024" -> "2024-03-06T07:15")."""
    day, start, end = found
    text = ascii_digits(text)     # "۲۲ اسفند ۱۴۰۳ - ۰۰:۴۰"
    clock = _CLOCK.search(text, end, end + _CLOCK_REACH)
    # after a bar only alone ("14.03.25 | 00:15") or with its zone ("Nov 20 2019 | 4:29 AM EST",
    # then checked against the stated moment)
    if clock and not (_CLOCK_GAP.fullmatch(text[end:clock.start()]) or (
            _CLOCK_GAP.fullmatch(text[end:clock.start()].replace("|", " "))
            and (_ZONE_AFTER_CLOCK.match(text, clock.end()) or re.match(r"\s*(?:\||$)", text[clock.end():])))):
        clock = None        # "6 Mar 2024 | Updated: 10:40am" is another moment's time
    if not clock:
        before = [c for c in _CLOCK.finditer(text, max(0, start - _CLOCK_REACH), start)
                  if _CLOCK_GAP.fullmatch(text[c.end():start])]
        clock = before[-1] if before else None
    if not clock:
        return day
    meridiem = (clock.group("ampm") or "").lower()
    if meridiem in ("am", "pm") and re.match(r"\s*\d", text[clock.end():]):
        meridiem = ""       # German "12:30 am 5. März": "am" is "on the"
    hour, minute = _clock_time(clock, meridiem)
    zone = _ZONE_AFTER_CLOCK.match(text, clock.end())
    return f"{day}T{hour:02d}:{minute:02d}" + (f" {zone.group(1).upper()}" if zone else "")


def _clock_time(clock: re.Match, meridiem: str) -> tuple[int, int]:
    """(hour, minute) on the 24-hour clock of a `_CLOCK` match read with its am/pm."""
    hour, minute = int(clock.group("h")), int(clock.group("m"))
    if meridiem.startswith("p") and hour < 12:
        hour += 12
    elif meridiem.startswith("a") and hour == 12:
        hour = 0
    return hour, minute


# The label of a date field in a list of the article's facts ("<li><strong>Date</strong> 19.01.2020</li>"):
# a plain "Date" may be an event's, so it is read only when no date stands near the title.
_DATE_FIELD = re.compile(r"(?:date|datum|fecha|data|dato|päivämäärä|publication\s+date|date\s+de\s+publication)\s*:?", re.I)


_AUTHOR_FIELD = re.compile(r"\b(?:author|autor|autorin|auteur|autore|verfasser|reporter|text)\b", re.I)


def _date_field(tree, noise, month_first):
    for label in tree.xpath("//body//*[self::strong or self::b or self::span or self::dt or self::th]"
                            "[string-length(normalize-space(.)) < 25]"):
        if not _DATE_FIELD.fullmatch(" ".join(label.text_content().split())) or noise.inside(label):
            continue
        value = _field_value(label)
        found = find_text_date(value, month_first) if value else None
        facts = _facts_list_text(label)
        # (a list of the article's own facts names its author too; a match's or book's does not)
        if found and found[1] == 0 and _AUTHOR_FIELD.search(facts) and not _BOOK_FACTS.search(facts):
            return _with_clock(value, found)
    return None


def _date_class_date(tree, noise, month_first):
    """The date in the first short element whose class says it holds the date ("date",
    "post-date", "entry-date", "published"), outside page furniture and not an update."""
    for element in tree.xpath("//body//*[@class]"):
        label = element.get("class")
        if not _DATE_CLASS.search(label) or _UPDATE_WORD.search(label) or _TODAY_CLASS.search(label):
            continue
        text = " ".join(element.text_content().split())
        if len(text) > 80 or noise.inside(element):
            continue
        found = find_text_date(text, month_first)
        if found and not _UPDATE_WORD.search(text[:found[1]]):
            return _with_clock(text, found)
    return None


def _month_first(tree) -> bool:
    """US English writes 3/4/2025 for March 4th; an unqualified "en" page is most often American."""
    lang = (tree.get("lang") or "").strip().lower().replace("_", "-")
    return lang in ("en", "en-us")


def _text_pieces(tree, noise):
    """The page's text nodes in order, outside scripts and page furniture, and the (start, end)
    piece indexes of the article's title (the <h1> that the <title> repeats, else the first)."""
    body = tree.find("body") if tree.tag == "html" else tree
    if body is None:
        return [], None
    title_text = " ".join((tree.findtext(".//title") or "").split()).casefold()
    h1s = [h for h in body.iter("h1") if not noise.inside(h)]
    h1 = next((h for h in h1s if " ".join(h.text_content().split()).casefold() in title_text
               and h.text_content().strip()), None)
    if h1 is None and title_text:
        # (old templates title the story with an <h2> or <h3>, their <h1> being the logo: the
        # heading the <title> repeats)
        h1 = next((h for h in body.iter("h2", "h3") if len(" ".join(h.text_content().split())) >= 20
                   and " ".join(h.text_content().split()).casefold() in title_text and not noise.inside(h)), None)
    h1 = h1s[0] if h1 is None and h1s else h1
    pieces, span = [], [None, None]

    def walk(element):
        if not isinstance(element.tag, str) or element.tag in _SKIP_TAGS:
            return
        if element is not h1 and noise.is_furniture(element):
            return
        if element is h1:
            span[0] = len(pieces)
        if element.text and element.text.strip():
            pieces.append(" ".join(element.text.split()))
        for child in element:
            walk(child)
            if child.tail and child.tail.strip():
                pieces.append(" ".join(child.tail.split()))
        if element is h1:
            span[1] = len(pieces)

    try:
        walk(body)
    except RecursionError:
        return [], None
    return pieces, (tuple(span) if span[0] is not None else None)


# WordPress's German post line names the date before the label: "Dieser Beitrag wurde am Samstag,
# 3. Dezember 2011 um 14:05 Uhr veröffentlicht und unter … gespeichert".
_GERMAN_POSTED_LINE = re.compile(r"\b(?:beitrag|artikel|eintrag)\s+wurde\b(?P<middle>.{0,160}?)\bveröffentlicht", re.I)


def _labelled_date(pieces, month_first):
    for index, piece in enumerate(pieces):
        line = _GERMAN_POSTED_LINE.search(" ".join(pieces[index:index + 4])[:400]) if "wurde" in piece else None
        found = find_text_date(line.group("middle"), month_first) if line else None
        if found:
            return _with_clock(line.group("middle"), found)
        if len(piece) > 100:
            continue
        for label in _PUBLISHED_LABEL.finditer(piece):
            if not (_ORIGINAL_LABEL.match(label.group(0)) or _opens_a_field(piece[:label.start()])):
                continue    # inside a sentence: a caption's "posted while in Las Vegas on January 20"
            after = " | ".join([piece[label.end():], *pieces[index + 1:index + 3]])
            found = find_text_date(after[:160], month_first)
            if found and found[1] <= _LABEL_REACH and not _UPDATE_WORD.search(after[:found[1]]):
                return _with_clock(after[:160], found)
            same_day = _clock_on_an_earlier_date(piece[:label.start()], piece[label.end():], month_first)
            if same_day:
                return same_day
            if _ORIGINAL_LABEL.match(piece[label.start() - 20 if label.start() > 20 else 0:label.end()]
                                     [-len(label.group(0)) - 20:]) or re.search(
                    r"(?:originally|first)\s+$", piece[:label.start()], re.I):
                before = " | ".join([*pieces[max(0, index - 1):index], piece[:label.start()]])[-40:]
                found = _last_date(before, month_first)
                if found:
                    return found
    return None


def _opens_a_field(before: str) -> bool:
    """Whether a label after `before` (its piece's text up to it) opens a field of a date line ("By
    Jane Doe | Published", "This story was published") rather than sitting in a sentence."""
    return len(before.split()) <= 4 or bool(re.search(r"[|·•–—:/]\s*$", before))


def _clock_on_an_earlier_date(before: str, after: str, month_first: bool) -> str | None:
    """A label followed by a clock alone takes the day of the date before it ("Updated February 14
    2025 - 12:55am, first published 12:31am": first published on the 14th at 00:31)."""
    clock = _CLOCK.match(ascii_digits(after), len(after) - len(after.lstrip(" :")))
    day = _last_date(before, month_first) if clock and not find_text_date(after, month_first) else None
    if not day:
        return None
    hour, minute = _clock_time(clock, (clock.group("ampm") or "").lower())
    # (a clock later than the update's is the day before: "Updated February 15 - 12:10am, first
    # published 11:52pm")
    updated = list(_CLOCK.finditer(ascii_digits(before)))
    if updated and _clock_time(updated[-1], (updated[-1].group("ampm") or "").lower()) < (hour, minute):
        day = (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()
    return f"{day}T{hour:02d}:{minute:02d}"


def _last_date(text, month_first):
    last = None
    while True:
        found = find_text_date(text, month_first)
        if not found:
            return last
        last, text = found[0], text[found[2]:]


def _title_date(pieces, title, month_first):
    """The first date after the title (within _AFTER_TITLE characters), else before it (within
    _BEFORE_TITLE). A date that stands alone ("Mar 06, 2025", "By Jane Doe | May 3") is preferred to
    one inside a sentence ("10 April 2025, 18:00 - Rome time @ In conversation…", an event)."""
    start, end = title
    after, reach = [], 0
    for index in range(end, len(pieces)):
        if reach > _AFTER_TITLE:
            break
        reach += len(pieces[index])
        after.append(index)
    before, reach = [], 0
    for index in range(start - 1, -1, -1):
        reach += len(pieces[index])
        if len(pieces[index]) > 150 or reach > _BEFORE_TITLE:
            break
        before.append(index)
    before = [index for index in before if not _TODAY_TEXT.match(pieces[index])]    # a header's "Today: …"
    for alone in (True, False):
        for index in after + before:
            found = _unlabelled_date(pieces, index, month_first, alone)
            if found:
                return found
    return None


def _unlabelled_date(pieces, index, month_first, alone=False):
    """The date in a short piece of text, unless an update label stands before it (in the piece or
    as the piece before: "Updated | May 3, 2025"); with `alone`, only a piece that is little more
    than the date."""
    piece = pieces[index]
    if len(piece) > 120:
        return None
    found = find_text_date(piece, month_first)
    if not found or _UPDATE_WORD.search(piece[:found[1]]):
        return None
    if alone and len(piece) - (found[2] - found[1]) > 24:
        return None
    previous = pieces[index - 1] if index else ""
    if found[1] < 3 and len(previous) < 40 and _UPDATE_WORD.search(previous) and not find_text_date(previous):
        return None
    return _with_clock(piece, found)
