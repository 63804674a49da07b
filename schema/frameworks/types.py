"""A process's regulatory profile, as returned by `setProcessRegulatoryProfile`."""

from __future__ import annotations

import strawberry

from schema.ids import global_id
from tenants import models as m

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
    process_id: strawberry.ID
    client_role: ClientRole  # type: ignore[valid-type]
    eu_ai_act_class: EuAiActClass  # type: ignore[valid-type]
    annex_iii_area: AnnexIIIArea | None  # type: ignore[valid-type]
    reason: str
    version: int = strawberry.field(description="Send it back with the next change.")

    @classmethod
    def from_model(cls, row: m.ProcessRegulatoryProfile) -> RegulatoryProfile:
        return cls(
            process_id=strawberry.ID(global_id("AIProcess", row.process_id)),
            client_role=row.client_role,
            eu_ai_act_class=row.eu_ai_act_class,
            annex_iii_area=row.annex_iii_area,
            reason=row.reason,
            version=row.version,
        )
