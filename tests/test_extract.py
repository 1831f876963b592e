"""Extraction of one page and the publication-date rule, without Beam."""
import datetime as dt

import pytest

from conftest import read_fixture
from schemas import FeedEntry, Page
from transforms import dates, extract
from transforms.pagemeta import DateCandidate, read_page_evidence

UTC = dt.timezone.utc
FETCHED = dt.datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def page_of(name, url="https://harbour.example/news/ferry-returns.html", entry=None):
    entry = entry or FeedEntry(feed_url="https://harbour.example/feed.xml", link=url, guid=url, title="Feed title")
    return Page(entry=entry, final_url=url, status=200, content_type="text/html",
                html=read_fixture("pages", name).decode("utf-8"), fetched_at=FETCHED)


def test_article_fields_from_a_realistic_page():
    article = extract.extract_article(page_of("article-jsonld.html"))
    assert article.title == "Ferry service returns to Gull Island"
    assert article.site_name == "Harbour Gazette"
    assert article.language == "en"
    assert article.canonical_url == "https://harbour.example/news/ferry-returns.html"
    assert article.published_at.date() == dt.date(2026, 11, 24)
    assert "first passengers in eight months" in article.body
    assert "inspection reports every quarter" in article.body
    for furniture in ("cookies", "Advertisement", "Related stories", "All rights reserved", "Bus timetable"):
        assert furniture not in article.body
    assert "Jane Doe" in article.byline_raw
    assert article.word_count == len(article.body.split())
    assert article.image_url == "https://harbour.example/img/ferry.jpg"


@pytest.mark.parametrize("name, paywalled", [("paywall-declared-body.html", True), ("scripted-declared-body.html", False)])
def test_a_story_declared_in_json_ld_is_the_body_when_the_page_shows_none(name, paywalled):
    article = extract.extract_article(page_of(name))
    assert article.body.startswith("The harbour board approved the new ferry timetable on Tuesday")
    assert article.body.endswith("the last will return at eleven at night.")
    assert "<p>" not in article.body and "Subscribe" not in article.body
    assert article.word_count == len(article.body.split())
    assert article.paywalled is paywalled
    assert article.authors == ["Jane Doe"] and article.title == "Ferry timetable approved"
    assert article.published_at == dt.datetime(2026, 11, 20, 8, 30, tzinfo=UTC)


