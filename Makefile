# Dugnad: the two commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_PORT ?= 8000

.PHONY: demo test test-fast lint install clean docs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/dugnad demo --port $(DEMO_PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest
	@if [ -n "$$DUGNAD_TEST_POSTGRES_URL" ]; then \
		echo "== again on PostgreSQL =="; \
		DUGNAD_DATABASE_URL="$$DUGNAD_TEST_POSTGRES_URL" $(BIN)/pytest -m "not nodb"; \
	fi

# The fast subset (no browser, no slow tests; SQLite only): docs/testing.md.
test-fast: lint
	$(BIN)/pytest -m "not slow and not browser"

docs: $(STAMP)
	$(BIN)/python -m dugnad.cli.reference > docs/cli.md

clean:
	rm -rf $(VENV) var .pytest_cache
