"""`setProcessRegulatoryProfile` and `chooseClientFrameworks` (consultants and admins)."""

from __future__ import annotations

from enum import Enum

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from jobs.readiness.frameworks import frameworks
from jobs.readiness.frameworks.tenant_import import ControlSetError, parse_control_set
from schema.context import Info
from schema.enums import documented_enum
from schema.errors import UserError
from schema.frameworks.types import AnnexIIIArea, ClientRole, EuAiActClass, RegulatoryProfile
from schema.input_fields import global_id_of, optional
from schema.mutation_support import PayloadOf, write_mutation
from schema.payloads import Payload, errors_field, result_of, written_payload
from schema.row_writes import OF_CLIENT, OF_PROCESS, row_at_version
from tenants import models as m
from tenants.services import frameworks as service
from tenants.services.audit import Actor


@strawberry.input(description="The whole profile; HIGH_RISK needs `annexIiiArea`, others none.")
class SetProcessRegulatoryProfileInput:
    process_id: strawberry.ID = global_id_of("AIProcess")
    version: int | None = strawberry.field(
        description="The version you last saw; null when the process has no profile yet."
    )
    client_role: ClientRole = strawberry.field(description="The client's part for the system.")  # type: ignore[valid-type]
    eu_ai_act_class: EuAiActClass = strawberry.field(description="The EU AI Act class.")  # type: ignore[valid-type]
    reason: str = strawberry.field(description="Why this classification: the consultant's note.")
    annex_iii_area: AnnexIIIArea | None = optional(  # type: ignore[valid-type]
        "The Annex III area; set exactly when HIGH_RISK."
    )


@written_payload("regulatory_profile", RegulatoryProfile, "setProcessRegulatoryProfile")
class RegulatoryProfilePayload(Payload):
    pass


@strawberry.input(description="The complete set of frameworks for the client; others are removed.")
class ChooseClientFrameworksInput:
    client_organisation_id: strawberry.ID = global_id_of("ClientOrganisation")
    framework_ids: list[str] = strawberry.field(
        description="Catalogue ids, e.g. eu-ai-act, iso-iec-42001, nist-ai-rmf."
    )


@strawberry.type(description=result_of("chooseClientFrameworks"))
class ClientFrameworksPayload:
    framework_ids: list[str] | None = strawberry.field(
        description=(
            "The client's frameworks as now chosen, in id order; null when there are errors."
        )
    )
    errors: list[UserError] = errors_field()


@documented_enum(
    "The file format of an imported control set.",
    {
        "CSV": "A CSV file with a header row.",
        "JSON": "A JSON list of {id, title, summary, rules} objects.",
    },
)
class ControlSetFormat(Enum):
    CSV = "csv"
    JSON = "json"


@strawberry.input(
    description="A consultancy's own control set, the whole file as a string. CSV: header"
    " id,title,summary,rules (rules: readiness rule ids separated by spaces, commas or"
    " semicolons); JSON: a list of {id, title, summary, rules: [...]}. Errors name the row"
    " and column, e.g. content[3].rules. Replaces an earlier import of the same key."
)
class ImportControlSetInput:
    key: str = strawberry.field(description="Lowercase letters, digits, hyphens.")
    title: str = strawberry.field(
        description="The control set's name, shown as the framework's title."
    )
    format: ControlSetFormat = strawberry.field(description="The format of `content`.")
    content: str = strawberry.field(description="The whole file, as text.")


@strawberry.type(description=result_of("importControlSet"))
class ImportControlSetPayload:
    framework_id: str | None = strawberry.field(
        description="Pass to frameworkCoverage(framework:): tenant:<key>."
    )
    control_count: int | None = strawberry.field(
        description="How many controls the set now has; null when there are errors."
    )
    errors: list[UserError] = errors_field()


def _parsed(
    content: str, fmt: ControlSetFormat
) -> tuple[list[service.ControlInput], list[tuple[str, str]]]:
    """The file's controls, or the (field, message) problems it has."""
    try:
        rows = parse_control_set(content, fmt.value)
    except ControlSetError as exc:
        return [], [(e.field, e.message) for e in exc.errors]
    return [service.ControlInput(r.control_id, r.title, r.summary, r.rule_ids) for r in rows], []


async def _import(
    info: Info, input: ImportControlSetInput, db: AsyncSession, actor: Actor
) -> list[m.TenantControl]:
    controls, problems = _parsed(input.content, input.format)
    return await service.import_control_set(
        db,
        actor=actor,
        set_key=input.key,
        set_title=input.title,
        controls=controls,
        content_problems=problems,
    )


def _imported(info: Info, input: ImportControlSetInput) -> PayloadOf[ImportControlSetPayload]:
    """The payload names the framework the set is usable as, and counts its controls."""
    key = input.key

    def build(
        added: list[m.TenantControl] | None, errors: list[UserError]
    ) -> ImportControlSetPayload:
        if errors or added is None:
            return ImportControlSetPayload(framework_id=None, control_count=None, errors=errors)
        return ImportControlSetPayload(
            framework_id=f"tenant:{key.strip()}", control_count=len(added), errors=[]
        )

    return build


def _chosen(chosen: list[str] | None, errors: list[UserError]) -> ClientFrameworksPayload:
    return ClientFrameworksPayload(framework_ids=None if errors else chosen, errors=errors)


async def _choose(
    info: Info, input: ChooseClientFrameworksInput, db: AsyncSession, actor: Actor
) -> list[str]:
    return await service.choose_client_frameworks(
        db,
        actor=actor,
        client_id=OF_CLIENT.decode(input),
        framework_ids=input.framework_ids,
        known=frozenset(frameworks()),
    )


@strawberry.type
class FrameworkMutation:
    import_control_set = write_mutation(
        ImportControlSetInput,
        ImportControlSetPayload,
        _import,
        description=(
            "Import (or replace) a consultancy control set, usable as framework "
            "tenant:<key>. Staff writers."
        ),
        answer=_imported,
    )
    # The profile is keyed by its process: `version` is the profile's, null for a first one.
    set_process_regulatory_profile = write_mutation(
        SetProcessRegulatoryProfileInput,
        RegulatoryProfilePayload,
        row_at_version(service.set_regulatory_profile, OF_PROCESS),
        description="Set a process's EU AI Act profile. Staff writers.",
    )
    choose_client_frameworks = write_mutation(
        ChooseClientFrameworksInput,
        ClientFrameworksPayload,
        _choose,
        description="Choose the frameworks a client is measured against. Staff writers.",
        answer=lambda info, input: _chosen,
    )
