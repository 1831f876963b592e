"""Byline stage: turn the raw byline into a list of reporters' names."""
from __future__ import annotations

import dataclasses
import re

import apache_beam as beam

from schemas import Article

_PREFIX = re.compile(r"^\s*(?:written\s+by|reporting\s+by|posted\s+by|by|von|par|por|av|af|door|di|"
                     r"autor(?:in)?|auteur|text|texte|texto)\b\s*[:\-–—]?\s*", re.I)
_SEPARATORS = re.compile(r"\s*(?:;|,|\||/|&|\band\b|\bund\b|\bet\b|\by\b|\bog\b|\be\b)\s*", re.I)
_EMAIL_OR_HANDLE = re.compile(r"\S+@\S+\.\S+|(?<!\w)@\w+")
# Words that make a byline part a role or an organisation rather than a person.
_NOT_A_NAME = re.compile(
    r"\b(?:staff|writer|reporter|correspondent|editor|editing|contributor|columnist|desk|team|"
    r"newsroom|press|news|agency|media|online|redaktion|rédaction|redacción|redaksjonen|"
    r"senior|chief|associate|photographer|view all posts|email|follow|updated|published)\b", re.I)


def normalise_byline(raw: str | None) -> list[str]:
    """Person names in a byline: prefixes dropped, joined names split, roles, organisations,
    e-mails and handles removed, ALL-CAPS names in proper case, duplicates merged."""
    if not raw:
        return []
    text = _EMAIL_OR_HANDLE.sub(" ", raw)
    names = []
    for part in _SEPARATORS.split(text):
        part = _PREFIX.sub("", part.strip()).strip(" .:-–—•·")
        if not part or _NOT_A_NAME.search(part) or any(ch.isdigit() for ch in part):
            continue
        words = part.split()
        if not 1 < len(words) <= 5:
            continue
        if part.isupper():
            part = " ".join(w.capitalize() if len(w) > 2 or "." not in w else w for w in words)
        names.append(" ".join(part.split()))
    return list(dict.fromkeys(names))


def apply_byline(article: Article) -> Article:
    return dataclasses.replace(article, authors=normalise_byline(article.byline_raw))


class NormaliseBylines(beam.PTransform):
    """Article -> Article with `authors` derived from `byline_raw` (which is kept as found)."""

    def expand(self, articles):
        return articles | "ApplyBylineRules" >> beam.Map(apply_byline)
