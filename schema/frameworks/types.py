"""A process's regulatory profile, as returned by `setProcessRegulatoryProfile`."""

from __future__ import annotations

import uuid

import strawberry

from schema.audit.shape import register_audit_shape
from schema.compiled.sql import Row, Source, lateral_row
from schema.context import Info
from schema.enums import documented
from schema.from_model import FromModel
from tenants import models as m
from tenants.services.frameworks import profile_of

ClientRole = documented(
    m.ClientRole,
    "The client's part for the AI system under the EU AI Act.",
    {
        "DEPLOYER": "Uses the system under its own authority (Art. 3(4)).",
        "PROVIDER": "Develops the system or has it developed and places it on the market.",
        "BOTH": "Provider and deployer of the same system.",
    },
)
EuAiActClass = documented(
    m.EuAiActClass,
    "EU AI Act classification of a process.",
    {
        "PROHIBITED_SCREENED_OUT": "Screened against Art. 5 and not a prohibited practice.",
        "HIGH_RISK": "High-risk (Annex III); needs `annexIiiArea`.",
        "TRANSPARENCY": "Transparency duties only (Art. 50).",
        "MINIMAL": "Minimal risk: no specific duties.",
    },
)
AnnexIIIArea = documented(
    m.AnnexIIIArea,
    "The Annex III area (points 1-8) of a high-risk system.",
    {
        "BIOMETRICS": "Point 1: biometrics.",
        "CRITICAL_INFRASTRUCTURE": "Point 2: critical infrastructure.",
        "EDUCATION": "Point 3: education and vocational training.",
        "EMPLOYMENT": "Point 4: employment and workers management.",
        "ESSENTIAL_SERVICES": "Point 5: access to essential private and public services.",
        "LAW_ENFORCEMENT": "Point 6: law enforcement.",
        "MIGRATION_BORDER": "Point 7: migration, asylum and border control.",
        "JUSTICE_DEMOCRACY": "Point 8: administration of justice and democratic processes.",
    },
)


@strawberry.type(description="The EU AI Act profile of a process, set by consultants.")
class RegulatoryProfile(FromModel):
    client_role: ClientRole = strawberry.field(description="The client's part for the system.")  # type: ignore[valid-type]
    eu_ai_act_class: EuAiActClass = strawberry.field(description="The EU AI Act class.")  # type: ignore[valid-type]
    annex_iii_area: AnnexIIIArea | None = strawberry.field(  # type: ignore[valid-type]
        description="The Annex III area; set exactly when HIGH_RISK."
    )
    reason: str = strawberry.field(description="Why this classification: the consultant's note.")
    version: int = strawberry.field(description="Send it back with the next change.")


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
