"""Score newsbeam on a set of article pages whose expected bylines and dates were written by hand.

Each FOLDER/*.json holds {"input": {"html", "url", "feed_authors"}, "want": {"authors": [...],
"agency": name or null, "day": "YYYY-MM-DD" or null}}: the byline golden fixtures' input, with
what a careful reader records ("day" is the publication day in the page's own time zone). Used for
held-out sets: pages written without looking at the rules, measured before any fix they prompt.

    python -m tools.page_set_score FOLDER [--verbose]
"""
from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import os
import sys
import unicodedata

from tools.byline_goldens import FIXTURES, page_article
from transforms.extract import ExtractError
from transforms.byline import agency_name


def name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def agency_key(agency: str | None) -> str | None:
    """One key per agency however it is written ("Agence France-Presse" and "AFP")."""
    return agency and name_key(agency_name(agency) or agency).removeprefix("the ")


def local_day(article) -> str | None:
    if article.published_at is None:
        return None
    offset = dt.timedelta(minutes=article.published_at_offset_minutes or 0)
    return (article.published_at + offset).strftime("%Y-%m-%d")


def keep_as_golden(path: str, case: dict, prefix: str) -> None:
    name = os.path.splitext(os.path.basename(path))[0]
    want = case["want"]
    why = (f"held-out page {name} of set {prefix!r}: the authors {want.get('authors')}, agency {want.get('agency')!r} "
           f"and day {want.get('day')} were written down before newsbeam ran on it")
    target = os.path.join(FIXTURES, f"html-{prefix}-{name}.json")
    with open(target, "w", encoding="utf-8") as handle:
        json.dump({"why": why, "input": case["input"], "expected": {}}, handle, ensure_ascii=False, indent=2)
        handle.write("\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--verbose", action="store_true", help="also print the pages newsbeam gets right")
    parser.add_argument("--keep-right-as", metavar="PREFIX",
                        help="write each page newsbeam gets fully right as a byline golden fixture "
                             "tests/fixtures/bylines/html-PREFIX-<file>.json (expectations: python -m tools.byline_goldens)")
    args = parser.parse_args(argv)
    paths = sorted(glob.glob(os.path.join(args.folder, "*.json")))
    if not paths:
        print(f"page_set_score: no *.json in {args.folder}", file=sys.stderr)
        return 2
    sets_right = days_right = agencies_right = found = wanted = correct = 0
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            case = json.load(handle)
        want = case["want"]
        try:
            article = page_article(case["input"])
        except ExtractError as error:   # a page newsbeam dead-letters counts as wrong on every field
            print(f"{os.path.basename(path)}: dead-lettered ({error})")
            wanted += len(want.get("authors") or ())
            continue
        got_names = {name_key(n) for n in article.authors}
        want_names = {name_key(n) for n in want.get("authors") or ()}
        day = local_day(article)
        checks = {"authors": got_names == want_names, "agency": agency_key(article.agency) == agency_key(want.get("agency")),
                  "day": day == want.get("day")}
        sets_right += checks["authors"]
        agencies_right += checks["agency"]
        days_right += checks["day"]
        found, wanted, correct = found + len(got_names), wanted + len(want_names), correct + len(got_names & want_names)
        if args.keep_right_as and all(checks.values()):
            keep_as_golden(path, case, args.keep_right_as)
        if args.verbose or not all(checks.values()):
            wrong = ", ".join(k for k, ok in checks.items() if not ok) or "right"
            print(f"{os.path.basename(path)}: {wrong}\n    authors {list(article.authors)} want {want.get('authors')}"
                  f"\n    agency {article.agency!r} want {want.get('agency')!r}; day {day} want {want.get('day')}"
                  f" ({article.published_at_source}); byline_raw {article.byline_raw!r}")
    total = len(paths)
    print(f"pages {total}: author sets {sets_right}/{total}, agency {agencies_right}/{total}, day {days_right}/{total}; "
          f"names precision {correct / found if found else 1:.3f} recall {correct / wanted if wanted else 1:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
