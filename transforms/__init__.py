"""One composite PTransform per stage: feeds, fetch, extract, byline, dedup, sinks."""
