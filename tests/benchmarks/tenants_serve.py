"""`steward serve` with other cache sizes (bench_tenants only).

    BENCH_CACHES=2000,100,1024 python -m tests.benchmarks.tenants_serve serve

BENCH_CACHES is `orm,driver,plans`: SQLAlchemy's asyncpg prepared-statement cache per
connection (tenants/engine.py STATEMENT_CACHE_SIZE), asyncpg's own statement cache per
connection (DRIVER_STATEMENT_CACHE_SIZE) and the compiled read path's plan cache
(schema/compiled/runner.py CompiledReads, 1,024). Set before the app is built, so the
benchmark can compare settings on the same tenants without editing the code.

BENCH_STATEMENTS=qualified serves as before statements were shared: every tenant its own
schema-qualified statements (tenants/session.py SHARED_STATEMENTS) and every principal its
own compiled plan of a document that shows the `viewer` (schema/compiled/sql.py
`Context.identity`); `shared`, the default, is the code as it is.
"""

from __future__ import annotations

import os
from typing import Any

import tenants.engine
import tenants.session
from schema.compiled.runner import CompiledReads
from schema.compiled.sql import IDENTITY_STAND_INS, Context

_CACHES = os.environ.get("BENCH_CACHES")
if _CACHES:
    orm, driver, plans = (int(v) for v in _CACHES.split(","))
    tenants.engine.STATEMENT_CACHE_SIZE = orm
    tenants.engine.DRIVER_STATEMENT_CACHE_SIZE = driver
    CompiledReads.__init__.__defaults__ = (plans,)
if os.environ.get("BENCH_STATEMENTS", "shared") == "qualified":
    tenants.session.SHARED_STATEMENTS = False

    def _own_identity(self: Context) -> dict[str, Any]:
        self.personal = True  # the plan is then cached per principal, as before
        return IDENTITY_STAND_INS

    Context.identity = property(_own_identity)  # type: ignore[method-assign,assignment]

if __name__ == "__main__":
    from server.cli import app

    app()
