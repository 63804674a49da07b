"""`requestExport`: queue an export; a worker writes its file (jobs/exports/job.py)."""

from __future__ import annotations

import uuid

import strawberry
from arq.connections import ArqRedis
from sqlalchemy.ext.asyncio import AsyncSession

from jobs.enqueue import enqueue_export
from schema.context import Info
from schema.exports.types import ExportFormat, ExportKind, ExportNode
from schema.ids import decode_id
from schema.input_fields import optional
from schema.mutation_support import enqueued_after_commit, write_mutation
from schema.payloads import Payload, written_payload
from schema.scoping import CLIENT_EXPORT_KINDS, may_see_admin_data
from tenants import models as m
from tenants.errors import forbidden
from tenants.principals import Principal
from tenants.services import exports as service
from tenants.services.audit import Actor


@strawberry.input(description="What to export, in which format, of which client.")
class RequestExportInput:
    kind: ExportKind = strawberry.field(description="What the export holds.")
    format: ExportFormat = strawberry.field(
        description="CSV or XLSX for PROCESSES and OWNERS; JSONL for ENGAGEMENT and TENANT "
        "(anything else is a VALIDATION error on `format`)."
    )
    client_organisation_id: strawberry.ID | None = optional(
        "The client exported: required for every kind but TENANT, which must "
        "leave it null. A client principal may give only its own organisation."
    )


@written_payload(
    "export",
    ExportNode,
    description="The export queued, or why not.",
    about="The new export, QUEUED; null when `errors` is not empty.",
    errors="Expected failures, by field.",
)
class RequestExportPayload(Payload):
    pass


def _check_kind(principal: Principal, kind: m.ExportKind) -> None:
    """Beyond the policy table: what each kind of principal may export."""
    if kind is m.ExportKind.TENANT and not may_see_admin_data(principal):
        raise forbidden("only an admin may export the whole tenant")
    if not principal.is_staff and kind not in CLIENT_EXPORT_KINDS:
        raise forbidden("a client principal may export only PROCESSES and OWNERS")


def _client_of(input: RequestExportInput) -> uuid.UUID | None:
    """The client exported, which the request is authorized for; None for TENANT."""
    if input.client_organisation_id is None:
        return None
    return decode_id(input.client_organisation_id, "ClientOrganisation", "clientOrganisationId")


async def _request(
    info: Info, input: RequestExportInput, db: AsyncSession, actor: Actor
) -> m.Export:
    kind = m.ExportKind[input.kind.name]
    _check_kind(info.context.principal, kind)
    return await service.request_export(
        db,
        actor=actor,
        tenant=info.context.principal.tenant.slug,
        kind=kind,
        fmt=m.ExportFormat[input.format.name],
        client_id=_client_of(input),
    )


async def _enqueue(redis: ArqRedis, tenant: str, export_id: uuid.UUID) -> None:
    await enqueue_export(redis, tenant=tenant, export_id=export_id)


@strawberry.type
class ExportMutation:
    request_export = write_mutation(
        RequestExportInput,
        RequestExportPayload,
        _request,
        description="Queue an export and return it QUEUED; a worker writes the file and "
        "records its progress (poll the Export with node(id:)), then `downloadUrl` serves "
        "it until `expiresAt`. One request makes exactly one export. At most 5 requests a "
        "minute per client (or for the whole tenant); more are UNAVAILABLE. Staff may "
        "export any client; client principals only their own organisation's PROCESSES and "
        "OWNERS; TENANT is for admins. If Redis is down at the moment, the export stays "
        "QUEUED and the worker's sweeper enqueues it within a minute of Redis returning.",
        # An export requested is enqueued once the request commits.
        answer=enqueued_after_commit(RequestExportPayload.of, _enqueue),
        client_of=_client_of,
        argument=strawberry.argument(
            description="What to export, in which format, of which client."
        ),
    )
