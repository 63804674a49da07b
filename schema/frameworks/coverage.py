"""`frameworkCoverage(framework:)` on a client and on a process.

Computed in Python from the readiness snapshot (a fixed number of SELECTs,
`jobs/readiness/loader.py`) and the rules' findings, exactly as the report is, so it has
no SQL for the compiled read path: an operation selecting it runs on the ordinary
executor (tests/schema/compiled/test_coverage.py lists it under PYTHON_FIELDS).
"""

from __future__ import annotations

import uuid
from datetime import date
from enum import Enum
from typing import Annotated

import strawberry

from jobs.readiness import build_readiness
from jobs.readiness.findings import ObjectType
from jobs.readiness.frameworks import Framework, FrameworkCoverage, Requirement, frameworks
from jobs.readiness.frameworks import framework_coverage as compute
from jobs.readiness.loader import load_snapshot
from jobs.readiness.snapshot import ClientSnapshot
from schema.context import Info
from schema.enums import FindingSeverity, documented_enum
from schema.ids import global_id
from tenants.services.frameworks import control_set

# The `framework` argument of ClientOrganisation's and AIProcess's frameworkCoverage.
FrameworkId = Annotated[
    str,
    strawberry.argument(
        description="A framework id: eu-ai-act, iso-iec-42001, nist-ai-rmf, or tenant:<key>"
        " of an imported control set."
    ),
]


@documented_enum(
    "How far the readiness findings evidence a requirement.",
    {
        "MET": "Every rule evidencing it passes.",
        "PARTLY": "Some of its rules pass, some fail.",
        "NOT_MET": "Every rule evidencing it that applies fails.",
        "NOT_APPLICABLE": "The regulatory profile rules the duty out.",
        "NOT_ASSESSED": "No readiness rule evidences it, or none applied.",
    },
)
class CoverageStatus(Enum):
    MET = "met"
    PARTLY = "partly"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    NOT_ASSESSED = "not_assessed"


@strawberry.type(description="A framework of the catalogue, as its data file states it.")
class FrameworkInfo:
    id: str = strawberry.field(description="The framework id, e.g. eu-ai-act or tenant:<key>.")
    title: str = strawberry.field(description="The framework's name.")
    source: str = strawberry.field(
        description="Where the requirements come from (the legal text or standard)."
    )
    version: str = strawberry.field(description="The edition the catalogue entries reflect.")


@strawberry.type(description="A finding behind a requirement's status.")
class CoverageFinding:
    rule_id: str = strawberry.field(
        description=("The readiness rule that failed, e.g. OWN-001 (jobs/readiness/RULES.md).")
    )
    severity: FindingSeverity = strawberry.field(description="How serious the finding is.")  # type: ignore[valid-type]
    message: str = strawberry.field(description="What is wrong, in a sentence.")
    object_type: str = strawberry.field(
        description="The GraphQL type of the object, e.g. AIProcess."
    )
    object_id: strawberry.ID = strawberry.field(description="Global id of the object.")


@strawberry.type(description="One requirement of a framework and how far the findings evidence it.")
class RequirementCoverage:
    id: str = strawberry.field(description="The requirement's id within its framework.")
    reference: str = strawberry.field(description="The clause in the source, e.g. Art. 26(2).")
    title: str = strawberry.field(description="The requirement's name.")
    summary: str = strawberry.field(description="Steward's paraphrase, not the source text.")
    status: CoverageStatus = strawberry.field(description="How far the findings evidence it.")
    rule_ids: list[str] = strawberry.field(description="Readiness rules evidencing it.")
    object_ids: list[strawberry.ID] = strawberry.field(description="Objects the rules checked.")
    failing_object_ids: list[strawberry.ID] = strawberry.field(
        description="Global ids of the checked objects with a finding."
    )
    findings: list[CoverageFinding] = strawberry.field(
        description="The findings behind the status."
    )


