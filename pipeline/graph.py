"""The newsbeam graph on one screen: feeds -> fetch -> extract -> byline -> dedup -> sinks."""
from __future__ import annotations

import dataclasses

import apache_beam as beam

from transforms.byline import NormaliseBylines
from transforms.dedup import ClusterSyndication, ReadStoredArticles
from transforms.extract import ExtractArticles
from transforms.feeds import PollFeeds
from transforms.fetch import FetchPages
from transforms.httpfetch import FetchConfig
from transforms.politeness import PolitenessConfig
from transforms.sinks import WriteArticles, WriteDeadLetters


@dataclasses.dataclass(frozen=True)
class GraphSettings:
    output: str
    run_id: str
    fetch: FetchConfig
    fetch_concurrency: int = 16
    politeness: PolitenessConfig = PolitenessConfig()
    stored_files: tuple = ()        # Parquet files of earlier runs in the same output
    dedup_horizon_days: float = 7.0
    near_duplicates: bool = True


def build_batch(pipeline: beam.Pipeline, feed_urls: list[str], settings: GraphSettings):
    """Adds the batch graph (each feed polled once) to `pipeline`; returns the written file paths."""
    feeds = pipeline | "ReadFeedList" >> beam.Create(feed_urls)
    entries, feed_failures = feeds | "PollFeeds" >> PollFeeds(settings.fetch, settings.politeness)
    pages, fetch_failures = entries | "FetchPages" >> FetchPages(settings.fetch, settings.fetch_concurrency,
                                                                 settings.politeness)
    articles, extract_failures = pages | "ExtractArticles" >> ExtractArticles()
    stored = (pipeline | "ReadStoredArticles" >> ReadStoredArticles(settings.stored_files, settings.dedup_horizon_days)
              if settings.stored_files else None)
    clustered = (articles
                 | "NormaliseBylines" >> NormaliseBylines()
                 | "ClusterSyndication" >> ClusterSyndication(stored, settings.dedup_horizon_days,
                                                                        near_duplicates=settings.near_duplicates))
    dead_letters = (feed_failures, fetch_failures, extract_failures) | "CollectDeadLetters" >> beam.Flatten()
    article_files = clustered | "WriteArticles" >> WriteArticles(settings.output, settings.run_id)
    dead_letter_files = dead_letters | "WriteDeadLetters" >> WriteDeadLetters(settings.output, settings.run_id)
    return article_files, dead_letter_files