def test_a_failed_metadata_read_for_a_json_ld_body_is_an_extraction_error(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("hostile markup")
    monkeypatch.setattr(extract.trafilatura, "bare_extraction", lambda *args, **kwargs: None)
    monkeypatch.setattr(extract.trafilatura.metadata, "extract_metadata", broken)
    with pytest.raises(extract.ExtractError) as failed:
        extract.extract_article(page_of("scripted-declared-body.html"))
    assert failed.value.reason == "extraction_failed" and "hostile markup" in str(failed.value)


def test_a_paywall_notice_alone_is_still_a_paywall_dead_letter():
    page = page_of("empty.html")
    page = Page(entry=page.entry, final_url=page.final_url, status=200, content_type="text/html",
                html=read_fixture("walls", "paywall_hard.html").decode("utf-8"), fetched_at=FETCHED)
    with pytest.raises(extract.ExtractError) as failed:
        extract.extract_article(page)
    assert failed.value.reason == "paywall"


def test_page_without_text_is_an_extract_error():
    with pytest.raises(extract.ExtractError) as failed:
        extract.extract_article(page_of("empty.html"))
    assert failed.value.reason == "no_content"


def day(d):
    return dt.datetime(2026, 11, d, tzinfo=UTC)


@pytest.mark.parametrize("feed_time,page_date,expected", [
    (day(24) + dt.timedelta(hours=8, minutes=30), "2026-11-24", day(24) + dt.timedelta(hours=8, minutes=30)),
    (day(24) + dt.timedelta(hours=8), "2026-10-02", dt.datetime(2026, 10, 2, tzinfo=UTC)),
    (None, "2026-11-20", day(20)),
    (day(23), None, day(23)),
    (day(23), "2031-01-01", day(23)),
    (dt.datetime(1970, 1, 1, tzinfo=UTC), None, None),
    (None, "1989-12-31", None),
    (None, "not a date", None),
])
def test_published_at_rule(feed_time, page_date, expected):
    found = dates.resolve_published(feed_time, [dates.parse_stated_date(page_date, "text")], FETCHED)
    assert (found.utc if found else None) == expected


def test_page_time_with_offset_wins_and_keeps_its_offset():
    found = dates.resolve_published(day(17) + dt.timedelta(hours=12), [
        dates.parse_stated_date("2026-11-17T07:55:00-05:00", "json-ld"),
        dates.parse_stated_date("2026-11-10", "text")], FETCHED)
    assert (found.utc, found.source, found.offset_minutes) == (
        day(17) + dt.timedelta(hours=12, minutes=55), "json-ld", -300)


def test_structured_date_outranks_htmldate_and_url():
    found = dates.resolve_published(None, [dates.parse_stated_date("2025-01-02", "url"),
                                           dates.parse_stated_date("2025-03-04", "text"),
                                           dates.parse_stated_date("2024-05-06T10:00:00+02:00", "meta")], FETCHED)
    assert (found.source, found.utc.date()) == ("meta", dt.date(2024, 5, 6))


def test_a_bare_day_gives_way_to_a_moment_of_that_local_day_unless_the_feed_has_one():
    stated = [dates.parse_stated_date("2014-06-29", "meta"), dates.parse_stated_date("2014-06-29T20:08:00-04:00", "html time")]
    found = dates.resolve_published(None, stated, FETCHED)
    assert (found.source, found.offset_minutes) == ("html time", -240)
    assert found.utc == dt.datetime(2014, 6, 30, 0, 8, tzinfo=UTC)
    # (on that day only in UTC: the next local day's update, "Updated 9.30am" of the 13th in Sydney)
    next_local_day = [dates.parse_stated_date("2024-03-12", "json-ld"), dates.parse_stated_date("2024-03-13T09:30:00+11:00", "html time")]
    assert dates.resolve_published(None, next_local_day, FETCHED).source == "json-ld"
    other_day = [stated[0], dates.parse_stated_date("2014-07-02T20:08:00-04:00", "html time")]
    assert dates.resolve_published(None, other_day, FETCHED).source == "meta"
    feed_time = dt.datetime(2014, 6, 29, 20, 1, tzinfo=UTC)
    assert dates.resolve_published(feed_time, stated, FETCHED).source == "feed"


@pytest.mark.parametrize("url, pick, kept", [
    ("https://news.example/2010/08/13/story.html", "2011-08-19", None),     # a sidebar's day, not the story's
    ("https://news.example/2010/08/13/story.html", "2010-08-13", "2010-08-13"),
    ("https://news.example/story.html", "2011-08-19", "2011-08-19"),
])
def test_htmldate_is_not_believed_against_the_address_when_the_page_states_no_date(url, pick, kept):
    from transforms.pagemeta import PageEvidence
    assert extract._htmldate_pick(pick, "<html><body><p>text</p></body></html>", PageEvidence(), url) == kept
    stated = PageEvidence(dates=(DateCandidate("text", "2011-08-19"),))
    assert extract._htmldate_pick(pick, "<html></html>", stated, url) == pick


def test_a_date_after_the_fetch_is_not_used():
    found = dates.resolve_published(None, [dates.parse_stated_date("2026-11-25T13:00:00Z", "json-ld"),
                                           dates.parse_stated_date("2026-11-20", "text")], FETCHED)
    assert found.source == "text"


def test_url_date():
    assert dates.url_date("https://x.example/news/2024/03/15/story.html") == "2024-03-15"
    assert dates.url_date("https://x.example/p/12345") is None


@pytest.mark.parametrize("text,month_first,expected", [
    ("February 9th, 2024", False, "2024-02-09"),
    ("AUG 25 2024 - 8 MIN READ", False, "2024-08-25"),
    ("3 Sept 2024 | Originally published", False, "2024-09-03"),
    ("Veröffentlicht am 9. März 2024", False, "2024-03-09"),
    ("publicado el 9 de febrero de 2024", False, "2024-02-09"),
    ("le 3 mars 2024 à 10h", False, "2024-03-03"),
    ("12. joulukuuta 2023", False, "2023-12-12"),
    ("Posted 2024-01-12T00:30:27+00:00", False, "2024-01-12"),
    ("12.16.2025", False, "2025-12-16"),
    ("3/4/2025", False, "2025-04-03"),
    ("3/4/2025", True, "2025-03-04"),
    ("03.04.2025", True, "2025-04-03"),
    ("Opublikowano: 3 września 2024", False, "2024-09-03"),
    ("5. března 2024", False, "2024-03-05"),
    ("5 октября 2024, 14:30", False, "2024-10-05"),
    ("5 листопада 2024 року", False, "2024-11-05"),
    ("12 Kasım 2024", False, "2024-11-12"),
    ("2024. március 5.", False, "2024-03-05"),
    ("5 martie 2024", False, "2024-03-05"),
    ("2024年3月5日 14:30", False, "2024-03-05"),
    ("2024년 3월 5일", False, "2024-03-05"),
    ("November 2015", False, None),
    ("31/02/2024", False, None),
    ("in 2024. The March 5 meeting", False, None),
    ("2024. márc. 5.", False, "2024-03-05"),
    # year-first with a month name is Hungarian only: elsewhere the year ends a sentence
    ("founded in 2019. May 12, 2024 marks", False, "2024-05-12"),
    ("2024年3月15億円", False, None),
    # "listopada" is November in Polish and October in Croatian: not read
    ("15. listopada 2023.", False, None),
    # Solar Hijri dates in Persian digits; Arabic, Hebrew and Greek month names; Arabic-Indic digits
    ("۲۲ اسفند ۱۴۰۳ - ۰۰:۴۰", False, "2025-03-12"),
    ("22 دی 1403", False, "2025-01-11"),
    ("١٦ يناير ٢٠٢٥", False, "2025-01-16"),
    ("الخميس 16 يناير 2025 03:30 م", False, "2025-01-16"),
    ("5 ΜΑΡΤΙΟΥ 2024", False, "2024-03-05"),
    # a two-digit year only with a time beside it
    ("14.03.25 | 00:15", False, "2025-03-14"),
    ("version 1.2.25 released", False, None),
    # Bengali, Swahili, Hausa, Indonesian, Tagalog months; Thai in the Buddhist era; Ethiopian calendar
    ("প্রকাশ: ১৪ এপ্রিল ২০২৪, ০০: ১৫", False, "2024-04-14"),
    ("Imechapishwa: Julai 15, 2024 12:25 asubuhi", False, "2024-07-15"),
    ("Lahadi, 5 ga Mayu, 2024", False, "2024-05-05"),
    ("12 Maret 2024", False, "2024-03-12"),
    ("ika-5 ng Hunyo 2024", False, None),
    ("5 Hunyo 2024", False, "2024-06-05"),
    ("15 ม.ค. 2567 เวลา 00:35 น.", False, "2024-01-15"),
    ("วันพุธที่ 17 มกราคม พ.ศ. 2567", False, "2024-01-17"),
    ("ሐምሌ 7 ቀን 2016 ዓ.ም", False, "2024-07-14"),
    ("የሟቾች ቁጥር 12 2016", False, None),       # ጥር (January) inside ቁጥር ("number")
    # the Levantine August (two letters), alone and beside the standard name
    ("الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00", False, "2013-08-28"),
    ("28 آب 2013", False, "2013-08-28"),
])
def test_dates_written_in_text(text, month_first, expected):
    found = dates.find_text_date(text, month_first)
    assert (found[0] if found else None) == expected


def test_date_audit_finds_a_day_in_any_spelling_the_page_uses():
    from tools.date_audit import shows
    day = dt.date(2024, 3, 5)
    assert shows("<p>Posted 5. März 2024</p>", day)
    assert shows('<script>{"ts": 1709650000}</script>', day)        # a Unix timestamp of that day
    assert not shows("<p>Posted 6 March 2024</p>", day)


def test_days_written_reads_every_date_both_ways():
    assert dates.days_written("3/4/2025 · March 5, 2024 · 31/02/2024 · 2024年3月6日") == {
        "2025-04-03", "2025-03-04", "2024-03-05", "2024-03-06"}


@pytest.mark.parametrize("page_text,guess", [
    ("© 2024 Harbour Gazette", True),
    ("Posted January 1st, 2024", False),
    ("1º de janeiro de 2024", False),
    ("2024年1月1日", False),
    ("2024. január 1.", False),
    ('<a href="/2024/01/01/new-year-swim/">', False),
])
def test_htmldate_january_first_is_a_year_guess_unless_the_page_writes_it(page_text, guess):
    assert dates.year_only_guess("2024-01-01", page_text) is guess
    assert dates.year_only_guess("2024-01-02", page_text) is False


@pytest.mark.parametrize("stated,others,offset", [
    # the local time shown beside the date tells the offset of a moment stated in UTC
    (("2024-03-06T04:30:00Z", "json-ld"), [("2024-03-05T20:30", dates.SHOWN_TIME)], -480),
    (("2024-07-09T23:30:00.000Z", "meta"), [("2024-07-10T00:30", dates.SHOWN_TIME)], 60),
    # a moment written without an offset, shown 5 hours earlier: it was UTC
    (("2024-03-06T02:30:00", "meta"), [("2024-03-05T21:30", dates.SHOWN_TIME)], -300),
    # a <time> stating the same moment with an offset
    (("2024-03-05T22:15:00Z", "json-ld"), [("2024-03-06T01:15:00+03:00", "html time")], 180),
    # the same clock says nothing about a moment written without an offset
    (("2024-03-05 14:30:00", "meta"), [("2024-03-05T14:30", dates.SHOWN_TIME)], None),
    # the time shown with its zone is another moment than the one stated (a mislabelled "Z"): no guess
    (("2019-11-18T10:45:00Z", "json-ld"), [("2019-11-18T07:45 PST", dates.SHOWN_TIME)], 0),
    # offsets no time zone uses are other moments (an update time, a duration)
    (("2024-03-05T14:00:00Z", "json-ld"), [("2024-03-05T11:15", dates.SHOWN_TIME)], 0),
    (("2024-03-05T19:00:00Z", "json-ld"), [("2024-03-05T18:45", dates.SHOWN_TIME)], 0),
    # India's half hour is one
    (("2024-03-05T19:50:00Z", "meta"), [("2024-03-06T01:20", dates.SHOWN_TIME)], 330),
    # a shown time that is no whole quarter-hour away is another moment: the stated offset stays
    (("2024-03-06T04:30:00Z", "json-ld"), [("2024-03-06T01:07", dates.SHOWN_TIME)], 0),
])
def test_the_page_offset_of_a_moment_stated_in_utc(stated, others, offset):
    found = dates.resolve_published(None, [dates.parse_stated_date(*stated),
                                           *(dates.parse_stated_date(*o) for o in others)], FETCHED)
    assert found.source == stated[1]
    assert found.utc == dates.parse_stated_date(*stated).utc
    assert found.offset_minutes == offset


@pytest.mark.parametrize("text,expected", [
    ("March 5, 2024 8:30 PM PT", "2024-03-05T20:30"),
    ("Published: 7:15am, 6 Mar 2024 | Updated: 10:40am, 6 Mar 2024", "2024-03-06T07:15"),
    ("Wed 10 Jul 2024 00.30 BST", "2024-07-10T00:30 BST"),
    ("Monday November 18, 2019 7:45 am PST by", "2019-11-18T07:45 PST"),
    ("Publié le 5 mars 2024 à 23 h 15", "2024-03-05T23:15"),
    ("2024年3月6日 7時05分", "2024-03-06T07:05"),
    ("Posted 5 March 2024 | 3 comments | 10:40", "2024-03-05"),
    # not a time of publication: a reading time, a duration, a range, a clock in the next block
    ("Reading time: 7:00 | March 5, 2024", "2024-03-05"),
    ("March 5, 2024 · 18:45 min", "2024-03-05"),
    ("March 5, 2024 - 1:00 - 3:00 PM", "2024-03-05"),
    # a time alone after a bar is the date's ("date | time" displays)
    ("Published March 5, 2024 | 14:30", "2024-03-05T14:30"),
    ("פורסם: 14.03.25 | 00:15", "2025-03-14T00:15"),
    ("چهارشنبه ۲۲ اسفند ۱۴۰۳ - ۰۰:۴۰", "2025-03-12T00:40"),
    # in the next element with its zone, the time is checked against the stated moment: taken
    ("Published Wed, Nov 20 2019 | 4:29 AM EST", "2019-11-20T04:29 EST"),
    # German "am" before a date is "on the"
    ("12:30 am 5. März 2024", "2024-03-05T12:30"),
    ("Mar 5, 2024 12:05 am", "2024-03-05T00:05"),
])
def test_the_time_shown_beside_a_date(text, expected):
    from transforms.pagemeta import _with_clock
    assert _with_clock(text, dates.find_text_date(text)) == expected


@pytest.mark.parametrize("value,utc,offset", [
    ("5 March 2024 14:30 CET", "2024-03-05T13:30:00+00:00", 60),
    ("March 5, 2024 9:00 PM EST", "2024-03-06T02:00:00+00:00", -300),
    # an ambiguous zone name (US Central or China?) is read as no zone, without a warning
    ("5 March 2024 14:30 CST", "2024-03-05T14:30:00+00:00", None),
])
def test_zone_abbreviations_after_a_time(value, utc, offset, recwarn):
    stated = dates.parse_stated_date(value, "text")
    assert (stated.utc.isoformat(), stated.offset_minutes) == (utc, offset)
    assert not recwarn.list


def test_trafilatura_crash_is_an_extract_error(monkeypatch):
    def explode(*_args, **_kwargs):
        raise ValueError("hostile markup")
    monkeypatch.setattr(extract.trafilatura, "bare_extraction", explode)
    with pytest.raises(extract.ExtractError) as failed:
        extract.extract_article(page_of("article-jsonld.html"))
    assert failed.value.reason == "extraction_failed"
    assert "hostile markup" in str(failed.value)


def test_a_failing_evidence_rule_is_an_extract_error(monkeypatch):
    def explode(_html):
        raise ValueError("empty separator")
    monkeypatch.setattr(extract, "read_page_evidence", explode)
    with pytest.raises(extract.ExtractError) as failed:
        extract.extract_article(page_of("article-jsonld.html"))
    assert failed.value.reason == "extraction_failed"
    assert "page evidence: ValueError: empty separator" in str(failed.value)


def test_a_comment_time_is_no_date_evidence():
    page = ("<html><body><article><h1>Harbour</h1><p>March 5, 2024</p><p>" + "Text. " * 60 + "</p></article>"
            '<div class="comments"><time datetime="2024-03-05T22:47:00+00:00">22:47</time></div>'
            '<footer><time datetime="2024-03-07T08:00:00+00:00">x</time></footer></body></html>')
    assert [d for d in read_page_evidence(page).dates if d.source == "html time"] == []


def test_extract_command_reports_unreadable_files_in_order(tmp_path):
    from pipeline.extract_local import LocalPage, extract_lines
    from conftest import fixture_path
    lines = list(extract_lines([LocalPage(str(tmp_path / "missing.html")),
                                LocalPage(fixture_path("pages", "article-jsonld.html"))]))
    assert [line.get("error") for line in lines] == ["unreadable_file", None]
    assert lines[0]["authors"] == [] and lines[0]["body"] is None
    assert lines[1]["title"] == "Ferry service returns to Gull Island"


def test_a_byline_rule_that_fails_is_that_files_error_in_the_extract_command(monkeypatch):
    from pipeline import extract_local
    from pipeline.extract_local import LocalPage, extract_lines
    from conftest import fixture_path

    def explode(article):
        raise RecursionError("maximum recursion depth exceeded")
    monkeypatch.setattr(extract_local, "apply_byline", explode)
    lines = list(extract_lines([LocalPage(fixture_path("pages", "article-jsonld.html"))]))
    assert [(line["error"], line["message"]) for line in lines] == [
        ("byline_failed", "RecursionError: maximum recursion depth exceeded")]


@pytest.mark.parametrize("ethiopian, gregorian", [
    ((2016, 11, 7), "2024-07-14"), ((2017, 1, 1), "2024-09-11"), ((2016, 1, 1), "2023-09-12"),
    ((2015, 13, 6), "2023-09-11"), ((2016, 13, 6), None),     # Pagume has a sixth day in leap years only
])
def test_ethiopian_calendar_dates(ethiopian, gregorian):
    assert dates.ethiopian_to_gregorian(*ethiopian) == gregorian


def test_a_shown_time_on_another_day_than_the_stated_offset_gives_the_pages_offset():
    stated = [dates.parse_stated_date("2024-01-10T06:40:12+01:00", "json-ld"),
              dates.parse_stated_date("2024-01-09T23:40", dates.SHOWN_TIME)]
    assert dates.resolve_published(None, stated, FETCHED).offset_minutes == -360
    same_day = [dates.parse_stated_date("2024-01-10T06:40:12+01:00", "json-ld"),
                dates.parse_stated_date("2024-01-10T10:05", dates.SHOWN_TIME)]      # another moment
    assert dates.resolve_published(None, same_day, FETCHED).offset_minutes == 60
    # a German site (zone known): "06.03.2024, 08:00 Uhr" under "2024-03-05T22:00+01:00" is an update
    update = [dates.parse_stated_date("2024-03-05T22:00:00+01:00", "json-ld"),
              dates.parse_stated_date("2024-03-06T08:00", dates.SHOWN_TIME)]
    assert dates.resolve_published(None, update, FETCHED, zone="Europe/Berlin").offset_minutes == 60


@pytest.mark.parametrize("host, language, zone", [
    ("www.dailypunchline.ng", "en-US", "Africa/Lagos"),
    ("news.example.com", "en-IN", "Asia/Kolkata"),
    ("news.example.com", "he", "Asia/Jerusalem"),
    ("startup.co", "en", None),      # a vanity domain, a language of many countries
    ("news.example.com", "es", None),
    ("www.addislissan.com", "am", "Africa/Addis_Ababa"),
    ("www.example.com", "bn", None),       # Bangladesh and West Bengal keep different times
])
def test_a_pages_country_zone_comes_from_its_domain_or_language(host, language, zone):
    assert dates.country_zone(host, language) == zone


def test_a_shown_day_and_the_countrys_zone_give_the_offset_of_a_utc_stamp():
    stated = [dates.parse_stated_date("2024-11-06T23:10:00+00:00", "json-ld"),
              dates.parse_stated_date("2024-11-07", "text")]
    found = dates.resolve_published(None, stated, FETCHED, zone="Africa/Lagos")
    assert found.offset_minutes == 60 and found.utc == dt.datetime(2024, 11, 6, 23, 10, tzinfo=dt.timezone.utc)
    # the shown day is the UTC day: nothing to correct; a zone that does not give the shown day: none
    assert dates.resolve_published(None, stated[:1] + [dates.parse_stated_date("2024-11-06", "text")],
                                   FETCHED, zone="Africa/Lagos").offset_minutes == 0
    assert dates.resolve_published(None, stated, FETCHED, zone="America/New_York").offset_minutes == 0


def test_a_headers_today_date_is_no_publication_date():
    page = ('<html><body><div class="topbar-today-date">Sunday, December 15, 2024</div>'
            '<h1>Cocoa farmers demand payment</h1><p>Text.</p>'
            '<div class="comment"><span class="date">December 11, 2024</span></div></body></html>')
    evidence = read_page_evidence(page)
    assert not [d for d in evidence.dates if d.source == "text"]
    assert evidence.today_only_days == {"2024-12-15"}


def test_the_zone_a_header_writes_another_time_in_is_the_pages_for_a_utc_stamp():
    page = ('<html><body><h1>Senate vote</h1><div class="timestamp">Updated 10:14 PM EST, Tue March 4, 2025</div>'
            '<p>Text of the story.</p></body></html>')
    evidence = read_page_evidence(page)
    assert evidence.display_zone == "EST"
    stated = [dates.parse_stated_date("2025-03-05T01:02:18Z", "meta")]
    assert dates.resolve_published(None, stated, FETCHED, display_zone="EST").offset_minutes == -300
    # a time shown beside the date is read first; a stamp without an offset is left alone
    shown = stated + [dates.parse_stated_date("2025-03-05T01:02", dates.SHOWN_TIME)]
    assert dates.resolve_published(None, shown, FETCHED, display_zone="EST").offset_minutes == 0
    naive = [dates.parse_stated_date("2025-03-05T01:02:18", "meta")]
    assert dates.resolve_published(None, naive, FETCHED, display_zone="EST").offset_minutes is None


def test_a_byline_named_by_a_test_id_is_read_and_a_most_popular_list_is_furniture():
    page = ('<html><body><h1>Grey belt sites</h1><span data-testid="byline-name">Rhiannon Teague</span>'
            '<p>Text of the story.</p><section class="tnt-most-popular"><span class="tnt-byline">By Doug Renner'
            '</span></section></body></html>')
    texts = [b.text for b in read_page_evidence(page).bylines]
    assert "Rhiannon Teague" in texts and not any("Renner" in t for t in texts)


def test_a_portals_provider_that_is_an_agency_is_credited():
    page = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person",'
            ' "name": "Camille THOREL"}, "provider": {"@type": "Organization", "name": "AFP"}}</script></head>'
            '<body><p>Text.</p></body></html>')
    json_ld = read_page_evidence(page).bylines[0]
    assert json_ld.organizations == ("AFP",)


