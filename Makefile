# Echo Wall: `make run` serves the demo, `make test` runs every test. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup setup-dev run test lint messages

setup: $(VENV)/.installed

setup-dev: $(VENV)/.installed-dev

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create a virtualenv. On Debian: apt-get install python3-venv"; exit 1; }

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Echo Wall is at http://$(HOST):$(PORT)/  (staff: http://$(HOST):$(PORT)/admin/)"
	@echo "This is the demo: Django's development server with DEBUG on and demo passwords."
	@echo "Never use it for real posts; for production see README, \"Configuration\"."
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

# The suite runs twice: on SQLite (the embedded default), then on a throwaway PostgreSQL 15 cluster
# that tests/with_postgres.py starts and deletes (skipped with a note if PostgreSQL is missing,
# except under CI).
test: setup-dev
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	@echo "== tests on SQLite"
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest
	@echo "== tests on PostgreSQL"
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python tests/with_postgres.py $(BIN)/pytest

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Refresh the translation catalogs after changing user-facing strings (needs gettext).
messages: setup
	$(BIN)/python manage.py makemessages --locale zh_Hans --ignore ".venv/*" --ignore "var/*"
	$(BIN)/python manage.py compilemessages --locale zh_Hans --ignore ".venv/*"
