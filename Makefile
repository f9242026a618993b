# doclane: `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
ARGS ?=
# OCR (scans, photos) runs Debian's Tesseract with its English, German and French models;
# installed once through apt-get when missing (as root), remembered by a stamp.
OCR_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra
OCR_STAMP := .cache/apt-ocr-$(shell echo $(OCR_PACKAGES) | sha1sum | cut -c1-12)
# The review app's browser test drives Debian's Chromium headless (DevTools protocol).
BROWSER_PACKAGES := chromium
BROWSER_STAMP := .cache/apt-browser-$(shell echo $(BROWSER_PACKAGES) | sha1sum | cut -c1-12)
# The alert rules' unit tests run promtool, from Debian's prometheus package.
PROMETHEUS_PACKAGES := prometheus
PROMETHEUS_STAMP := .cache/apt-prometheus-$(shell echo $(PROMETHEUS_PACKAGES) | sha1sum | cut -c1-12)

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

$(OCR_STAMP):
	@mkdir -p $(@D)
	@if ! dpkg -s $(OCR_PACKAGES) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "OCR needs these Debian packages: sudo apt-get install $(OCR_PACKAGES)" >&2; exit 1; \
	  fi; \
	  echo "Installing $(OCR_PACKAGES) (once)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq $(OCR_PACKAGES) >/dev/null; \
	fi
	@touch $@

$(BROWSER_STAMP):
	@mkdir -p $(@D)
	@if ! dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "The browser test needs: sudo apt-get install $(BROWSER_PACKAGES)" >&2; exit 1; \
	  fi; \
	  echo "Installing $(BROWSER_PACKAGES) (once)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $(BROWSER_PACKAGES) >/dev/null; \
	fi
	@touch $@

$(PROMETHEUS_STAMP):
	@mkdir -p $(@D)
	@if ! dpkg -s $(PROMETHEUS_PACKAGES) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "The alert-rule tests need promtool: sudo apt-get install $(PROMETHEUS_PACKAGES)" >&2; exit 1; \
	  fi; \
	  echo "Installing $(PROMETHEUS_PACKAGES) (once, for promtool)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $(PROMETHEUS_PACKAGES) >/dev/null; \
	fi
	@touch $@

promtool: $(PROMETHEUS_STAMP) ## Install Debian's prometheus package for promtool (once; make test does it)

browser: $(BROWSER_STAMP) ## Install Debian's Chromium for the review app's browser test (once; make test does it)

ocr: $(OCR_STAMP) ## Install Tesseract and its eng/deu/fra models through apt-get (once; make venv/test/run do it)

venv: $(STAMP) $(OCR_STAMP) ## Create the virtualenv and install doclane with its dev tools

run: $(STAMP) $(OCR_STAMP) ## Start broker, pipeline, sink and HTTP API (prints its address and key); submit the bundled samples; print what landed (ARGS=--exit-when-idle for scripts)
	$(BIN)/doclane run $(ARGS)

test: lint $(OCR_STAMP) $(BROWSER_STAMP) $(PROMETHEUS_STAMP) ## Lint, then run every test (unit, integration on the real broker, end to end), two processes
	$(BIN)/python -m pytest -n 2 --dist loadfile $(ARGS)

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP) ## End-to-end docs/s and latency vs the core alone (N=, W=, P=, RATE= docs/s to change)
	$(BIN)/python -m doclane.ops.bench --documents $(or $(N),2000) --workers $(or $(W),1) --partitions $(or $(P),6) --rate $(or $(RATE),0)

bench-core: $(STAMP) $(OCR_STAMP) ## The core alone (read + classify + extract) in one process, per stage, no broker; OCR pages/s per core (N=, REPEATS=, PROCS=, OCR_PAGES=)
	$(BIN)/python -m doclane.ops.bench --core-only --documents $(or $(N),1000) --repeats $(or $(REPEATS),3) --processes $(or $(PROCS),1) --ocr-pages $(or $(OCR_PAGES),20)

bench-api: $(STAMP) ## Uploads of 1 MB PDFs through the HTTP API at RATE=/s (default 100) for N= (1000): upload rate, 202 latency p50/p99
	$(BIN)/python -m doclane.ops.bench.api --uploads $(or $(N),1000) --rate $(or $(RATE),100) $(ARGS)

chaos: $(STAMP) ## Kill workers, restart the broker, kill the sink while 5000 docs flow; count them (N= SCENARIO=)
	$(BIN)/python -m doclane.ops.chaos --documents $(or $(N),5000) $(if $(SCENARIO),--scenario $(SCENARIO))

eval: $(STAMP) $(OCR_STAMP) ## Score the core on generated samples (and ../shared/corpus when present; receipts the shipped model saw by 5-fold CV), and OCR on OCR=12 scans of them; then the per-vendor memory before/after one correction; ARGS= for options
	$(BIN)/python -m doclane.evaluation --cross-validate 5 --ocr $(or $(OCR),12) $(ARGS)
	$(BIN)/python -m doclane.evaluation.vendor_memory

train: $(STAMP) ## Fit the receipt-total weights on ../shared/corpus (CORPUS= to change) into doclane/data/ (deterministic)
	$(BIN)/python -m doclane.evaluation.training.receipt_total $(or $(CORPUS),../shared/corpus)

broker-up: $(STAMP) ## Fetch (once) and start the local Kafka broker (NODES=3: a three-node cluster)
	$(BIN)/doclane broker up$(if $(NODES), --nodes $(NODES))

broker-down: $(STAMP) ## Stop the local Kafka broker
	$(BIN)/doclane broker down$(if $(NODES), --nodes $(NODES))

broker-status: $(STAMP) ## Is the local broker running?
	$(BIN)/doclane broker status$(if $(NODES), --nodes $(NODES))

samples: $(STAMP) ## Regenerate the bundled samples in samples/
	rm -rf samples && $(BIN)/doclane samples --out samples --count 24 --seed 7

clean: ## Remove runtime data (var/); keeps the fetched broker and the virtualenv
	rm -rf var

.PHONY: help browser ocr venv run test lint format bench bench-core bench-api chaos eval train broker-up broker-down broker-status samples clean
