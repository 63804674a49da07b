"""One tenant-bound transaction per GraphQL operation."""

from __future__ import annotations

from collections.abc import AsyncIterator

import structlog
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.extensions import SchemaExtension

from schema.context import Context
from tenants.session import bind_connection

log = structlog.get_logger("steward.graphql")


class TenantTransaction(SchemaExtension):
    """Opens the principal's tenant session before resolvers run.

    The operation commits only when it produced no unexpected error; expected
    failures roll back their own savepoint inside the mutation (schema/errors.py),
    so a half-applied mutation never reaches the database.
    """

    async def on_execute(self) -> AsyncIterator[None]:
        context: Context = self.execution_context.context
        committed = False
        async with context.engine.connect() as raw:
            transaction = await raw.begin()
            conn = await bind_connection(raw, context.principal.tenant)
            session = AsyncSession(bind=conn, expire_on_commit=False)
            context.session = session
            try:
                yield
                result = self.execution_context.result
                if result is not None and result.errors:
                    await transaction.rollback()
                else:
                    await session.flush()
                    await transaction.commit()
                    committed = True
            finally:
                context.session = None
                await session.close()
                if transaction.is_active:
                    await transaction.rollback()
        if committed:
            for hook in context.after_commit:
                try:
                    await hook()
                except Exception:
                    # The committed rows stay the source of truth: a hook that fails
                    # (Redis down) is retried by whoever owns that work (see jobs/).
                    log.warning("after_commit.failed", exc_info=True)
