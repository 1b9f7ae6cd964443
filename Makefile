# One entry point for every check CI runs.
.PHONY: install check lint format test bench aliases

VENV ?= .venv
PY = $(VENV)/bin/python

install:
	python3 -m venv $(VENV) && $(VENV)/bin/pip install -e '.[dev]'

lint:
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

test:
	$(VENV)/bin/pytest -q

check: lint test

bench:
	$(PY) bench/index_bench.py && $(PY) bench/query_bench.py

# After editing indexer/data/models.toml or country_aliases.csv (a test checks it is current).
aliases:
	$(PY) -m indexer.alias_table
