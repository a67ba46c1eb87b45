# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py

.PHONY: install run test lint format pytest messages lock db-stop worker clean

$(INSTALLED): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(INSTALLED)

install: $(INSTALLED)

## Serve http://127.0.0.1:8000 with the embedded PostgreSQL (or DATABASE_URL) and the demo data.
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) runserver 127.0.0.1:8000

## The whole suite, after lint (the migrations check is a test: tests/test_migrations.py).
test: lint pytest

## In parallel, one worker per core (pytest-xdist); each worker has its own test database.
pytest: install
	$(BIN)/pytest -n auto

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## A Celery worker with beat (the daily deadline reminders); needs CELERY_BROKER_URL, e.g.
## redis://127.0.0.1:6379/0. Run one of these; more workers, if needed, without -B.
worker: install
	mkdir -p var
	$(BIN)/celery -A config worker -B --schedule=var/celerybeat-schedule --loglevel=INFO

## Refresh the English catalogue after changing user-facing strings (needs GNU gettext).
messages: install
	$(MANAGE) makemessages -l en --ignore=.venv --ignore=var --ignore=tests
	$(MANAGE) compilemessages -l en --ignore=.venv

## Re-pin every dependency after changing pyproject.toml.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet -e '.[dev]'
	.venv-lock/bin/python -m pip freeze --exclude-editable > requirements.lock
	rm -rf .venv-lock

## Stop the embedded PostgreSQL server (it keeps running between commands, like a service).
db-stop: install
	$(BIN)/python -c "from pathlib import Path; from config.embedded_postgres import stop; stop(Path('var/pgdata').resolve())"

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
