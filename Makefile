# productops developer commands. Needs only python3 and GNU make; everything else is
# installed into .venv from pyproject.toml (the `test` extra).
#
#   make demo        install, migrate, load the demo org, serve on http://127.0.0.1:8000
#   make test        the whole suite on SQLite (e2e tests skip themselves without Chromium)
#   make test-pg     the suite without e2e against DATABASE_URL (must be set)
#   make test-e2e    only the browser tests; a missing Chromium is a failure
#   make lint        ruff, mypy, the layer contract, Django's system checks, missing migrations
#   make bench       every bench/*.py
#   make clean       caches and build output (keeps .venv and the data dir)
#
# Extra pytest arguments: make test PYTEST_ARGS="-k audit -x"

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
DEMO_ADDR ?= 127.0.0.1:8000

# Where productops keeps its SQLite file and generated secret key.
PRODUCTOPS_DATA_DIR ?= ./var
export PRODUCTOPS_DATA_DIR

.PHONY: help install demo test test-pg test-e2e lint bench clean distclean

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

$(BIN)/python:
	@echo "Creating $(VENV) with $(PYTHON)"
	@$(PYTHON) -m venv $(VENV) || { \
	  rm -rf $(VENV); \
	  echo "error: '$(PYTHON) -m venv' failed; on Debian/Ubuntu: apt-get install python3-venv" >&2; \
	  exit 1; }

# Re-installs whenever pyproject.toml changes. The order-only prerequisite keeps the
# interpreter's timestamp from forcing a reinstall.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/pip install -e '.[test]'
	@touch $@

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/productops migrate --noinput
	$(BIN)/productops demo --if-empty --url http://$(DEMO_ADDR)
	$(BIN)/productops serve --with-worker $(DEMO_ADDR)

# pytest exits 5 when it collects no test; make treats that, like any non-zero, as failure.
test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

test-pg: $(STAMP)
	@if [ -z "$${DATABASE_URL:-}" ]; then \
	  echo "error: test-pg needs DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/productops" >&2; \
	  exit 2; fi
	$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

test-e2e: $(STAMP)
	PRODUCTOPS_REQUIRE_BROWSER=1 $(BIN)/pytest -m e2e $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/productops check
	$(BIN)/productops makemigrations --check --dry-run

bench: $(STAMP)
	@shopt -s nullglob; files=(bench/*.py); \
	if [ $${#files[@]} -eq 0 ]; then echo "no benchmarks in bench/"; exit 0; fi; \
	for f in "$${files[@]}"; do \
	  echo "== $$f" >&2; \
	  $(BIN)/python "$$f"; \
	done

clean:
	rm -rf build dist test-results .pytest_cache .ruff_cache .hypothesis *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

# Also removes the virtualenv; the data dir ($(PRODUCTOPS_DATA_DIR)) is never touched.
distclean: clean
	rm -rf $(VENV)
