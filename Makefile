# The two commands: `make run` (set up and serve with demo data) and `make test` (set up and test).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
# Where links in emails and SMS lead; written once into instance/config.py, which is where to change it.
BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test setup base-url translations messages vnu clean assets bench

run: $(VENV)/.run translations assets base-url
	$(FLASK) init-db
	$(FLASK) seed-demo
	@echo "Portal: http://$(HOST):$(PORT)  (emails are printed here; Ctrl+C stops)"
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/huey_consumer portal.jobs.huey --workers 2 --worker-type thread --quiet & \
	$(BIN)/gunicorn -c gunicorn.conf.py --bind $(HOST):$(PORT) --access-logfile - wsgi:app

# Not part of `make test`: throughput against a bare Flask app (wrk, from Debian: apt-get install wrk),
# a registration against its argon2 hash, and the online flow on 2G in Chromium. Figures in bench/results/.
bench: $(VENV)/.dev translations assets
	$(BIN)/python bench/run.py

# tests/test_html.py runs the W3C Nu HTML checker from .ci/node_modules when `make vnu` has put it there.
test: $(VENV)/.dev translations assets
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The Nu HTML checker (npm package vnu-jar, pinned in .ci/package-lock.json); it runs on the machine's Java.
# --ignore-scripts: its install script would download a Java runtime of its own.
vnu:
	npm ci --prefix .ci --ignore-scripts --no-audit --no-fund --loglevel=error

setup: $(VENV)/.run translations assets base-url

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run

# Compiled catalogs are build output: never committed, never edited.
translations: $(VENV)/.run
	$(BIN)/pybabel compile --statistics -d portal/translations

# Static files as browsers get them: content-hashed copies in instance/static with .br and .gz beside them
# (portal/assets.py); build output like the catalogs, never committed.
assets: instance/static.json

instance/static.json: $(wildcard static/*) portal/assets.py | $(VENV)/.run
	$(BIN)/python -c "from portal.assets import main; main()"

# After changing user-facing text: extract it and merge it into each catalog, then translate the .po files.
messages: $(VENV)/.run
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o portal/translations/messages.pot --no-location --sort-output portal templates
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching --ignore-obsolete

instance/config.py:
	@mkdir -p instance
	@$(PYTHON) -c "import secrets; print('# Created by make run: this machine only, never commit.'); print(f'SECRET_KEY = {secrets.token_hex(32)!r}')" > $@
	@echo "Created instance/config.py with a new SECRET_KEY"

# Every link in emails and SMS is built on BASE_URL; a config.py from before the setting gets one too.
base-url: instance/config.py
	@grep -q '^BASE_URL' instance/config.py || { echo "BASE_URL = '$(BASE_URL)'" >> instance/config.py; \
	  echo "BASE_URL = $(BASE_URL) written to instance/config.py (links in emails and SMS lead there)"; }

clean:
	rm -rf $(VENV) instance/portal.db* instance/huey.db* instance/static instance/static.json
