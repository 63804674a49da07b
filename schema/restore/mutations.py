"""restoreClientOrganisation, restoreAIProcess, restoreOwner: archived objects come back.

One mutation per archivable type, beside its `archiveX`, with the same input (`id`,
`version`) and payload; the rules live in tenants/services/restore.py. `Changes` does not
do these writes: it loads live rows only, and a restore's row is archived.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.clients.mutations import CLIENT_ROW, ClientOrganisationPayload
from schema.context import Info
from schema.mutation_support import row_at_version, row_input, run_write
from schema.owners.mutations import OWNER_ROW, OwnerPayload
from schema.processes.mutations import PROCESS_ROW, AIProcessPayload
from tenants.services import restore as service

ID_DESCRIPTION = "The archived object's id."


@strawberry.input(description="Which archived client organisation to restore.")
@row_input("ClientOrganisation", "restore", id=ID_DESCRIPTION)
class RestoreClientOrganisationInput:
    pass


@strawberry.input(description="Which archived AI process to restore.")
@row_input("AIProcess", "restore", id=ID_DESCRIPTION)
class RestoreAIProcessInput:
    pass


@strawberry.input(description="Which archived owner to restore.")
@row_input("Owner", "restore", id=ID_DESCRIPTION)
class RestoreOwnerInput:
    pass


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
            ClientOrganisationPayload.of,
            row_at_version(service.restore_client, input, CLIENT_ROW),
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
            AIProcessPayload.of,
            row_at_version(service.restore_process, input, PROCESS_ROW),
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
            OwnerPayload.of,
            row_at_version(service.restore_owner, input, OWNER_ROW),
        )
