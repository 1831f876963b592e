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
# Streaming locally: `make stream FEEDS=feeds.txt` (starts the Pub/Sub emulator itself).
FEEDS ?= feeds.txt
OUTPUT ?= stream-output
STREAM_ARGS ?= --poll-interval 60 --window 30
# Dataflow (see deploy/README.md). One set of arguments shared by the dry run and the template.
PROJECT ?= my-project
REGION ?= europe-west1
BUCKET ?= $(PROJECT)-newsbeam
POLL_SCHEDULE ?= */5 * * * *
TICKS_TOPIC ?= newsbeam-ticks
TICKS ?= projects/$(PROJECT)/subscriptions/$(TICKS_TOPIC)
IMAGE ?= $(REGION)-docker.pkg.dev/$(PROJECT)/newsbeam/launcher:latest
TEMPLATE ?= gs://$(BUCKET)/templates/newsbeam.json
DATAFLOW_ARGS ?= --runner DataflowRunner --project $(PROJECT) --region $(REGION) --temp_location gs://$(BUCKET)/tmp \
	--setup_file ./setup.py
JOB_ARGS ?= --feeds gs://$(BUCKET)/feeds.txt --output gs://$(BUCKET)/out --tick-subscription $(TICKS) \
	--poll-interval 300 --window 60

.DEFAULT_GOAL := help
.PHONY: help install demo test eval bench contract stream latency dry-run scheduler flex-image flex-template flex-run clean

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

stream: $(STAMP)  ## Stream locally: poll $(FEEDS) until Ctrl-C, windows into $(OUTPUT) (emulator started for you)
	$(NEWSBEAM) run --streaming --feeds $(FEEDS) --output $(OUTPUT) $(STREAM_ARGS) $(RUN_ARGS)

latency: $(STAMP)  ## Streaming latency: item appears in a feed -> row readable (local server and emulator)
	$(PY) -m tools.latency --poll-interval 5 --window 10 --items 6

dry-run: $(STAMP)  ## Build the Dataflow streaming job graph offline from local $(FEEDS), submit nothing
	$(NEWSBEAM) run --streaming $(JOB_ARGS) --feeds $(FEEDS) $(DATAFLOW_ARGS) --dry_run --no_auth

scheduler:  ## Create the ticks topic, its subscription and the Cloud Scheduler job that ticks it
	gcloud pubsub topics create $(TICKS_TOPIC) --project $(PROJECT)
	gcloud pubsub subscriptions create $(TICKS_TOPIC) --topic $(TICKS_TOPIC) --project $(PROJECT)
	gcloud scheduler jobs create pubsub newsbeam-poll --project $(PROJECT) --location $(REGION) \
		--schedule "$(POLL_SCHEDULE)" --topic $(TICKS_TOPIC) --message-body '{"tick": "scheduler"}'

flex-image:  ## Build the Flex Template launcher image with Cloud Build (deploy/Dockerfile)
	gcloud builds submit . --project $(PROJECT) --config deploy/cloudbuild.yaml --substitutions _IMAGE=$(IMAGE)

flex-template:  ## Write the Flex Template spec to $(TEMPLATE) (deploy/metadata.json)
	gcloud dataflow flex-template build $(TEMPLATE) --image $(IMAGE) --sdk-language PYTHON \
		--metadata-file deploy/metadata.json --project $(PROJECT)

flex-run:  ## Start the streaming job from the template
	gcloud dataflow flex-template run newsbeam-$$(date +%Y%m%d-%H%M%S) --template-file-gcs-location $(TEMPLATE) \
		--project $(PROJECT) --region $(REGION) --parameters feeds=gs://$(BUCKET)/feeds.txt \
		--parameters output=gs://$(BUCKET)/out --parameters tick_subscription=$(TICKS) \
		--parameters poll_interval=300 --parameters window=60

clean:  ## Remove the venv and generated output
	rm -rf $(VENV) demo-output stream-output .eval .bench *.egg-info
