"""README.md stays true to the code: its schema table and its options table."""
import os
import re

from conftest import ROOT
from pipeline.options import NewsbeamOptions
from tools.schema_table import markdown_table
from schemas import Article, DeadLetter

README = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()


def test_readme_opens_with_the_two_newcomer_commands():
    first_block = README.split("```")[1]
    assert "make demo" in first_block and "make test" in first_block


def test_schema_table_matches_schemas():
    documented = README.split("<!-- schema:start -->")[1].split("<!-- schema:end -->")[0]
    assert markdown_table(Article) in documented
    assert markdown_table(DeadLetter) in documented
    columns = re.findall(r"^\| `(\w+)` \|", documented, re.M)
    assert len(columns) == len(Article.__dataclass_fields__) + len(DeadLetter.__dataclass_fields__)


def test_every_run_option_is_documented():
    import argparse
    parser = argparse.ArgumentParser()
    NewsbeamOptions._add_argparse_args(parser)
    flags = [a.option_strings[0] for a in parser._actions if a.option_strings and a.dest != "help"]
    missing = [f for f in flags if f"`{f}" not in README]
    assert not missing, f"options missing from README.md: {missing}"
