"""Sending DDL of new names (a tenant's role, schema, grants) in as few round trips as it may."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection


async def send_ddl(conn: AsyncConnection, statements: list[str], *, together: bool) -> None:
    """Run DDL statements in the open transaction: `together` as one simple-protocol query.

    One round trip instead of two per statement: asyncpg prepares every statement it
    sends, and each tenant's DDL text is new, so each would also take a slot of the
    connection's statement cache. Citus cannot take several commands in one query text
    (it forwards some DDL to the worker with the text it came in), so it gets them apart.
    Sent together, a failure raises asyncpg's exception, not SQLAlchemy's, and the
    transaction must already be open on the driver connection (any statement sent
    through SQLAlchemy opens it).
    """
    if not together:
        for statement in statements:
            await conn.execute(text(statement))
        return
    raw = await conn.get_raw_connection()
    driver: Any = raw.driver_connection
    await driver.execute(";\n".join(statements))
