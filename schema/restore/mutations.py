"""restoreClientOrganisation, restoreAIProcess, restoreOwner: archived objects come back.

One mutation per archivable type, beside its `archiveX`, with the same input (`id`,
`version`) and payload; the rules live in tenants/services/restore.py. `Changes` does not
do these writes: it loads live rows only, and a restore's row is archived.
"""

from __future__ import annotations

import strawberry

from schema.clients.mutations import CLIENT_ROW, ClientOrganisationPayload
from schema.mutation_support import row_input, write_mutation
from schema.owners.mutations import OWNER_ROW, OwnerPayload
from schema.processes.mutations import PROCESS_ROW, AIProcessPayload
from schema.row_writes import row_at_version
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
    restore_client_organisation = write_mutation(
        RestoreClientOrganisationInput,
        ClientOrganisationPayload,
        row_at_version(service.restore_client, CLIENT_ROW),
        description="Bring back an archived client organisation as it was (its processes, "
        "owners and plans stay archived or not as they are). VALIDATION on `id` if it is "
        "not archived; audited as `restore`.",
        argument=strawberry.argument(
            description="The archived client organisation and its version."
        ),
    )
    restore_ai_process = write_mutation(
        RestoreAIProcessInput,
        AIProcessPayload,
        row_at_version(service.restore_process, PROCESS_ROW),
        description="Bring back an archived AI process with its assignments and history. "
        "VALIDATION on `id` if it is not archived or its client organisation is archived; "
        "audited as `restore`.",
        argument=strawberry.argument(description="The archived AI process and its version."),
        name="restoreAIProcess",
    )
    restore_owner = write_mutation(
        RestoreOwnerInput,
        OwnerPayload,
        row_at_version(service.restore_owner, OWNER_ROW),
        description="Bring back an archived owner. VALIDATION on `id` if it is not archived, "
        "its client organisation is archived, or a live owner of the client now has its "
        "email address; audited as `restore`.",
        argument=strawberry.argument(description="The archived owner and its version."),
    )