def test_a_credit_paragraph_after_the_story_names_the_agency_and_a_mention_or_a_picture_credit_does_not():
    story = "<p>" + "Die Bahn sperrt die Strecke Hamburg–Berlin ab August für neun Monate. " * 3 + "</p>"
    credit = '<div class="RichText"><p class="text-right">jwe/dpa</p></div>'
    assert read_page_evidence(f"<html><body><article>{story}{credit}</article></body></html>").credited_agency == "dpa"
    mention = "<p>" + "Es berichtet die Agentur <em>dpa</em> heute. " * 5 + "</p>"
    picture = '<figure><img src="x.jpg"><figcaption><p>dpa</p></figcaption></figure>'
    assert read_page_evidence(f"<html><body>{mention}{story}{picture}</body></html>").credited_agency is None


def test_korean_and_japanese_reporter_lines_and_a_json_ld_name_list_are_bylines():
    page = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person",'
            ' "name": ["Daniel Ortiz-Kerr", "Meghan Pryce"]}}</script></head><body><h1>제목</h1>'
            '<ul><li>김지훈·박서연 기자</li></ul><p>본문.</p></body></html>')
    bylines = read_page_evidence(page).bylines
    assert bylines[0].persons == ("Daniel Ortiz-Kerr", "Meghan Pryce")
    assert "김지훈·박서연 기자" in [b.text for b in bylines]


