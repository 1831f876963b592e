"""Flex Template entry point: the launcher image runs this with the template's parameters as flags.

It submits the streaming job (`newsbeam run --streaming ...`) to Dataflow; the Flex Template
launcher adds --project, --region, --temp_location and the job name.
"""
import sys

from pipeline.cli import main


def template_argv(argv: list[str]) -> list[str]:
    runner = [] if any(a.startswith("--runner") for a in argv) else ["--runner=DataflowRunner"]
    return ["run", "--streaming", *runner, *argv]


if __name__ == "__main__":
    sys.exit(main(template_argv(sys.argv[1:])))
