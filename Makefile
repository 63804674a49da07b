# Two commands for a fresh machine with Python 3.11 and make: `make demo`, `make test`.
# Python 3.11 or newer; python3.11 when it is on PATH, else python3.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint sdl install clean bench bench-abuse bench-migrate bench-read

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { echo "need Python 3.11 or newer (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/steward demo

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy server schema tenants jobs

sdl: $(STAMP)
	$(BIN)/python -m schema.export

# Benchmarks print ratios against a baseline of the same run; they are not tests.
bench: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_binding
	$(BIN)/python -m tests.benchmarks.bench_readiness

bench-abuse: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_abuse

bench-migrate: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_migrate

# W1 read over HTTP: `steward serve` against a one-statement floor (local PostgreSQL and
# Redis, or DATABASE_URL / REDIS_URL); about 2.5 minutes. Needs no wrk: its own load generator.
bench-read: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_read $(BENCH_READ_ARGS)

clean:
	rm -rf $(VENV) .steward