def test_review_findings_on_page_evidence():
    story = "<p>" + "The council approved the budget after a long debate on Tuesday night. " * 3 + "</p>"
    # a "today" brand class around the article's date hides nothing; only a today-date widget does
    page = f'<html><body><h1>Budget</h1><div class="story-meta it-today">Published: 5 November 2024</div>{story}</body></html>'
    assert [d.value for d in read_page_evidence(page).dates if d.source == "text"] == ["2024-11-05"]
    # a tag list's link after the story is no credit line
    page = f'<html><body><h1>Markets</h1>{story}<div class="tags"><a>Bloomberg</a></div></body></html>'
    assert read_page_evidence(page).credited_agency is None
    # a zone in the story's text is not the page's
    page = f'<html><body><h1>Launch</h1><div>5 November 2024</div><p>The launch is at 10:00 AM PST.</p>{story}</body></html>'
    assert read_page_evidence(page).display_zone is None


def test_a_display_zone_that_does_not_give_the_shown_day_is_not_the_pages():
    stated = [dates.parse_stated_date("2024-11-05T07:00:00Z", "json-ld"), dates.parse_stated_date("2024-11-05", "text")]
    assert dates.resolve_published(None, stated, FETCHED, display_zone="PST").offset_minutes == 0


def test_a_time_showing_its_utc_moment_as_a_local_clock_gives_the_offset():
    page = ('<html><body><h1>Flood warnings</h1><div>Updated <time datetime="2025-06-18T01:42:00Z">June 18, 2025 '
            '— 11.42am</time>, first published at <time datetime="2025-06-17T20:05:00Z">6.05am</time></div>'
            '<p>Text.</p></body></html>')
    evidence = read_page_evidence(page)
    stated = [dates.parse_stated_date(d.value, d.source) for d in evidence.dates]
    stated.append(dates.parse_stated_date("2025-06-17T20:05:00Z", "json-ld"))
    found = dates.resolve_published(None, stated, FETCHED)
    assert found.offset_minutes == 600 and found.source == "json-ld"


