# Two commands on a fresh machine: `make run` and `make test`. Everything else here supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-sqlite test-postgres check-migrations setup translations catalogue lint bench bench-inprocess clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

# Compiled catalogues are build output, made at install time and never committed.
translations: $(VENV)/.runtime
	$(BIN)/pybabel compile -d app/translations

setup: translations
	$(FLASK) db upgrade
	$(FLASK) courses sync
	$(FLASK) seed-demo

run: setup
	@echo "Ondo is on http://$(HOST):$(PORT)  (demo accounts above; Ctrl-C stops it)"
	$(FLASK) run --host $(HOST) --port $(PORT)

test: $(VENV)/.dev translations
	@if [ "$$CI" = "true" ] && [ -z "$$TEST_DATABASE_URL" ]; then \
		echo "CI=true needs TEST_DATABASE_URL (PostgreSQL): .ci/run sets it"; exit 1; fi
	$(MAKE) check-migrations
	$(MAKE) test-sqlite
	@if [ -n "$$TEST_DATABASE_URL" ]; then $(MAKE) test-postgres; \
		else echo "TEST_DATABASE_URL not set: PostgreSQL run skipped (CI runs it)"; fi

# pytest-xdist: PYTEST_WORKERS processes (default 2), one test file per worker at a time (--dist loadfile), each
# worker on its own database (tests/conftest.py). PYTEST_WORKERS=0 runs everything in this one process.
PYTEST_WORKERS ?= 2
PYTEST_ARGS := $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile)

# PostgreSQL-only tests (the two-instance school-day run) are deselected here, not skipped; the PostgreSQL pass runs them.
test-sqlite:
	env -u TEST_DATABASE_URL $(BIN)/pytest -q $(PYTEST_ARGS) -m "not postgres_only"

test-postgres:
	$(BIN)/pytest -q $(PYTEST_ARGS)

# The models and migrations/ agree: the development database under instance/ (the one `make run` uses; never a
# DATABASE_URL from the environment) brought to the newest migration, then `flask db check`. Afterwards a plain
# `flask --app app db check` in this checkout answers about the models, not "Target database is not up to date".
check-migrations: $(VENV)/.dev
	env -u DATABASE_URL $(FLASK) db upgrade
	env -u DATABASE_URL $(FLASK) db check

# After adding strings: extract them and merge into the Korean catalogue, then translate the new entries.
catalogue: $(VENV)/.dev
	$(BIN)/pybabel -q extract --no-wrap -F babel.cfg -k _l -k lazy_gettext -o $(VENV)/messages.pot .
	$(BIN)/pybabel -q update --no-wrap -N -i $(VENV)/messages.pot -d app/translations

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(FLASK) courses lint courses

# Served by gunicorn and driven by wrk against a bare Flask app (needs: apt-get install -y wrk); one table per database.
# BENCH_DATABASE_URL=postgresql+psycopg://... adds the PostgreSQL run. CI does not run it.
bench: $(VENV)/.dev translations
	$(BIN)/python bench/serve.py

# The older in-process timings (test client, no server): quick to run while working on one page.
bench-inprocess: $(VENV)/.dev translations
	$(BIN)/python bench/run.py
	$(BIN)/python bench/scenarios.py

clean:
	rm -rf $(VENV) instance .pytest_cache
