"""The API's naming and typing convention (schema/README.md), checked on the real schema.

Each test walks every type, field, argument and input field of the schema the server
serves, so a new name that breaks the convention fails here the day it is added.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
)

from schema import build_schema
from schema.ids import decode_id, with_article
from tenants.errors import DomainError

GRAPHQL: GraphQLSchema = build_schema()._schema

Slot = GraphQLField | GraphQLArgument | GraphQLInputField

# Fields that are a closed set wherever they appear: each must be an enum.
CLOSED_SET_NAMES = {
    "status",
    "severity",
    "kind",
    "actorKind",
    "role",
    "defaultRole",
    "raciRole",
    "riskTier",
    "lifecycleStage",
    "decisionAuthority",
    "engagementStatus",
    "size",
    "direction",
    "outcome",
    "locale",
    "weekday",
    "pillar",
    "party",
    "event",
    "logoType",
    "format",
    "clientRole",
    "euAiActClass",
    "annexIiiArea",
    "responsibilities",
    "missingClauses",
}
# Closed sets whose name is used for something else elsewhere (EscalationLevel.level is
# a number), so they are named with their type.
CLOSED_SET_SLOTS = {
    "HealthReason.level",
    "ApiToken.scopes",
    "CreateApiTokenInput.scopes",
    "CoverageFinding.severity",
}
# Free text that happens to share a closed set's name: a stakeholder's role at the client.
FREE_TEXT = {"Stakeholder.role", "StakeholderInput.role"}
# Ids that are keys of a catalogue or of another system, not objects of this API: they
# are Strings, never global ids.
FOREIGN_KEYS = {
    "FrameworkInfo.id",
    "RequirementCoverage.id",
    "RequirementCoverage.ruleIds",
    "CoverageFinding.ruleId",
    "ReadinessFinding.ruleId",
    "ClientOrganisation.frameworks",
    "ChooseClientFrameworksInput.frameworkIds",
    "ClientFrameworksPayload.frameworkIds",
    "ImportControlSetPayload.frameworkId",
    "IdentityProvider.clientId",  # the OAuth client id at the provider
    "ConfigureIdentityProviderInput.clientId",
    "WebhookDelivery.messageId",  # the Standard Webhooks `webhook-id` header
}


def _user_types() -> Iterator[GraphQLNamedType]:
    for name, t in sorted(GRAPHQL.type_map.items()):
        if not name.startswith("__"):
            yield t


def _slots() -> Iterator[tuple[str, str, Slot]]:
    """(`Type.field` or `Type.field(arg)`, the slot's own name, the slot) for everything."""
    for t in _user_types():
        if isinstance(t, GraphQLObjectType | GraphQLInterfaceType):
            for fname, f in t.fields.items():
                yield f"{t.name}.{fname}", fname, f
                for aname, a in f.args.items():
                    yield f"{t.name}.{fname}({aname})", aname, a
        elif isinstance(t, GraphQLInputObjectType):
            for fname, inf in t.fields.items():
                yield f"{t.name}.{fname}", fname, inf


def lower_camel(type_name: str) -> str:
    """`AIProcess` -> `aiProcess`, `ProcessKpi` -> `processKpi`: the leading capitals lowered."""
    match = re.match(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]+", type_name)
    assert match is not None, type_name
    return match.group(0).lower() + type_name[match.end() :]


def test_no_type_name_has_a_type_suffix() -> None:
    offending = [t.name for t in _user_types() if t.name.endswith("Type")]
    assert offending == []


def test_the_link_to_a_client_is_client_organisation() -> None:
    offending = []
    for where, name, slot in _slots():
        named = get_named_type(slot.type).name
        if named == "ClientOrganisation" and name not in ("clientOrganisation", "node"):
            offending.append(where)
        if named == "ID" and "client" in name.lower() and not name.startswith("clientOrganisation"):
            offending.append(where)
        if name in ("client", "clients", "clientIds"):
            offending.append(where)
    assert offending == []


def test_fractional_numbers_are_floats() -> None:
    assert "Decimal" not in GRAPHQL.type_map
    offending = [w for w, _, s in _slots() if get_named_type(s.type).name == "Decimal"]
    assert offending == []


def test_closed_sets_are_enums() -> None:
    offending = [
        f"{where}: {get_named_type(slot.type).name}"
        for where, name, slot in _slots()
        if "(" not in where
        and (name in CLOSED_SET_NAMES or where in CLOSED_SET_SLOTS)
        and where not in FREE_TEXT
        and not isinstance(get_named_type(slot.type), GraphQLEnumType)
    ]
    assert offending == []


def test_every_closed_set_slot_still_exists() -> None:
    """A renamed field must not leave its entry here checking nothing."""
    wheres = {where for where, _, _ in _slots()}
    assert CLOSED_SET_SLOTS - wheres == set()
    assert FOREIGN_KEYS - wheres == set()
    assert FREE_TEXT - wheres == set()


def test_enum_values_are_upper_snake_case() -> None:
    offending = [
        f"{t.name}.{v}"
        for t in _user_types()
        if isinstance(t, GraphQLEnumType)
        for v in t.values
        if not re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*", v)
    ]
    assert offending == []


def test_ids_are_global_ids_named_id_or_ending_in_id() -> None:
    """An `ID` is always a global id named `id`/`ids`/`xxxId`/`xxxIds`; a resolved object is
    named for what it is (`process: AIProcess`), never `xxxId`."""
    offending = []
    for where, name, slot in _slots():
        named = get_named_type(slot.type)
        id_like = name in ("id", "ids") or re.search(r"[a-z]Ids?$", name) is not None
        if named.name == "ID" and not id_like:
            offending.append(f"{where}: an ID not named id, ids, xxxId or xxxIds")
        elif id_like and named.name != "ID" and where not in FOREIGN_KEYS:
            offending.append(f"{where}: named as an id but typed {named.name}")
    assert offending == []
    assert "UUID" not in GRAPHQL.type_map


def test_payload_fields_are_named_after_their_type() -> None:
    assert GRAPHQL.mutation_type is not None
    offending = []
    for mutation, field in GRAPHQL.mutation_type.fields.items():
        payload = get_named_type(field.type)
        assert isinstance(payload, GraphQLObjectType) and payload.name.endswith("Payload"), mutation
        assert "errors" in payload.fields, payload.name
        for name, sub in payload.fields.items():
            named = get_named_type(sub.type)
            if isinstance(named, GraphQLObjectType) and name != "errors":
                if name != lower_camel(named.name):
                    offending.append(f"{payload.name}.{name}: {named.name}")
            elif name.startswith("removed"):
                removed = re.fullmatch(r"removed([A-Z]\w*)Id", name)
                if removed is None or removed.group(1) not in GRAPHQL.type_map:
                    offending.append(f"{payload.name}.{name}: not removed<Type>Id")
    assert offending == []


def test_lower_camel_lowers_the_leading_capitals() -> None:
    assert lower_camel("AIProcess") == "aiProcess"
    assert lower_camel("ProcessKpi") == "processKpi"
    assert lower_camel("ReadinessReport") == "readinessReport"


@pytest.mark.parametrize(
    ("type_name", "said"),
    [("AIProcess", "an AIProcess"), ("Owner", "an Owner"), ("Member", "a Member")],
)
def test_id_errors_name_the_type_with_the_right_article(type_name: str, said: str) -> None:
    assert with_article(type_name) == said
    with pytest.raises(DomainError) as caught:
        decode_id("not-an-id", type_name, "someId")
    (error,) = caught.value.errors
    assert error.field == "someId" and error.message == f"must be the id of {said}"
