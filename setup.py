"""newsbeam: streaming news ingestion on Apache Beam. The same file installs workers on Dataflow."""
from setuptools import find_packages, setup

# Beam is pinned exactly: the Dataflow worker image must run the same SDK as the launcher.
BEAM = "apache-beam[gcp]==2.77.0"

setup(
    name="newsbeam",
    version="0.1.0",
    description="Feeds -> fetch -> extract -> bylines -> dedup -> Hive-partitioned Parquet, on Apache Beam",
    python_requires=">=3.10",
    packages=find_packages(include=["pipeline", "pipeline.*", "transforms", "transforms.*",
                                    "schemas", "schemas.*"]),
    install_requires=[
        BEAM,
        "feedparser==6.0.14",
        "trafilatura==2.3.1",
        # trafilatura imports lxml.html.clean, which lxml 5.2+ ships separately.
        "lxml_html_clean==0.4.6",
        "lxml==6.1.3",
        "charset-normalizer==3.5.3",
        # robots.txt as RFC 9309 reads it (longest match, * and $, fractional Crawl-delay), which
        # urllib.robotparser does not (first match, no wildcards, integer delays only).
        "protego==0.7.0",
        # Solar Hijri dates, as Iranian sites print them, to Gregorian.
        "jalali_core==1.0.0",
        # Time zones of pages' countries (zoneinfo): from the package, not whatever the worker image has.
        "tzdata==2026.6",
        "google-cloud-pubsub==2.44.0",
        "pyarrow==25.0.1",
        "duckdb==2.0.1",
    ],
    # build: the Dataflow dry-run test packages setup.py for the workers, as a real submission does.
    extras_require={"test": ["pytest==9.2.0", "build==1.6.1"]},
    entry_points={"console_scripts": ["newsbeam=pipeline.cli:main"]},
)
