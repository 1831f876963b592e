"""Prints the README's schema tables from schemas/ (the test compares them): `python -m tools.schema_table`."""
from schemas import Article, DeadLetter, column_docs


def markdown_table(record_type) -> str:
    lines = ["| column | type | description |", "| --- | --- | --- |"]
    lines += [f"| `{name}` | `{arrow}` | {doc} |" for name, arrow, doc in column_docs(record_type)]
    return "\n".join(lines)


def main():
    print("Articles (`articles/`):\n")
    print(markdown_table(Article))
    print("\nDead letters (`dead_letter/`):\n")
    print(markdown_table(DeadLetter))


if __name__ == "__main__":
    main()
