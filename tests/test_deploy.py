"""The Flex Template files agree with the code: parameters are real flags, the image has the code."""
import argparse
import json
import os

from conftest import ROOT
from pipeline.options import NewsbeamOptions

DEPLOY = os.path.join(ROOT, "deploy")


def test_template_parameters_are_newsbeam_flags():
    parser = argparse.ArgumentParser()
    NewsbeamOptions._add_argparse_args(parser)
    known = {action.dest for action in parser._actions}
    metadata = json.load(open(os.path.join(DEPLOY, "metadata.json")))
    names = [p["name"] for p in metadata["parameters"]]
    assert set(names) <= known, set(names) - known
    required = {p["name"] for p in metadata["parameters"] if not p.get("isOptional")}
    assert required == {"feeds", "output", "tick_subscription"}
    assert metadata["streaming"] is True


def test_launcher_image_carries_every_package_and_the_entry_point():
    dockerfile = open(os.path.join(DEPLOY, "Dockerfile")).read()
    for package in ("pipeline", "transforms", "schemas"):
        assert f"COPY {package}/ ./{package}/" in dockerfile
    assert "FLEX_TEMPLATE_PYTHON_PY_FILE" in dockerfile and "COPY deploy/main.py ./main.py" in dockerfile


def test_template_entry_point_submits_a_streaming_job():
    import importlib.util
    spec = importlib.util.spec_from_file_location("flex_main", os.path.join(DEPLOY, "main.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.template_argv(["--feeds=gs://b/f.txt"]) == [
        "run", "--streaming", "--runner=DataflowRunner", "--feeds=gs://b/f.txt"]
    assert module.template_argv(["--runner=DataflowRunner"]) == ["run", "--streaming", "--runner=DataflowRunner"]
