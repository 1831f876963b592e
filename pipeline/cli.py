"""The `newsbeam` command: `run` (the pipeline) and `extract` (its extraction on local files)."""
from __future__ import annotations

import argparse
import json
import logging
import sys

USAGE = """usage: newsbeam run --feeds FEEDS --output DIR [--allow-private-networks] [options] [Beam options...]
       newsbeam run --streaming --feeds FEEDS --output DIR --poll-interval S --window S [options]
       newsbeam extract [--url URL] FILE...
       newsbeam extract --manifest PAGES.jsonl

  run      poll every feed once, fetch and extract every entry, write Parquet (`newsbeam run --help`);
           with --streaming, poll every interval until SIGINT/SIGTERM, writing each window
  extract  run the pipeline's extraction and byline code on local HTML files, print JSON lines
"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if command == "run":
        return _run(rest)
    if command == "extract":
        return _extract(rest)
    print(f"newsbeam: unknown command {command!r}\n\n{USAGE}", file=sys.stderr)
    return 2


def _run(argv: list[str]) -> int:
    if "-h" in argv or "--help" in argv:
        _print_run_help()
        return 0
    argv = normalise_flags(argv)
    from transforms.feeds import FeedListError
    if "--streaming" in argv or "--streaming=True" in argv:
        from pipeline import launcher
        from pipeline.emulator import EmulatorMissing
        try:
            return launcher.run(argv)
        except (ValueError, FeedListError, EmulatorMissing) as err:
            print(f"newsbeam run: {err}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("newsbeam run: stopped by a second signal, without draining", file=sys.stderr)
            return 130
    from pipeline import batch
    try:
        summary = batch.run(argv)
    except (ValueError, FeedListError) as err:
        print(f"newsbeam run: {err}", file=sys.stderr)
        return 2
    print(summary.render())
    if not summary.balanced():
        print("newsbeam run: entries do not add up to articles + dead letters + skips: "
              "some entries were lost; this is a bug, please report it", file=sys.stderr)
        return 1
    return 0


def normalise_flags(argv: list[str]) -> list[str]:
    """Beam's --dry_run takes a value; accept it bare too, as in `--dry_run --no_auth`."""
    out = []
    for index, arg in enumerate(argv):
        following = argv[index + 1] if index + 1 < len(argv) else "--"
        out.append("--dry_run=True" if arg == "--dry_run" and following.startswith("--") else arg)
    return out


def _print_run_help():
    from pipeline.options import NewsbeamOptions
    parser = argparse.ArgumentParser(prog="newsbeam run", description="Poll feeds once and write Parquet; with "
                                     "--streaming, poll every --poll-interval until SIGINT/SIGTERM, writing each "
                                     "--window (docs/streaming.md). Standard Beam flags (--runner, "
                                     "--direct_num_workers, ...) pass through.")
    NewsbeamOptions._add_argparse_args(parser)
    parser.print_help()


def _extract(argv: list[str]) -> int:
    from pipeline.extract_local import LocalPage, extract_lines, read_manifest
    parser = argparse.ArgumentParser(prog="newsbeam extract",
                                     description="Extract articles from local HTML files (gzip accepted).")
    parser.add_argument("--url", help="URL the page was served from (one FILE only).")
    parser.add_argument("--manifest", help="JSON lines, one {\"path\": ..., \"url\": ...} per page.")
    parser.add_argument("files", nargs="*", metavar="FILE")
    args = parser.parse_args(argv)
    if bool(args.manifest) == bool(args.files):
        parser.error("give either FILE... or --manifest PAGES.jsonl")
    if args.url and len(args.files) != 1:
        parser.error("--url goes with exactly one FILE")
    try:
        pages = read_manifest(args.manifest) if args.manifest else [LocalPage(f, args.url) for f in args.files]
    except (OSError, ValueError) as err:
        print(f"newsbeam extract: {err}", file=sys.stderr)
        return 2
    for line in extract_lines(pages):
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
