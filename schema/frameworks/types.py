"""A process's regulatory profile, as returned by `setProcessRegulatoryProfile`."""

from __future__ import annotations

import uuid

import strawberry

from schema.audit.shape import register_audit_shape
from schema.compiled.sql import Row, Source, lateral_row
from schema.context import Info
from tenants import models as m
from tenants.services.frameworks import profile_of

ClientRole = strawberry.enum(
    m.ClientRole, description="The client's part for the AI system: DEPLOYER, PROVIDER, BOTH."
)
EuAiActClass = strawberry.enum(
    m.EuAiActClass,
    description="EU AI Act classification: PROHIBITED_SCREENED_OUT (screened against Art. 5"
    " and not a prohibited practice), HIGH_RISK, TRANSPARENCY, MINIMAL.",
)
AnnexIIIArea = strawberry.enum(
    m.AnnexIIIArea, description="The Annex III area (points 1-8) of a high-risk system."
)


@strawberry.type(description="The EU AI Act profile of a process, set by consultants.")
class RegulatoryProfile:
    client_role: ClientRole  # type: ignore[valid-type]
    eu_ai_act_class: EuAiActClass  # type: ignore[valid-type]
    annex_iii_area: AnnexIIIArea | None  # type: ignore[valid-type]
    reason: str
    version: int = strawberry.field(description="Send it back with the next change.")

    @classmethod
    def from_model(cls, row: m.ProcessRegulatoryProfile) -> RegulatoryProfile:
        return cls(
            client_role=row.client_role,
            eu_ai_act_class=row.eu_ai_act_class,
            annex_iii_area=row.annex_iii_area,
            reason=row.reason,
            version=row.version,
        )


# Not a node, but audited: the trail names its columns by these fields.
register_audit_shape(RegulatoryProfile, m.ProcessRegulatoryProfile, "ProcessRegulatoryProfile")


def profile_source(row: Row) -> Source:
    """The profile of the parent process row, for the compiled read path."""
    p = m.ProcessRegulatoryProfile
    return lateral_row(
        p.client_role.label("client_role"),
        p.eu_ai_act_class.label("eu_ai_act_class"),
        p.annex_iii_area.label("annex_iii_area"),
        p.reason.label("reason"),
        p.version.label("version"),
        froms=[p.__table__],
        where=[p.process_id == row.col("id")],
    )


async def profile_of_process(info: Info, process_id: uuid.UUID) -> RegulatoryProfile | None:
    row = await profile_of(info.context.db, process_id)
    return RegulatoryProfile.from_model(row) if row is not None else None