@pytest.mark.parametrize("stamp, title, expected", [
    ("2025-02-20T06:30:00.000Z", "February 19, 2025 10:30 PM PST", ["2025-02-19T22:30:00-08:00"]),
    ("2025-03-19T10:33:00Z", "19.03.2025, 11:33 Uhr", ["2025-03-19T11:33:00+01:00"]),    # not "19.03" as a clock
    ("2025-02-20T06:30:00Z", "Updated February 20, 2025 2:45 AM", []),    # another moment: -3:45 is no zone's
    ("2025-02-20T06:30:00Z", "February 19, 2025 10:30", []),      # a 12-hour clock without am/pm
    ("2025-02-20T06:30:00Z", "10:30 PM", []),                     # a title must show its date
    ("2025-02-30T06:30:00Z", "February 19, 2025 10:30 PM", []),   # a CMS's impossible day
    ("0000-00-00T00:00:00+00:00", "January 1, 2025 9:00 AM", []),
])
def test_a_relative_time_whose_hover_title_shows_the_local_clock_gives_the_offset(stamp, title, expected):
    page = (f'<html><body><h1>Ferry fares</h1><div>Posted: <time datetime="{stamp}" title="{title}">3 hours ago'
            '</time></div><p>Text.</p></body></html>')
    assert [d.value for d in read_page_evidence(page).dates if d.source == dates.LOCAL_TIME] == expected


