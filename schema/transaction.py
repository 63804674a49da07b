"""One tenant-bound transaction per GraphQL operation."""

from __future__ import annotations

from collections.abc import AsyncIterator

import structlog
from graphql import ExecutionResult, GraphQLError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from strawberry.extensions import SchemaExtension

from schema.context import Context
from tenants.session import bind_connection

log = structlog.get_logger("steward.graphql")


async def _close_quietly(conn: AsyncConnection) -> None:
    try:
        await conn.close()
    except Exception:
        # Only after a failure already reported (the connection is gone): a commit
        # that succeeded leaves nothing to roll back, and the pool discards the rest.
        log.warning("transaction.close_failed", exc_info=True)


class TenantTransaction(SchemaExtension):
    """Opens the principal's tenant session before resolvers run.

    The operation commits only when it produced no unexpected error; expected
    failures roll back their own savepoint inside the mutation (schema/errors.py),
    so a half-applied mutation never reaches the database.

    A failure of our own database work (connecting, binding, committing) must not
    escape this hook: Strawberry would answer it outside every other extension,
    unmasked and without an error code, and after a failed COMMIT the resolvers'
    success payload would still look like a success. It becomes the operation's
    error instead, which MaskUnexpectedErrors (the outer extension) then turns
    into SERVICE_UNAVAILABLE with HTTP 503, or a masked internal error.
    """

    def _fail(self, exc: Exception) -> None:
        error = GraphQLError(str(exc), original_error=exc)
        result = self.execution_context.result
        if isinstance(result, ExecutionResult):
            # Mutated in place: Strawberry returns this very object, not the attribute.
            result.data = None
            result.errors = [error]
        else:
            # Set before execution: Strawberry then skips the resolvers and uses it.
            self.execution_context.result = ExecutionResult(data=None, errors=[error])

    async def on_execute(self) -> AsyncIterator[None]:
        context: Context = self.execution_context.context
        committed = False
        raw = context.engine.connect()
        try:
            await raw.start()
            transaction = await raw.begin()
            conn = await bind_connection(raw, context.principal.tenant)
        except Exception as exc:
            await _close_quietly(raw)
            self._fail(exc)
            yield
            return
        session = AsyncSession(bind=conn, expire_on_commit=False)
        context.session = session
        try:
            yield
            result = self.execution_context.result
            try:
                if result is not None and result.errors:
                    await transaction.rollback()
                else:
                    await session.flush()
                    await transaction.commit()
                    committed = True
            except Exception as exc:
                self._fail(exc)
        finally:
            context.session = None
            await session.close()
            await _close_quietly(raw)  # rolls back whatever is still open
        if committed:
            for hook in context.after_commit:
                try:
                    await hook()
                except Exception:
                    # The committed rows stay the source of truth: a hook that fails
                    # (Redis down) is retried by whoever owns that work (see jobs/).
                    log.warning("after_commit.failed", exc_info=True)
