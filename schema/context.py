"""The per-request GraphQL context, reached as `Info[Context, None]`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from arq.connections import ArqRedis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import Info as StrawberryInfo

from tenants.principals import Principal


@dataclass
class Context:
    """Everything a resolver may touch, created anew for each request.

    `session` is opened by the TenantTransaction extension, bound to the
    principal's tenant, and `loaders` is a per-request cache: a module-level
    DataLoader would share its cache across tenants.
    """

    request: Request
    response: Response | None
    principal: Principal
    engine: AsyncEngine
    redis: ArqRedis | None
    session: AsyncSession | None = None
    loaders: dict[Any, Any] = field(default_factory=dict)
    # Work that must only happen once the operation's transaction committed, such
    # as enqueueing a job for a row the mutation wrote (schema/transaction.py).
    after_commit: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    @property
    def db(self) -> AsyncSession:
        if self.session is None:  # pragma: no cover - a wiring bug, masked to the client
            raise RuntimeError("no tenant session is open for this operation")
        return self.session


Info = StrawberryInfo[Context, None]
