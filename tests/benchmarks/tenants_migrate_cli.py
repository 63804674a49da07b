"""`steward tenants migrate` against another copy of the tenant history (bench_tenants only).

    BENCH_TENANT_MIGRATIONS=/tmp/x/tenant python -m tests.benchmarks.tenants_migrate_cli \
        tenants migrate --concurrency 2

The module rebinds `tenants.migrate.TENANT` at import, before the CLI runs. Run with
`-m`, multiprocessing's spawn start method imports it again as `__mp_main__` in every
child of `migrate_all`'s process pool, so the children migrate from the same copy. Used
to time an additive migration without committing one.
"""

from __future__ import annotations

import os
from pathlib import Path

import tenants.migrate

_LOCATION = os.environ.get("BENCH_TENANT_MIGRATIONS")
if _LOCATION:
    tenants.migrate.TENANT = Path(_LOCATION)

if __name__ == "__main__":
    from server.cli import app

    app()