@strawberry.type(
    name="FrameworkCoverage", description="Per requirement: met, partly, not met, not applicable."
)
class FrameworkCoverageType:
    framework: FrameworkInfo = strawberry.field(description="The framework covered.")
    requirements: list[RequirementCoverage] = strawberry.field(
        description="One entry per requirement, in the framework's order."
    )


def _object_types(snapshot: ClientSnapshot) -> dict[uuid.UUID, str]:
    """The GraphQL type of every object a rule can check, for its global id."""
    types = {snapshot.client_id: ObjectType.CLIENT.value}
    types |= {p.id: ObjectType.PROCESS.value for p in snapshot.processes}
    types |= {o.id: ObjectType.OWNER.value for o in snapshot.owners}
    types |= {a.id: ObjectType.VENDOR_AGREEMENT.value for a in snapshot.vendor_agreements}
    for plan in snapshot.change_plans:
        types[plan.id] = ObjectType.CHANGE_PLAN.value
        types |= {ms.id: ObjectType.MILESTONE.value for ms in plan.milestones}
    return types


def to_graphql(cov: FrameworkCoverage, types: dict[uuid.UUID, str]) -> FrameworkCoverageType:
    def gid(object_id: uuid.UUID) -> strawberry.ID:
        return strawberry.ID(global_id(types.get(object_id, ObjectType.PROCESS.value), object_id))

    fw = cov.framework
    return FrameworkCoverageType(
        framework=FrameworkInfo(id=fw.id, title=fw.title, source=fw.source, version=fw.version),
        requirements=[
            RequirementCoverage(
                id=r.requirement.id,
                reference=r.requirement.reference,
                title=r.requirement.title,
                summary=r.requirement.summary,
                status=CoverageStatus(r.status.value),
                rule_ids=list(r.rule_ids),
                object_ids=[gid(o) for o in r.object_ids],
                failing_object_ids=[gid(o) for o in r.failing_object_ids],
                findings=[
                    CoverageFinding(
                        rule_id=f.rule_id,
                        severity=f.severity,
                        message=f.message,
                        object_type=f.object_type.value,
                        object_id=strawberry.ID(global_id(f.object_type.value, f.object_id)),
                    )
                    for f in r.findings
                ],
            )
            for r in cov.requirements
        ],
    )


TENANT_PREFIX = "tenant:"


async def _tenant_framework(
    info: Info, framework: str
) -> tuple[Framework, dict[str, tuple[str, ...]]] | None:
    """A tenant's imported control set as a framework, with its own rule mapping."""
    rows = await control_set(info.context.db, framework.removeprefix(TENANT_PREFIX))
    if not rows:
        return None
    fw = Framework(
        id=framework,
        title=rows[0].set_title,
        source="the consultancy's own control set",
        version=f"imported {max(r.updated_at for r in rows).date().isoformat()}",
        publisher="tenant",
        requirements=tuple(
            Requirement(
                id=r.control_id,
                framework_id=framework,
                reference=r.control_id,
                title=r.title,
                summary=r.summary or "",
            )
            for r in rows
        ),
    )
    return fw, {r.control_id: tuple(r.rule_ids) for r in rows}


async def coverage_of(
    info: Info, client_id: uuid.UUID, framework: str, process_id: uuid.UUID | None = None
) -> FrameworkCoverageType | None:
    """None for an unknown framework id; the parent's visibility was checked by its field.

    `framework` is a catalogue id, or `tenant:<key>` for an imported control set (one
    more SELECT).
    """
    chosen: Framework | None = frameworks().get(framework)
    mapping: dict[str, tuple[str, ...]] | None = None
    if chosen is None and framework.startswith(TENANT_PREFIX):
        found = await _tenant_framework(info, framework)
        if found is not None:
            chosen, mapping = found
    if chosen is None:
        return None
    snapshot = await load_snapshot(info.context.db, client_id=client_id, as_of=date.today())
    if snapshot is None:
        return None
    findings = build_readiness(snapshot).findings
    coverage = compute(snapshot, findings, chosen, process_id=process_id, mapping=mapping)
    return to_graphql(coverage, _object_types(snapshot))
