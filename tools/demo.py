"""`make demo`: serve the bundled sample corpus on 127.0.0.1, run `newsbeam run` over it, show what it wrote.

Nothing leaves the machine: the feeds and pages in demo/site are served by a local server that
this script starts and stops. The output folder is emptied first so the figures are this run's.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys

from tools.localserver import LocalServer, render_placeholders

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO = os.path.join(ROOT, "demo")

# The queries README.md shows; the demo prints their results.
QUERIES = {
    "Articles per outlet": """
        SELECT coalesce(site_name, feed_title) AS outlet, language, count(*) AS articles,
               count(*) FILTER (WHERE NOT is_canonical) AS copies
        FROM read_parquet('{out}/articles/*/*.parquet', hive_partitioning = true)
        GROUP BY ALL ORDER BY articles DESC""",
    "Stories carried by more than one page": """
        SELECT any_value(title) FILTER (WHERE is_canonical) AS story, count(*) AS pages,
               list(DISTINCT coalesce(site_name, feed_title)) AS outlets, list(DISTINCT duplicate_kind) AS kinds
        FROM read_parquet('{out}/articles/*/*.parquet', hive_partitioning = true)
        GROUP BY cluster_id HAVING count(*) > 1""",
    "Most published reporters": """
        SELECT author, count(*) AS articles
        FROM (SELECT unnest(authors) AS author FROM read_parquet('{out}/articles/*/*.parquet'))
        GROUP BY author ORDER BY articles DESC, author LIMIT 8""",
    "Wire copies by agency": """
        SELECT agency, count(*) AS pages, list(DISTINCT coalesce(site_name, feed_title)) AS outlets
        FROM read_parquet('{out}/articles/*/*.parquet', hive_partitioning = true)
        WHERE agency IS NOT NULL GROUP BY agency ORDER BY pages DESC""",
    "Dead letters": """
        SELECT stage, reason, http_status, url
        FROM read_parquet('{out}/dead_letter/*/*.parquet', hive_partitioning = true)
        ORDER BY stage, reason""",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=os.path.join(ROOT, "demo-output"))
    args, run_args = parser.parse_known_args()
    output = os.path.abspath(args.output)
    shutil.rmtree(output, ignore_errors=True)
    os.makedirs(output)
    with LocalServer(root=os.path.join(DEMO, "site")) as server:
        feeds = os.path.join(output, "feeds.txt")
        with open(os.path.join(DEMO, "feeds.txt.in"), encoding="utf-8") as template:
            feed_list = render_placeholders(template.read(), server.base_url)
        with open(feeds, "w", encoding="utf-8") as handle:
            handle.write(feed_list)
        print(f"Serving demo/site at {server.base_url}; running:\n"
              f"  newsbeam run --feeds {feeds} --output {output} {' '.join(run_args)}\n", flush=True)
        code = subprocess.call([sys.executable, "-m", "pipeline.cli", "run", "--feeds", feeds,
                                "--output", output, *run_args], cwd=ROOT)
    if code != 0:
        print(f"newsbeam run exited with {code}", file=sys.stderr)
        return code
    show_tables(output)
    return 0


def show_tables(output: str):
    import duckdb
    con = duckdb.connect()
    for title, sql in QUERIES.items():
        print(f"\n== {title} ==")
        result = con.sql(sql.format(out=output))
        names = result.columns
        rows = result.fetchall()
        widths = [max(len(str(n)), *(len(_cell(r[i])) for r in rows)) if rows else len(n) for i, n in enumerate(names)]
        print("  ".join(n.ljust(w) for n, w in zip(names, widths)))
        for row in rows:
            print("  ".join(_cell(v).ljust(w) for v, w in zip(row, widths)))


def _cell(value) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= 70 else text[:67] + "..."


if __name__ == "__main__":
    sys.exit(main())