@pytest.mark.parametrize("inner, expected", [
    ('<span>PTI</span> <span>Edited By:</span> <a href="/editor/rohit">Rohit Sharma</a>', "PTI | Edited By: Rohit Sharma"),
    # a byline label stays apart: the byline rules read it as a label and a name
    ('<strong>Yazar:</strong> Ahmet Yılmaz', "Yazar: | Ahmet Yılmaz"),
])
def test_a_label_of_another_job_stays_with_what_it_labels_in_a_byline_element(inner, expected):
    page = f'<html><body><h1>Budget</h1><div class="byline">{inner}</div><p>Text.</p></body></html>'
    assert [b.text for b in read_page_evidence(page).bylines][:1] == [expected]


@pytest.mark.parametrize("sidebar, heading, expected", [
    (True, "Article Authors", ["Rebecca Hartmann | Owen Castellano"]),
    (False, "Authors", ["Rebecca Hartmann | Owen Castellano"]),
    (True, "Authors", []),     # a blog's sidebar widget listing every writer it has
    (True, "Blog Authors", []),
])
def test_names_under_an_authors_heading_are_a_byline(sidebar, heading, expected):
    cards = (f'<h4>{heading}</h4><div class="card"><a href="/attorneys/rebecca-hartmann/">Rebecca Hartmann</a>'
             '<span class="title">Partner</span><a href="mailto:rh@law.example">Email</a></div>'
             '<div class="card"><a href="/attorneys/owen-castellano/">Owen Castellano</a></div>')
    block = f'<aside class="sidebar">{cards}</aside>' if sidebar else f'<div class="insight-column">{cards}</div>'
    page = (f'<html><body><main><h1>Non-compete thresholds</h1><p>{"Employers in Illinois face new rules. " * 20}</p>'
            f'</main>{block}</body></html>')
    assert [b.text for b in read_page_evidence(page).bylines if b.source == "html byline"] == expected


