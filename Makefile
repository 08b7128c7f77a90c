# Two commands: `make run` (set up and serve on 127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/podcasts

.PHONY: run test test-postgres lint install bench

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

.env:
	printf 'DEBUG=true\nSECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env

run: install .env
	$(PY) manage.py migrate --no-input
	$(PY) manage.py import_guests fixtures/people
	$(PY) manage.py import_episodes --publish fixtures/episodes
	$(PY) manage.py ensure_local_admin
	$(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.test_settings $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=config.test_settings $(PY) manage.py makemigrations --check --dry-run

test: lint
	$(PY) -m pytest

test-postgres: install
	DATABASE_URL=$(PG_URL) $(PY) -m pytest

bench: install
	$(PY) bench/roundtrip.py
	$(PY) bench/public_pages.py
