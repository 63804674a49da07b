# Two commands for a fresh machine with Python 3.11 and make: `make demo`, `make test`.
# Python 3.11 or newer; python3.11 when it is on PATH, else python3.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint lock sdl install clean bench bench-abuse bench-migrate bench-read bench-tenants

# The dev lock: the runtime lock (requirements.lock, what the image installs) plus the `dev` and
# `embedded` extras (test and lint tools, the embedded PostgreSQL and Redis).
$(STAMP): requirements-dev.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { echo "need Python 3.11 or newer (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/steward demo

test: $(STAMP)
	$(BIN)/pytest

# infra/ is checked offline from pinned wheels: hadolint on the Dockerfile, every Kubernetes
# manifest against the schemas of K8S_VERSION (unknown fields refused), the compose file
# against the compose-spec schema vendored in check-jsonschema.
K8S_VERSION := 1.33.0

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy server schema tenants jobs
	$(BIN)/hadolint infra/Dockerfile
	$(BIN)/kubernetes-validate --strict --quiet --kubernetes-version $(K8S_VERSION) infra/k8s/*.yaml
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec infra/compose.yaml

# Regenerates the locks from pyproject.toml (keeps current pins where they still fit; add
# --upgrade-package NAME to move one). The commands are the locks' header lines.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra embedded --generate-hashes --python-version 3.11 -o requirements-dev.lock
	$(BIN)/uv pip compile requirements-build.in --generate-hashes --python-version 3.11 -o requirements-build.lock

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

# 1,000 tenants: provisioning, a mixed GraphQL load round robin over them against one tenant
# (one `steward serve`), an additive `steward tenants migrate`; 15-30 minutes on 2 cores,
# bounded by --max-minutes. BENCH_TENANTS_ARGS="--tenants 50" for a quick run.
bench-tenants: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_tenants $(BENCH_TENANTS_ARGS)

clean:
	rm -rf $(VENV) .steward
