# newsbeam developer commands. `make help` lists them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
NEWSBEAM := $(VENV)/bin/newsbeam
STAMP := $(VENV)/.installed
SHARED ?= ../shared
# Arguments every local run of the pipeline shares. The demo, eval and bench servers are on 127.0.0.1,
# and one local server stands in for every outlet: the per-host rate limit is for real sites.
RUN_ARGS ?= --allow-private-networks --per-host-rate 0 --per-host-concurrency 16

.DEFAULT_GOAL := help
.PHONY: help install demo test eval bench contract clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)  ## Create .venv and install newsbeam with its pinned dependencies

demo: $(STAMP)  ## Serve the bundled sample corpus locally, run the pipeline over it, print what it wrote
	$(PY) -m tools.demo --output demo-output $(RUN_ARGS)

test: $(STAMP)  ## Run the whole test suite (unit, transforms, end to end)
	$(PY) -m pytest -q tests

eval: $(STAMP)  ## Extraction quality on $(SHARED)/data (aeb, wcxb-test) via `newsbeam extract --manifest`
	$(PY) -m tools.evaluate --shared $(SHARED)

bench: $(STAMP)  ## Throughput of `newsbeam run` against a bare fetch+trafilatura loop, same pages and server
	$(PY) -m tools.bench --shared $(SHARED)

contract: $(STAMP)  ## The output-contract check from $(SHARED)/checks
	$(PY) $(SHARED)/checks/contract_check.py $(NEWSBEAM)

clean:  ## Remove the venv and generated output
	rm -rf $(VENV) demo-output .eval .bench *.egg-info
