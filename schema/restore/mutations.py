"""restoreClientOrganisation, restoreAIProcess, restoreOwner: archived objects come back.

One mutation per archivable type, beside its `archiveX`, with the same input (`id`,
`version`) and payload; the rules live in tenants/services/restore.py. `Changes` does not
do these writes: it loads live rows only, and a restore's row is archived.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.clients.mutations import ClientOrganisationPayload
from schema.clients.types import ClientOrganisationNode
from schema.context import Info
from schema.ids import decode_id
from schema.mutation_support import payload_of, run_write
from schema.owners.mutations import OwnerPayload
from schema.owners.types import OwnerNode
from schema.processes.mutations import AIProcessPayload
from schema.processes.types import AIProcessNode
from tenants.services import restore as service

_client_payload = payload_of(
    ClientOrganisationPayload, "client_organisation", ClientOrganisationNode.from_model
)
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
        return await run_write(
            info,
            payload_of(
                ClientOrganisationPayload, "client_organisation", ClientOrganisationNode.from_model
            ),
            lambda db, actor: service.restore_client(
                db,
                actor=actor,
                client_id=decode_id(input.id, "ClientOrganisation", "id"),
                expected_version=input.version,
            ),
        )

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
        return await run_write(
            info,
            payload_of(AIProcessPayload, "ai_process", AIProcessNode.from_model),
            lambda db, actor: service.restore_process(
                db,
                actor=actor,
                process_id=decode_id(input.id, "AIProcess", "id"),
                expected_version=input.version,
            ),
        )

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
        return await run_write(
            info,
            payload_of(OwnerPayload, "owner", OwnerNode.from_model),
            lambda db, actor: service.restore_owner(
                db,
                actor=actor,
                owner_id=decode_id(input.id, "Owner", "id"),
                expected_version=input.version,
            ),
        )
