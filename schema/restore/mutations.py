"""restoreClientOrganisation, restoreAIProcess, restoreOwner: archived objects come back.

One mutation per archivable type, beside its `archiveX`, with the same input (`id`,
`version`) and payload; the rules live in tenants/services/restore.py.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.clients.mutations import ClientOrganisationPayload
from schema.clients.types import ClientOrganisationNode
from schema.context import Info
from schema.errors import atomic
from schema.ids import decode_id
from schema.owners.mutations import OwnerPayload
from schema.owners.types import OwnerNode
from schema.permissions import actor_of, authorize
from schema.processes.mutations import AIProcessPayload
from schema.processes.types import AIProcessNode
from tenants.services import restore as service

ID_DESCRIPTION = "The archived object's id."
VERSION_DESCRIPTION = "The version you last saw; a stale one is a CONFLICT."


@strawberry.input(description="Which archived client organisation to restore.")
class RestoreClientOrganisationInput:
    id: strawberry.ID = strawberry.field(description=ID_DESCRIPTION)
    version: int = strawberry.field(description=VERSION_DESCRIPTION)


@strawberry.input(description="Which archived AI process to restore.")
class RestoreAIProcessInput:
    id: strawberry.ID = strawberry.field(description=ID_DESCRIPTION)
    version: int = strawberry.field(description=VERSION_DESCRIPTION)


@strawberry.input(description="Which archived owner to restore.")
class RestoreOwnerInput:
    id: strawberry.ID = strawberry.field(description=ID_DESCRIPTION)
    version: int = strawberry.field(description=VERSION_DESCRIPTION)


@strawberry.type
class RestoreMutation:
    @strawberry.mutation(
        description="Bring back an archived client organisation as it was (its processes, "
        "owners and plans stay archived or not as they are). VALIDATION on `id` if it is "
        "not archived; audited as `restore`."
    )
    async def restore_client_organisation(
        self,
        info: Info,
        input: Annotated[
            RestoreClientOrganisationInput,
            strawberry.argument(description="The archived client organisation and its version."),
        ],
    ) -> ClientOrganisationPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.restore_client(
                info.context.db,
                actor=actor_of(info.context.principal),
                client_id=decode_id(input.id, "ClientOrganisation", "id"),
                expected_version=input.version,
            )
        ok = obj is not None and not outcome.errors
        node = ClientOrganisationNode.from_model(obj) if ok and obj else None
        return ClientOrganisationPayload(client_organisation=node, errors=outcome.errors)

    @strawberry.mutation(
        name="restoreAIProcess",
        description="Bring back an archived AI process with its assignments and history. "
        "VALIDATION on `id` if it is not archived or its client organisation is archived; "
        "audited as `restore`.",
    )
    async def restore_ai_process(
        self,
        info: Info,
        input: Annotated[
            RestoreAIProcessInput,
            strawberry.argument(description="The archived AI process and its version."),
        ],
    ) -> AIProcessPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.restore_process(
                info.context.db,
                actor=actor_of(info.context.principal),
                process_id=decode_id(input.id, "AIProcess", "id"),
                expected_version=input.version,
            )
        ok = obj is not None and not outcome.errors
        node = AIProcessNode.from_model(obj) if ok and obj else None
        return AIProcessPayload(ai_process=node, errors=outcome.errors)

    @strawberry.mutation(
        description="Bring back an archived owner. VALIDATION on `id` if it is not archived, "
        "its client organisation is archived, or a live owner of the client now has its "
        "email address; audited as `restore`."
    )
    async def restore_owner(
        self,
        info: Info,
        input: Annotated[
            RestoreOwnerInput,
            strawberry.argument(description="The archived owner and its version."),
        ],
    ) -> OwnerPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.restore_owner(
                info.context.db,
                actor=actor_of(info.context.principal),
                owner_id=decode_id(input.id, "Owner", "id"),
                expected_version=input.version,
            )
        ok = obj is not None and not outcome.errors
        node = OwnerNode.from_model(obj) if ok and obj else None
        return OwnerPayload(owner=node, errors=outcome.errors)
