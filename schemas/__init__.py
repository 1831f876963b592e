"""Output schemas (the only place columns are declared) and the records between stages."""
from schemas.columns import (ARTICLE_SCHEMA, DEAD_LETTER_SCHEMA, SCHEMA_VERSION, Article, DeadLetter,
                             arrow_schema, column_docs, to_row)
from schemas.records import FeedEntry, Page, StoredArticle

__all__ = ["ARTICLE_SCHEMA", "DEAD_LETTER_SCHEMA", "SCHEMA_VERSION", "Article", "DeadLetter", "FeedEntry",
           "Page", "StoredArticle", "arrow_schema", "column_docs", "to_row"]
