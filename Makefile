# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8050
HOST ?= 127.0.0.1

.PHONY: run test install install-test system-deps serve db clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

db: install
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi db seed

run: db
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --worker-class gthread --threads 4 --access-logfile - wsgi:server

# Browser tests need Debian's chromium and chromium-driver; as root on Debian they are installed here.
system-deps:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	else echo "The browser tests need Chromium and ChromeDriver: on Debian/Ubuntu run" \
		"'sudo apt-get install -y chromium chromium-driver', then 'make test' again." >&2; exit 1; fi

test: install-test system-deps
	$(BIN)/python -m pytest

bench: install-test
	$(BIN)/python bench/page_weight.py

clean:
	rm -rf $(VENV) instance
