"""Feed list reading and feed parsing, without Beam."""
import datetime as dt

import pytest

from conftest import fixture_path, read_fixture
from transforms import feeds

UTC = dt.timezone.utc


@pytest.mark.parametrize("name", ["feeds.txt", "feeds.opml"])
def test_feed_lists_in_text_and_opml(name):
    assert feeds.read_feed_list(fixture_path("feeds", name)) == [
        "https://harbour.example/feed.xml", "https://valley.example/atom.xml"]


def test_feed_list_problems_are_explained(tmp_path):
    with pytest.raises(feeds.FeedListError, match="not found"):
        feeds.read_feed_list(str(tmp_path / "missing.txt"))
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    with pytest.raises(feeds.FeedListError, match="no feed URLs"):
        feeds.read_feed_list(str(empty))
    local = tmp_path / "local.txt"
    local.write_text("file:///etc/passwd\n")
    with pytest.raises(feeds.FeedListError, match="not http"):
        feeds.read_feed_list(str(local))
    entities = tmp_path / "bomb.opml"
    entities.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><opml><body/></opml>')
    with pytest.raises(feeds.FeedListError, match="DOCTYPE"):
        feeds.read_feed_list(str(entities))


def test_rss2_entries():
    entries, bozo = feeds.parse_feed("https://harbour.example/feed.xml", read_fixture("feeds", "rss2.xml"))
    assert bozo is None
    assert [e.link for e in entries] == ["https://harbour.example/news/ferry-budget.html?utm_source=rss",
                                         "https://harbour.example/news/storm.html",
                                         "https://harbour.example/news/relative.html"]
    first = entries[0]
    assert (first.guid, first.title, first.feed_title) == ("hg-1001", "Council approves ferry budget", "Harbour Gazette")
    assert first.published == dt.datetime(2026, 11, 24, 8, 30, tzinfo=UTC)
    assert first.authors == ("Jane Doe",)
    assert first.categories == ("Politics",)
    assert entries[1].authors == ("Tom Roe",)
    assert entries[2].guid == "https://harbour.example/news/relative.html"


def test_atom_entries():
    entries, bozo = feeds.parse_feed("https://valley.example/atom.xml", read_fixture("feeds", "atom.xml"))
    assert bozo is None
    assert [e.guid for e in entries] == ["tag:valley.example,2026:mill", "tag:valley.example,2026:nodate"]
    assert entries[0].authors == ("Ana García", "Lee Park")
    assert entries[0].published == dt.datetime(2026, 11, 24, 13, 15, tzinfo=UTC)
    assert entries[1].published is None


def test_malformed_feed_is_used_and_its_bozo_reported():
    entries, bozo = feeds.parse_feed("https://bits.example/feed", read_fixture("feeds", "malformed-rss.xml"))
    assert bozo
    assert [e.title for e in entries] == ["Salt & pepper prices rise"]


def test_unreadable_feed_raises():
    with pytest.raises(feeds.FeedUnreadable):
        feeds.parse_feed("https://x.example/feed", read_fixture("feeds", "not-a-feed.json"))


def test_entry_key_is_global_for_urls_and_local_for_bare_guids():
    entries, _ = feeds.parse_feed("https://harbour.example/feed.xml", read_fixture("feeds", "rss2.xml"))
    assert feeds.entry_key(entries[0]) == "https://harbour.example/feed.xml#hg-1001"
    assert feeds.entry_key(entries[1]) == "https://harbour.example/news/storm.html"


@pytest.mark.parametrize("name", ["entity-bomb.xml", "external-entity.xml"])
def test_feeds_declaring_entities_are_refused_unparsed(name):
    with pytest.raises(feeds.UnsafeFeed):
        feeds.parse_feed("https://harbour.example/feed.xml", read_fixture("feeds", name))


def test_entity_declarations_are_found_in_utf16_too():
    content = read_fixture("feeds", "external-entity.xml").decode().replace('<?xml version="1.0"?>', "")
    with pytest.raises(feeds.UnsafeFeed):
        feeds.check_safe_xml(content.encode("utf-16"))


def test_the_parser_underneath_neither_expands_bombs_nor_reads_files():
    """Defence in depth: what feedparser would do if the refusal above were ever bypassed."""
    import resource
    import feedparser
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    bomb = feedparser.parse(read_fixture("feeds", "entity-bomb.xml"))
    assert len(bomb.feed.get("title", "")) < 1000
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000   # KiB: no GB expansion
    xxe = feedparser.parse(read_fixture("feeds", "external-entity.xml"))
    assert "root:" not in str(xxe.entries) + str(xxe.feed)


def test_an_external_dtd_without_entities_is_read_and_not_fetched():
    entries, _bozo = feeds.parse_feed("https://old.example/rss", read_fixture("feeds", "rss091-doctype.xml"))
    assert [e.link for e in entries] == ["https://old.example/a.html"]
    assert "root:" not in str(entries)


def test_an_unexpected_error_while_polling_is_a_dead_letter(monkeypatch):
    import apache_beam as beam
    from transforms import httpfetch, politeness

    def broken(*_args, **_kwargs):
        raise RuntimeError("parser bug")
    monkeypatch.setattr(feeds.httpfetch, "fetch", broken)
    poll = feeds._PollFeedFn(httpfetch.FetchConfig(), politeness.PolitenessConfig(retries=0))
    poll.setup()
    [output] = list(poll.process("https://feeds.example/rss"))
    assert isinstance(output, beam.pvalue.TaggedOutput)
    assert (output.value.stage, output.value.reason) == ("feeds", "fetch_failed")
    assert "parser bug" in output.value.message
