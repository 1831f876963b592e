"""Which wcxb-test gold publication dates a page shows at all, and so the best date accuracy any
extractor can reach there.

For every dated article page, the gold day is looked for in the page's HTML (text, attributes and
scripts): every date newsbeam's own text-date reader finds there (day-first or month-first), the
usual English spellings, and a Unix timestamp within a day of it. A gold date found in none of them is not on
the page; a month-only gold ("2015-11") can match no day.

    python -m tools.date_audit [--shared ../shared]
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import re
import sys

from transforms.dates import days_written

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def spellings(day: dt.date) -> list[str]:
    """The ways a page may write `day`."""
    forms = {day.isoformat(), day.strftime("%Y/%m/%d"), day.strftime("%d.%m.%Y"), day.strftime("%m/%d/%Y"),
             day.strftime("%d/%m/%Y"), f"{day.month}/{day.day}/{day.year}", f"{day.day}/{day.month}/{day.year}",
             f"{day.day}.{day.month}.{day.year}", day.strftime("%m/%d/%y"), f"{day.month}/{day.day}/{day:%y}"}
    for month in (day.strftime("%B"), day.strftime("%b"), day.strftime("%b") + "."):
        forms.update({f"{month} {day.day}, {day.year}", f"{month} {day.day} {day.year}", f"{month} {day:%d}, {day.year}",
                      f"{day.day} {month} {day.year}", f"{day:%d} {month} {day.year}", f"{day.day}. {month} {day.year}",
                      f"{day.year} {month} {day.day}"})
    return sorted(forms)


def shows(page_html: str, day: dt.date) -> bool:
    folded = re.sub(r"\s+", " ", page_html).casefold()
    if any(form.casefold() in folded for form in spellings(day)) or day.isoformat() in days_written(page_html):
        return True
    midnight = int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())
    # a timestamp (seconds or milliseconds) within a day of UTC midnight, either side for zones
    return any(abs(int(stamp[:10]) - midnight) < 2 * 86400
               for stamp in re.findall(r"(?<!\d)1[0-9]{9}(?:[0-9]{3})?(?!\d)", page_html))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    args = parser.parse_args()
    folder = os.path.join(args.shared, "data", "wcxb-test")
    if not os.path.isdir(folder):
        print(f"date_audit: {os.path.abspath(folder)} is missing (it lives in ../shared beside the checkout)",
              file=sys.stderr)
        return 2
    dated = reachable = 0
    for name in sorted(os.listdir(os.path.join(folder, "ground-truth"))):
        record = json.load(open(os.path.join(folder, "ground-truth", name)))
        kind = record.get("page_type") or record.get("_internal", {}).get("page_type", {}).get("primary")
        gold = (record["ground_truth"].get("publish_date") or "")[:10]
        if kind != "article" or not gold:
            continue
        dated += 1
        pid = name[:-5]
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", gold):
            print(f"{pid}: gold {gold!r} is no day")
            continue
        page_html = gzip.open(os.path.join(folder, "html", pid + ".html.gz")).read().decode("utf-8", "replace")
        if shows(page_html, dt.date.fromisoformat(gold)):
            reachable += 1
        else:
            print(f"{pid}: gold {gold} is nowhere on the page ({record.get('url')})")
    print(f"dated article pages: {dated}; gold day written on the page: {reachable}; "
          f"best reachable date day accuracy: {reachable / dated:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