def test_the_shown_text_keeps_furniture_and_drops_scripts_whatever_else_is_read():
    page = ('<html><head><meta name="author" content="Kelsey Brandt"></head><body><div class="topbar-today-date">'
            'Wednesday, June 18, 2025</div><h1>Road works</h1><p>Text of the story.</p><script>var author = "Kelsey Brandt";</script>'
            '<aside class="sidebar"><p>About the author: Dana Whitfield covers transport.</p></aside></body></html>')
    evidence = read_page_evidence(page)
    assert "dana whitfield" in evidence.shown_text and "kelsey" not in evidence.shown_text
    assert evidence.today_only_days == {"2025-06-18"}


def test_an_authors_heading_takes_only_links_to_the_persons_own_pages():
    page = ('<html><body><main><h1>Courts</h1><p>' + "The court ruled on Monday. " * 20 + '</p>'
            '<span>Written by</span> <a href="/authors/rachel-gomez/">Rachel Gomez</a>'
            '<p>Rachel covered courts for the <a href="https://kansascity.example/">Kansas City Star</a> and studied at '
            '<a href="https://journalism.example/">Columbia Journalism School</a>.</p>'
            '<div class="tags"><a href="/tag/greg-abbott/">Greg Abbott</a></div></main></body></html>')
    assert [b.text for b in read_page_evidence(page).bylines if "|" in b.text or "Gomez" in b.text][:1] == ["Rachel Gomez"]


def test_a_today_widget_told_by_its_text_is_no_publication_date():
    page = ('<html><body><div class="top-line">Сьогодні: п\'ятниця, 14 лютого 2025 · Житомир −3°C</div>'
            '<h1>Ремонт мосту відновлять у березні</h1><p>Роботи з ремонту мосту відновлять на початку березня.</p>'
            '<section class="comments"><span>14.02.2025 10:12</span></section></body></html>')
    evidence = read_page_evidence(page)
    assert evidence.today_only_days == {"2025-02-14"} and [d for d in evidence.dates if d.source == "text"] == []


@pytest.mark.parametrize("line, shown", [
    ("Updated February 14 2025 - 12:55am, first published 12:31am", "2025-02-14T00:31"),
    ("Updated February 15 2025 - 12:10am, first published 11:52pm", "2025-02-14T23:52"),   # the day before
])
def test_first_published_with_a_clock_alone_is_on_the_updated_day(line, shown):
    page = (f'<html><body><h1>Senate passes water buyback changes</h1><div class="timestamp">{line}</div>'
            '<p>The amendments passed late on Thursday.</p></body></html>')
    assert [(d.source, d.value) for d in read_page_evidence(page).dates] == [("text", shown[:10]), ("shown time", shown)]


@pytest.mark.parametrize("before, body, text_days", [
    ("", '<p>Today, February 14, 2025, the city council approved its budget.</p>', ["2025-02-14"]),  # the story's date
    ("", '<div class="dateline">Today, 14 February 2025 at 10:30</div><p>The city council approved its budget.</p>',
     ["2025-02-14"]),
    # before the title but a sentence of the story (over 120 characters), not a widget
    ('<p class="lede">Today, February 14, 2025, the city council of Riverton approved its budget for the coming year '
     'after a long debate about roads, libraries and the harbour.</p>', '<p>More of the story.</p>', []),
])
def test_a_today_line_in_the_story_keeps_its_date(before, body, text_days):
    page = f'<html><body>{before}<h1>Budget approved</h1>{body}</body></html>'
    evidence = read_page_evidence(page)
    assert evidence.today_only_days == set() and [d.value[:10] for d in evidence.dates if d.source == "text"] == text_days


def test_one_credited_for_text_and_pictures_still_writes():
    page = ('<html><body><h1>Terveysasema</h1><p>Teksti.</p><div class="credits"><p>Teksti: Matti Virtanen<br>'
            'Kuvat: Matti Virtanen</p></div></body></html>')
    assert read_page_evidence(page).other_roles == set()


def test_an_other_job_label_in_capitals_is_read():
    page = ('<html><body><h1>Flom</h1><p>Teksti.</p><div class="credits"><p>Teksti: Mikko Halonen</p>'
            '<p>KUVAT: Jenni Aalto</p></div></body></html>')
    assert read_page_evidence(page).other_roles == {"Jenni Aalto"}


def test_an_other_job_after_a_line_break_is_read():
    page = ('<html><body><h1>Banjir</h1><p>Teks berita.</p><div class="pewarta"><p>Pewarta: Rina Kusuma<br>'
            'Editor: Budi Santoso</p></div></body></html>')
    assert read_page_evidence(page).other_roles == {"Budi Santoso"}


