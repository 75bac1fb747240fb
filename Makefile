# Fahrplan — `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 5000
# Two workers: the suite runs on both cores (each worker has its own database).
PYTEST_ARGS ?= -n 2
export FLASK_APP := app

.PHONY: run test test-sqlite test-postgres lint format bench migrate translations install clean

install: $(STAMP) translations

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d translations -f --statistics 2>&1 | tail -n 2

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load
	@echo "Fahrplan runs on http://127.0.0.1:$(PORT)/ (Ctrl+C stops it)"
	SCHEDULER_ENABLED=true PUBLIC_URL=http://127.0.0.1:$(PORT) \
	  $(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 1 --threads 8 --access-logfile - 'app:create_app()'

# The whole suite on SQLite, then again on PostgreSQL when TEST_DATABASE_URL is set
# (CI=true makes a missing PostgreSQL or browser a failure, not a skip).
test: install
	$(BIN)/ruff check .
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$TEST_DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; \
	 elif [ "$$CI" = "true" ]; then echo "CI needs TEST_DATABASE_URL for the PostgreSQL run" >&2; exit 1; \
	 else echo "TEST_DATABASE_URL not set: PostgreSQL run skipped (set it, or use .ci/run)"; fi

test-sqlite: install
	env -u TEST_DATABASE_URL $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

test-postgres: install
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python -m benchmarks

migrate: install
	$(BIN)/flask db migrate -m "$(m)"

# Re-extract the strings after changing templates or code; translate in translations/*/LC_MESSAGES.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --sort-output --width 100 .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete --width 100

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
