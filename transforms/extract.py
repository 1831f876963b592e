"""Extract stage: trafilatura turns a page into the article's text and metadata."""
from __future__ import annotations

import datetime as dt
import html
import logging
import re
import urllib.parse

import apache_beam as beam
import trafilatura
import trafilatura.metadata

from schemas import Article, Page
from transforms import pagecheck
from transforms.byline import choose_byline, parse_byline
from transforms.dates import country_zone, parse_stated_date, resolve_published, url_date, year_only_guess
from transforms.deadletters import DEAD_LETTERS, counter, dead_letter
from transforms.pagemeta import BylineCandidate, PageEvidence, declared_article_body, read_page_evidence

STAGE = "extract"
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?(([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?)", re.I)
_TAG = re.compile(r"<[^>]+>")
_log = logging.getLogger(__name__)


class ExtractError(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def extract_article(page: Page) -> Article:
    """The article in a fetched page, with identity fields still to be set by the dedup stage.

    Raises ExtractError('no_content') when trafilatura finds no main text.
    """
    try:
        doc = trafilatura.bare_extraction(page.html, url=page.final_url, with_metadata=True,
                                          include_comments=False, deduplicate=False, include_tables=True,
                                          date_extraction_params=_date_params(page.fetched_at))
    except Exception as err:  # noqa: BLE001 - trafilatura raises many types on hostile markup
        _log.debug("trafilatura failed on %s", page.final_url, exc_info=True)
        raise ExtractError("extraction_failed", f"{type(err).__name__}: {err}") from None
    body = (doc.text or "").strip() if doc is not None else ""
    words = len(body.split())
    if words < pagecheck.TEASER_MIN_WORDS:
        # (a paywalled or script-written page may declare the whole story in its JSON-LD)
        declared = declared_article_body(page.html)
        if declared and len(declared.split()) >= max(pagecheck.TEASER_MIN_WORDS, 2 * words):
            body, words = declared, len(declared.split())
            if doc is None:     # (trafilatura found no text, so it read no metadata either)
                try:
                    doc = trafilatura.metadata.extract_metadata(page.html, default_url=page.final_url,
                                                                date_config=_date_params(page.fetched_at))
                except Exception as err:  # noqa: BLE001 - as above: hostile markup
                    raise ExtractError("extraction_failed", f"metadata: {type(err).__name__}: {err}") from None
    if not body:
        raise ExtractError(*_why_empty(page.html))
    paywalled = pagecheck.is_paywalled(page.html, words)
    if paywalled and words < pagecheck.TEASER_MIN_WORDS:
        # What was extracted is the paywall's notice: a row would be a clean-looking non-article.
        raise ExtractError("paywall", f"only the paywall notice is readable ({words} words)")
    entry = page.entry
    # The byline and date rules read odd markup and text: one that trips must not stop the run.
    host = source_domain(page.final_url)
    try:
        evidence = read_page_evidence(page.html)
        byline = choose_byline(byline_candidates(evidence.bylines, entry.authors, doc.author, evidence.quoted_names),
                               evidence.publishers,
                               evidence.site_names, host, evidence.other_roles, evidence.shown_text)
        published = resolve_published(
            entry.published, [*(parse_stated_date(d.value, d.source) for d in evidence.dates),
                              parse_stated_date(_htmldate_pick(doc.date, page.html, evidence, page.final_url), "text"),
                              parse_stated_date(url_date(page.final_url), "url")],
            page.fetched_at, country_zone(host, page_locale(page.html)), evidence.display_zone)
    except Exception as err:  # noqa: BLE001 - any rule's failure is this page's dead letter
        _log.warning("reading byline and date evidence failed on %s", page.final_url, exc_info=True)
        raise ExtractError("extraction_failed", f"page evidence: {type(err).__name__}: {err}") from None
    return Article(
        url=entry.link,
        final_url=page.final_url,
        canonical_url=doc.url or page.final_url,
        feed_url=entry.feed_url,
        feed_title=entry.feed_title,
        guid=entry.guid,
        site_name=doc.sitename or None,
        title=(doc.title or entry.title or None),
        description=doc.description or strip_tags(entry.summary) or None,
        body=body,
        byline_raw=byline.raw,
        byline_source=byline.source,
        authors=list(byline.persons),
        author_organizations=_with_credited_agency(byline.organizations, evidence.credited_agency),
        published_at=published.utc if published else None,
        published_at_source=published.source if published else None,
        published_at_offset_minutes=published.offset_minutes if published else None,
        fetched_at=page.fetched_at,
        language=page_language(page.html) or (doc.language or None),
        word_count=words,
        categories=list(dict.fromkeys([*(doc.categories or []), *entry.categories])),
        tags=list(dict.fromkeys(doc.tags or [])),
        image_url=doc.image or None,
        http_status=page.status,
        paywalled=paywalled,
    )


def byline_candidates(page_bylines, feed_authors, trafilatura_author: str | None,
                      quoted_names: frozenset = frozenset()) -> list[BylineCandidate]:
    """Every statement of authorship: the page's own, the feed entry's, and trafilatura's pick
    (its XPath rules find bylines our class names miss; it ranks last as the source "page"), unless
    that pick only names whom a picture, quotation or slide credits."""
    candidates = list(page_bylines)
    if feed_authors:
        candidates.append(BylineCandidate("feed", "; ".join(feed_authors)))
    named = set(parse_byline(trafilatura_author).persons) if trafilatura_author else set()
    # (nor when it dresses up a handle the page declares: "majainfos_zlfca4v6" as "Majainfos Zlfca")
    handles = {_letters(c.text) for c in page_bylines if re.search(r"[\d_]", c.text or "")}
    if trafilatura_author and not (named and named <= quoted_names) and _letters(trafilatura_author) not in handles:
        candidates.append(BylineCandidate("page", trafilatura_author))
    return candidates


def _letters(text: str) -> str:
    return " ".join(re.findall(r"[^\W\d_]{2,}", text or "")).casefold()


def _why_empty(page_html: str) -> tuple[str, str]:
    """The reason a page gave no text: a paywall, markup too deep to parse, or just none."""
    declared, marker = pagecheck.paywall_signals(page_html)
    if declared or marker:
        return "paywall", "no article text outside the paywall"
    if pagecheck.nesting_depth(page_html) > pagecheck.MAX_NESTING:
        return "too_deep", f"markup nested deeper than {pagecheck.MAX_NESTING} levels; the parser stops there"
    return "no_content", "no article text found on the page"



def source_domain(url: str | None) -> str | None:
    host = urllib.parse.urlsplit(url or "").hostname
    return host.removeprefix("www.") if host else None


def _date_params(fetched_at: dt.datetime) -> dict:
    # htmldate's defaults, with its latest plausible date set by the fetch rather than the clock,
    # so re-extracting an old page gives the same answer.
    return {"original_date": True, "extensive_search": True, "max_date": fetched_at.strftime("%Y-%m-%d")}


def _htmldate_pick(value: str | None, page_html: str, evidence: PageEvidence, page_url: str | None) -> str | None:
    # A year alone is no publication date: a row dated 1 January from a copyright line misleads;
    # nor is the day a header's "today" widget shows.
    if year_only_guess(value, page_html) or (value or "")[:10] in evidence.today_only_days:
        return None
    # Nor a day that the story's address contradicts, when the page states no date of its own
    # where a reader sees it (/2010/08/13/ against htmldate's 2011-08-19 from a sidebar).
    day = url_date(page_url)
    if value and day and value[:10] != day and not any(d.source in ("text", "meta", "json-ld") for d in evidence.dates):
        return None
    return value


def _with_credited_agency(organizations: tuple, agency: str | None) -> list:
    """The byline's organisations and the agency a credit line in the markup names."""
    return list(organizations) + ([agency] if agency and agency not in organizations else [])


def page_locale(page_html: str) -> str | None:
    """The page's language with its region ("en-IN"), for its time zone."""
    match = _HTML_LANG.search(page_html[:4096])
    return match.group(1) if match else None


def page_language(page_html: str) -> str | None:
    match = _HTML_LANG.search(page_html[:4096])
    return match.group(2).lower() if match else None


def strip_tags(text: str | None) -> str:
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", text or ""))).strip()


class _ExtractFn(beam.DoFn):
    def setup(self):
        self._extracted = counter("articles_extracted")

    def process(self, page: Page):
        try:
            article = extract_article(page)
        except ExtractError as err:
            yield beam.pvalue.TaggedOutput(DEAD_LETTERS, dead_letter(
                STAGE, err.reason, page.entry.link, page.entry.feed_url, str(err), page.status))
            return
        self._extracted.inc()
        yield article


class ExtractArticles(beam.PTransform):
    """Page -> (Article, dead letters): trafilatura with comments excluded and its per-process
    deduplication off (state must not hide in a worker's memory)."""

    def expand(self, pages):
        extracted = pages | "Trafilatura" >> beam.ParDo(_ExtractFn()).with_outputs(DEAD_LETTERS, main="articles")
        return extracted.articles, extracted[DEAD_LETTERS]
