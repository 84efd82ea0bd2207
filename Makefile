# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8050
HOST ?= 127.0.0.1

.PHONY: run test install install-test system-deps serve db clean bench messages translations lint gallery

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(MAKE) --no-print-directory translations

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	$(MAKE) --no-print-directory translations

# The catalogues (webapp/translations/<lang>/LC_MESSAGES/messages.po) compiled to .mo.
translations:
	$(BIN)/pybabel compile --statistics -d webapp/translations -D messages

# After changing user-facing strings: extract them and merge them into every catalogue, then write each
# new entry's text in every catalogue (in fr, the French itself: its plural forms follow French rules);
# tests/test_i18n.py fails while one is missing.
messages: install
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k _l -k N_ -k _nl:1,2 -o webapp/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i webapp/translations/messages.pot -d webapp/translations -D messages

lint: install-test
	$(BIN)/lint-imports

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
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

# Every chart as the story page, the widget and the exported image draw it (390 and 1366 px, light and dark),
# written as PNGs under gallery/ for a person to look through, with the problems tests/visual.py finds.
gallery: install-test system-deps db
	$(BIN)/python -m tests.visual gallery

bench: install-test
	$(BIN)/python bench/page_weight.py

clean:
	rm -rf $(VENV) instance
