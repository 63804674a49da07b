"""`steward serve` with other cache sizes (bench_tenants only).

    BENCH_CACHES=2000,100,1024 python -m tests.benchmarks.tenants_serve serve

BENCH_CACHES is `orm,driver,plans`: SQLAlchemy's asyncpg prepared-statement cache per
connection (tenants/engine.py STATEMENT_CACHE_SIZE), asyncpg's own statement cache per
connection (DRIVER_STATEMENT_CACHE_SIZE) and the compiled read path's plan cache
(schema/compiled/runner.py CompiledReads, 1,024). Set before the app is built, so the
benchmark can compare settings on the same tenants without editing the code.

BENCH_STATEMENTS=qualified gives every tenant its own schema-qualified statements, as
before shared statements (tenants/session.py SHARED_STATEMENTS); `shared` is the default.
"""

from __future__ import annotations

import os

import tenants.engine
import tenants.session
from schema.compiled.runner import CompiledReads

_CACHES = os.environ.get("BENCH_CACHES")
if _CACHES:
    orm, driver, plans = (int(v) for v in _CACHES.split(","))
    tenants.engine.STATEMENT_CACHE_SIZE = orm
    tenants.engine.DRIVER_STATEMENT_CACHE_SIZE = driver
    CompiledReads.__init__.__defaults__ = (plans,)
tenants.session.SHARED_STATEMENTS = os.environ.get("BENCH_STATEMENTS", "shared") == "shared"

if __name__ == "__main__":
    from server.cli import app

    app()
