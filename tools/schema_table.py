"""The README's schema tables, from schemas/ (a test compares them).

`python -m tools.schema_table` prints them; `--write` rewrites README.md's schema section.
"""
import os
import re
import sys

from schemas import Article, DeadLetter, column_docs

README = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "README.md")


def markdown_table(record_type) -> str:
    lines = ["| column | type | description |", "| --- | --- | --- |"]
    lines += [f"| `{name}` | `{arrow}` | {doc} |" for name, arrow, doc in column_docs(record_type)]
    return "\n".join(lines)


def render() -> str:
    return (f"Articles (`articles/`):\n\n{markdown_table(Article)}\n\n"
            f"Dead letters (`dead_letter/`):\n\n{markdown_table(DeadLetter)}\n")


def write_readme():
    with open(README, encoding="utf-8") as handle:
        text = handle.read()
    text = re.sub(r"<!-- schema:start -->.*<!-- schema:end -->",
                  lambda _m: "<!-- schema:start -->\n" + render() + "<!-- schema:end -->", text, flags=re.S)
    with open(README, "w", encoding="utf-8") as handle:
        handle.write(text)


if __name__ == "__main__":
    if "--write" in sys.argv[1:]:
        write_readme()
    else:
        print(render(), end="")