@pytest.mark.parametrize("byline, read", [
    ("By Dana Whitfield and Tom Lee", False),      # both declared authors are in the visible byline
    ("By Dana Whitfield", True),                   # Tom Lee is not: is he named anywhere?
])
def test_the_shown_text_is_read_only_for_a_declared_author_in_no_visible_byline(byline, read):
    page = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", "author": [{"@type": "Person", '
            '"name": "Dana Whitfield"}, {"@type": "Person", "name": "Tom Lee"}]}</script></head><body><h1>Road works</h1>'
            f'<div class="byline">{byline}</div><p>Text of the story.</p></body></html>')
    assert (read_page_evidence(page).shown_text is not None) == read


def test_only_the_first_times_outside_furniture_are_read_for_their_clock():
    entries = "".join(f'<div class="entry"><time datetime="2025-06-17T{h:02d}:05:00Z">{(h + 10) % 24}.05</time>'
                      f'<p>Update {h}.</p></div>' for h in range(12))
    page = f'<html><body><h1>Live: flood warnings</h1>{entries}</body></html>'
    evidence = read_page_evidence(page)
    assert len([d for d in evidence.dates if d.source == dates.LOCAL_TIME]) == 5
    assert [d.value for d in evidence.dates if d.source == "html time"] == ["2025-06-17T00:05:00Z"]


def test_a_today_date_that_comments_also_write_is_still_the_widgets():
    page = ('<html><body><div class="topbar-today-date">Wednesday, June 18, 2025</div><h1>Road works</h1>'
            '<p>Text of the story.</p><div class="comments"><time datetime="2025-06-18T07:41:00+01:00">'
            'June 18, 2025 at 7:41 am</time></div></body></html>')
    assert read_page_evidence(page).today_only_days == {"2025-06-18"}


def test_credits_of_other_jobs_than_writing_are_collected():
    page = ('<html><body><h1>Flom</h1><figure><figcaption>Otta har steget. Foto: Ole Martin Berg / Fjordposten'
            '</figcaption></figure><p>Text.</p><div class="editor">Edited By: <a href="/author/priya-singh">Priya Singh'
            '</a></div><div>Toimetaja: Karl Kask</div></body></html>')
    assert read_page_evidence(page).other_roles == {"Ole Martin Berg", "Priya Singh", "Karl Kask"}


def test_a_latest_news_list_is_furniture():
    page = ('<html><body><h1>Pension reform</h1><p>Text of the story. /ritzau/</p><section class="latest">'
            '<h3>Seneste nyt</h3><ul><li><a>Letbanen kører igen</a> <span>Af Mette Lund</span></li></ul>'
            '</section></body></html>')
    assert not [b for b in read_page_evidence(page).bylines if "Mette" in b.text]


def test_a_failing_date_rule_is_an_extract_error(monkeypatch):
    import zoneinfo

    def missing(*_args, **_kwargs):
        raise zoneinfo.ZoneInfoNotFoundError("No time zone found with key Africa/Lagos")
    monkeypatch.setattr(extract, "resolve_published", missing)
    with pytest.raises(extract.ExtractError) as failed:
        extract.extract_article(page_of("article-jsonld.html"))
    assert failed.value.reason == "extraction_failed"
    assert "page evidence: ZoneInfoNotFoundError" in str(failed.value)


def test_an_iso_basic_moment_keeps_its_time_and_offset():
    stated = dates.parse_stated_date("20180619T055000+0900", "json-ld")
    assert (stated.has_time, stated.offset_minutes, stated.utc.isoformat()) == (True, 540, "2018-06-18T20:50:00+00:00")


def test_a_story_titled_by_an_h3_under_a_logo_h1_takes_the_date_after_it():
    page = ('<html lang="es"><head><title>Anticorrupción decidirá si recurre la imputación » Local</title></head><body>'
            '<header><div class="logo"><h1>Anticorrupción decidirá si recurre la imputación<span>Ultima Hora</span></h1>'
            '</div><div class="fecha">jueves, 09 enero 2014 - 10:21 h</div></header>'
            '<article><hgroup><h3>Anticorrupción decidirá si recurre la imputación</h3></hgroup>'
            '<p class="autor"><strong>Patricio Candia</strong> | Palma de Mallorca | 08/01/2014</p>'
            '<p>La Fiscalía decidirá en Madrid.</p></article></body></html>')
    assert [d.value for d in read_page_evidence(page).dates if d.source == "text"] == ["2014-01-08"]


def test_a_label_inside_a_sentence_dates_nothing():
    page = ('<html><body><h1>The American friends</h1><div class="m-bar">Max Blumenthal<br>Thu, 14 May 2020 17:55 UTC'
            '</div><p>The story.</p><div class="image-caption">Instagram posts by his wife, Noelia Páez, posted while in '
            'Las Vegas on January 20, 2017</div><p>More of the story.</p></body></html>')
    assert [d.value for d in read_page_evidence(page).dates if d.source == "text"] == ["2020-05-14"]


def test_a_chinese_responsible_editor_is_no_author():
    page = ('<html><head><meta name="author" content="严玉洁"></head><body><h1>中美关系</h1><p>正文。</p>'
            '<p>（编辑：严玉洁 王辉）</p><div>【责任编辑：严玉洁】</div></body></html>')
    assert "严玉洁" in read_page_evidence(page).other_roles

