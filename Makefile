# newsroom: `make run` (site with demo content) and `make test` (the whole suite).
# Everything installs into .venv/ from the hashed lock files; runtime files go to var/.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# A python3.12 (or any python3 >= 3.12) found on PATH; override with PYTHON=...
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3 python; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install run test test-fast lint typecheck format messages makemessages bench vnu

help:
	@echo "make run    start the site with demo content at http://$(HOST):$(PORT)/ (admin: /admin/)"
	@echo "make test   run the whole test suite"
	@echo "make test-fast  the suite without browser and slow (real-server) tests, for the inner loop"
	@echo "make lint   ruff check + format check + migration check"
	@echo "make typecheck  mypy with django-stubs (config in pyproject.toml [tool.mypy])"
	@echo "make bench  load benchmark, results in var/bench/ (see docs/performance.md)"

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then echo "newsroom needs Python 3.12 or newer (python3.12 not found)." >&2; exit 1; fi
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed

messages: install
	@$(BIN)/pybabel compile --domain django --directory locale
	@$(BIN)/pybabel compile --domain djangojs --directory locale

# Developers: refresh the catalogues after changing strings (needs GNU gettext).
makemessages: install
	$(BIN)/python manage.py makemessages --locale en --no-obsolete --no-location \
		--extension html,txt,py,jinja \
		--ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'node_modules/*'

# The W3C Nu HTML Checker for the crawl test (tests/reader/test_crawl.py) and Lighthouse
# for the quality gates (tests/quality/), pinned in package-lock.json. --ignore-scripts:
# vnu-jar's postinstall would download a Java runtime; the test uses the system's java,
# Lighthouse Debian's Chromium. Without npm those tests fail or skip.
VNU_JAR := node_modules/vnu-jar/build/dist/vnu.jar

$(VNU_JAR): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: install nodejs and npm for the W3C check (vnu.jar)" >&2; fi

vnu: $(VNU_JAR)

run: messages
	@mkdir -p var/log var/mail
	@DJANGO_DEBUG=1 DJANGO_LOG_FILE=var/log/newsroom.log $(BIN)/python -m newsroom.devserver --host $(HOST) --port $(PORT)

test: messages vnu
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: messages
	$(BIN)/python -m pytest -m "not browser and not slow" $(PYTEST_ARGS)

# Load benchmark (gunicorn + wrk or a Python client); results in var/bench/.
bench: messages
	$(BIN)/python -m tests.benchmarks.run $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

# Static types: services and selectors fully annotated, the rest checked (pyproject.toml).
typecheck: install
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
