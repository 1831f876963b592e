"""Is this page the article? Bot walls, JavaScript challenges, captchas, consent walls, paywalls.

Plain functions on the status and markup, no Beam. A wall is recognised only on an error status
(403, 429, 503...) or on a page with little visible text: real articles also load challenge
scripts, captcha widgets (comment forms) and consent banners, so markers alone prove nothing.
"""
from __future__ import annotations

import re
import urllib.parse

# A page with fewer visible words than this may be a wall; real articles have more. Interstitials
# seen in the wild (Cloudflare, DataDome, Akamai, consent managers) carry 5-80 words.
WALL_MAX_WORDS = 150
# A paywall marker counts only on a page whose extracted body is shorter than this (a teaser).
TEASER_MAX_WORDS = 300
# A paywalled page whose extracted body is shorter than this holds the paywall notice, not a
# teaser of the article (notices seen: 8-35 words; the shortest real teasers: two paragraphs).
TEASER_MIN_WORDS = 40
# libxml2 (lxml, hence trafilatura) stops building the tree at this depth without huge_tree.
MAX_NESTING = 255

_NOT_TEXT = re.compile(r"<(script|style|template)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")

# (reason, pattern), checked in order; the first match wins.
_WALL_MARKERS = [
    ("captcha", r"captcha-delivery\.com|px-captcha|g-recaptcha|h-captcha|hcaptcha\.com|cf-turnstile"
                r"|\bcaptcha\b|verify (?:that )?you are (?:a )?human|are you a robot"),
    ("js_challenge", r"cf-browser-verification|cf_chl_|/cdn-cgi/challenge-platform/|<title>\s*just a moment"
                     r"|checking your browser|enable javascript|javascript is (?:disabled|required|not enabled)"
                     r"|requires javascript|turn on javascript"),
    ("bot_wall", r"_incapsula_resource|incapsula incident|pardon our interruption|access denied"
                 r"|automated (?:access|requests|queries|traffic)|unusual traffic|you have been blocked"
                 r"|request blocked|bot (?:detection|protection)|perimeterx|datadome"),
    ("consent_wall", r"consent-wall|cookie ?wall|before you continue|we value your privacy"
                     r"|(?:accept|agree to) (?:all )?cookies|cookie consent|manage (?:your )?(?:cookie|privacy) "
                     r"(?:preferences|settings)|consent to (?:the use of )?cookies"),
]
_WALL_RES = [(reason, re.compile(pattern, re.I)) for reason, pattern in _WALL_MARKERS]
_CONSENT_HOST = re.compile(r"^(?:consent|privacy|cmp)\.", re.I)

_NOT_FREE = re.compile(r"""["']?isAccessibleForFree["']?\s*:\s*["']?false\b"""
                       r"""|itemprop=["']isAccessibleForFree["'][^>]*content=["']false""", re.I)
_PAYWALL = re.compile(r"subscribe (?:now )?to (?:continue|keep) reading|to continue reading,? (?:please )?"
                      r"(?:subscribe|log ?in|sign ?in)|(?:article|story|content) is (?:only )?(?:available|reserved) "
                      r"(?:to|for) (?:paying )?(?:subscribers|members)|subscribers? only|for subscribers\b"
                      r"|already a subscriber|class=[\"'][^\"']*\bpaywall", re.I)


def visible_words(html: str) -> int:
    """Words of text outside scripts, styles and comments (cheap; no parser)."""
    return len(_TAG.sub(" ", _NOT_TEXT.sub(" ", html)).split())


def wall_reason(status: int, html: str, url: str = "") -> str | None:
    """'bot_wall', 'js_challenge', 'captcha' or 'consent_wall' when the page is one; else None."""
    if _CONSENT_HOST.match(urllib.parse.urlsplit(url).hostname or ""):
        return "consent_wall"
    if status < 400 and visible_words(html) >= WALL_MAX_WORDS:
        return None
    for reason, pattern in _WALL_RES:
        if pattern.search(html):
            return reason
    return None


_PAYWALL_HINTS = ("subscri", "continue reading", "paywall", "members", "reserved")


def paywall_signals(html: str) -> tuple[bool, bool]:
    """(declared not free by schema.org isAccessibleForFree, paywall wording or markup present).

    Substring checks first: the case-insensitive patterns are slow over a whole page, and most
    pages contain none of their words."""
    lowered = html.lower()
    declared = "isaccessibleforfree" in lowered and bool(_NOT_FREE.search(html))
    return declared, _search_near(_PAYWALL_LOWER, lowered, _PAYWALL_HINTS)


_PAYWALL_LOWER = re.compile(_PAYWALL.pattern)  # for lower-cased text: case-insensitive matching is slow
_NEAR = 160


def _search_near(pattern: re.Pattern, text: str, anchors) -> bool:
    """pattern.search(text), tried only around occurrences of the anchors (each match contains one):
    a regex of alternatives scans a whole page slowly, str.find does not."""
    for anchor in anchors:
        start = text.find(anchor)
        while start != -1:
            if pattern.search(text, max(0, start - _NEAR), start + _NEAR):
                return True
            start = text.find(anchor, start + 1)
    return False


def is_paywalled(html: str, body_words: int) -> bool:
    """True for a page that declares itself not free, or a short body on a page with paywall
    wording (a teaser cut off at the paywall)."""
    declared, marker = paywall_signals(html)
    return declared or (marker and body_words < TEASER_MAX_WORDS)


_OPEN_OR_CLOSE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def nesting_depth(html: str, stop_at: int = MAX_NESTING + 1) -> int:
    """Approximate element nesting depth (void elements and self-closed tags ignored), counting
    stops at `stop_at`."""
    depth = deepest = 0
    for match in _OPEN_OR_CLOSE.finditer(html):
        closing, name, self_closed = match.groups()
        if name.lower() in _VOID or self_closed:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
        if deepest >= stop_at:
            break
    return deepest
