"""Per-request DataLoaders: one cache per request, so nothing crosses tenants or principals."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import TypeVar

from sqlalchemy import select
from strawberry.dataloader import DataLoader

from schema.context import Info
from schema.scoping import visible
from schema.settling import settled
from tenants.base import TenantBase

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
M = TypeVar("M", bound=TenantBase)


class SettlingDataLoader(DataLoader[K, V]):
    """A DataLoader whose batch is never cancelled by a caller that goes away.

    Strawberry cancels a batch's task once every caller cancelled its load; the
    batch's statement would then die mid-flight (see schema/settling.py).
    """

    def load(self, key: K) -> Awaitable[V]:
        return settled(super().load(key))


def loader(
    info: Info, key: Hashable, batch: Callable[[list[K]], Awaitable[Sequence[V]]]
) -> DataLoader[K, V]:
    """The request's loader named `key`, created on first use."""
    loaders = info.context.loaders
    existing: DataLoader[K, V] | None = loaders.get(key)
    if existing is None:
        existing = SettlingDataLoader(load_fn=batch)
        loaders[key] = existing
    return existing


def by_id(info: Info, model: type[M]) -> DataLoader[uuid.UUID, M | None]:
    """Objects of `model` by id, limited to what the principal may see."""

    async def batch(ids: list[uuid.UUID]) -> list[M | None]:
        rows = await info.context.db.scalars(
            select(model).where(model.id.in_(ids), visible(model, info.context.principal))  # type: ignore[attr-defined]
        )
        found = {row.id: row for row in rows}  # type: ignore[attr-defined]
        return [found.get(i) for i in ids]

    return loader(info, ("by_id", model), batch)
