"""Batched reads of the processes area (also used by other areas' types)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from schema.context import Info
from schema.loaders import by_id, loader
from schema.node import node_or_none
from tenants import models as m
from tenants.services.assignments import current_accountable_by_process
from tenants.services.processes import orphaned_by_process

if TYPE_CHECKING:
    from schema.owners.types import OwnerNode


async def orphaned(info: Info, process: m.AIProcess) -> bool:
    async def batch(processes: list[m.AIProcess]) -> list[bool]:
        found = await orphaned_by_process(info.context.db, processes=processes)
        return [found[p.id] for p in processes]

    # Keyed by the ORM object: the session's identity map makes it one per row.
    return await loader(info, "process.orphaned", batch).load(process)


async def accountable_owner(info: Info, process_id: uuid.UUID) -> OwnerNode | None:
    from schema.owners.types import OwnerNode

    async def batch(ids: list[uuid.UUID]) -> list[uuid.UUID | None]:
        found = await current_accountable_by_process(info.context.db, process_ids=ids)
        return [found[i].owner_id if i in found else None for i in ids]

    owner_id = await loader(info, "process.accountable_owner_id", batch).load(process_id)
    if owner_id is None:
        return None
    owner = await by_id(info, m.Owner).load(owner_id)
    return node_or_none(OwnerNode.from_model, owner)
