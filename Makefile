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

# Bytecode for src/ written once, as an installed package has it (this machine sets PYTHONDONTWRITEBYTECODE=1,
# which would compile every module again in every command: ~0.05 s of `dugnad score`, ~0.5 CPU-s of a site build).
install: $(STAMP)
	$(BIN)/python -m compileall -q -j 0 src >/dev/null

demo: install
	$(BIN)/dugnad demo --port $(DEMO_PORT)

lint: install
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
