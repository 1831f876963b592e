"""Recognising pages that are not the article: walls, challenges, captchas, consent walls, paywalls."""
import glob
import os

import pytest

from conftest import ROOT, read_fixture
from transforms import pagecheck

WALLS = [("bot_wall.html", 403, "bot_wall"), ("js_challenge.html", 503, "js_challenge"),
         ("enable_javascript.html", 202, "js_challenge"), ("captcha.html", 200, "captcha"),
         ("consent_wall.html", 200, "consent_wall")]


@pytest.mark.parametrize("name,status,reason", WALLS)
def test_walls_are_recognised(name, status, reason):
    assert pagecheck.wall_reason(status, read_fixture("walls", name).decode()) == reason


def test_a_plain_error_page_is_not_a_wall():
    assert pagecheck.wall_reason(403, "<html><body><h1>403 Forbidden</h1><hr>nginx</body></html>") is None
    assert pagecheck.wall_reason(503, "<html><body>Service Unavailable</body></html>") is None


def test_articles_with_captcha_widgets_and_cookie_banners_are_not_walls():
    article = read_fixture("pages", "article-jsonld.html").decode()
    decorated = article.replace("</body>", '<div class="g-recaptcha"></div><noscript>Please enable JavaScript to '
                                           'view the comments</noscript><div>Accept all cookies</div></body>')
    assert pagecheck.visible_words(decorated) >= pagecheck.WALL_MAX_WORDS
    assert pagecheck.wall_reason(200, decorated) is None


def test_every_demo_article_passes():
    pages = glob.glob(os.path.join(ROOT, "demo", "site", "*", "*", "*", "*", "*.html"))
    assert len(pages) > 50
    for path in pages:
        assert pagecheck.wall_reason(200, open(path, encoding="utf-8").read()) is None, path


def test_a_consent_host_is_a_wall_whatever_it_shows():
    assert pagecheck.wall_reason(200, "<p>long text</p>" * 300, "https://consent.example.com/?continue=x") == "consent_wall"


def test_paywall_signals():
    teaser = read_fixture("walls", "paywall_teaser.html").decode()
    assert pagecheck.paywall_signals(teaser) == (True, True)
    assert pagecheck.is_paywalled(teaser, body_words=90)
    hard = read_fixture("walls", "paywall_hard.html").decode()
    assert pagecheck.paywall_signals(hard) == (False, True)
    assert pagecheck.is_paywalled(hard, body_words=0)
    assert not pagecheck.is_paywalled(hard, body_words=900)   # a full article that mentions subscribing
    free = read_fixture("pages", "article-jsonld.html").decode()
    assert pagecheck.paywall_signals(free) == (False, False)


def test_nesting_depth():
    assert pagecheck.nesting_depth("<html><body><p>a<br>b<img src=x/></p></body></html>") == 3
    deep = "<div>" * 5000 + "x" + "</div>" * 5000
    assert pagecheck.nesting_depth(deep) == pagecheck.MAX_NESTING + 1   # counting stops early
