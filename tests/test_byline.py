"""Byline rules against the golden fixture file tests/fixtures/bylines.json."""
import json

import pytest

from conftest import fixture_path
from schemas import Article
from transforms.byline import apply_byline, normalise_byline

with open(fixture_path("bylines.json"), encoding="utf-8") as handle:
    CASES = json.load(handle)


@pytest.mark.parametrize("case", CASES, ids=[c["why"] for c in CASES])
def test_byline_golden(case):
    assert normalise_byline(case["raw"]) == case["authors"]


def test_apply_byline_keeps_the_raw_byline():
    article = apply_byline(Article(byline_raw="By JANE DOE"))
    assert (article.authors, article.byline_raw) == (["Jane Doe"], "By JANE DOE")
