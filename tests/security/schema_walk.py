"""Walks the real schema to build a type-correct input for every mutation.

The permission matrix and the isolation suite use it, so a new mutation joins
both suites without anyone editing them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    get_named_type,
)
from graphql.pyutils import Undefined

from schema import build_schema
from schema.ids import global_id

GRAPHQL: GraphQLSchema = build_schema()._schema

# Input fields that hold the id of a node of another type, by name.
ID_FIELD_TYPES = {
    "clientOrganisationId": "ClientOrganisation",
    "processId": "AIProcess",
    "ownerId": "Owner",
    "toOwnerId": "Owner",
    "planId": "ChangePlan",
    "assignmentId": "OwnershipAssignment",
    "dimensionId": "CapabilityDimension",
    "kpiId": "ProcessKpi",
    "incidentId": "Incident",
    "agreementId": "VendorAgreement",
    "memberId": "Member",
    "identityProviderId": "IdentityProvider",
    "tokenId": "ApiToken",
    "sessionId": "MemberSession",
}

# Mutations whose payload carries no node: the type their `id` input names.
PAYLOADLESS_TARGETS = {
    "removeKpi": "ProcessKpi",
    "deleteMilestone": "Milestone",
    "revokeApiToken": "ApiToken",
    "removeIdentityProvider": "IdentityProvider",
    "deactivateMember": "Member",
}

SCALARS: dict[str, Any] = {
    "String": "x",
    "Int": 1,
    "Float": 1.0,
    "Boolean": False,
    "Date": "2026-01-05",
    "DateTime": "2026-01-05T09:00:00+00:00",
    "JSON": {},
    "UUID": str(uuid.UUID(int=1)),
}


@dataclass(frozen=True)
class MutationSpec:
    name: str
    input_type: GraphQLInputObjectType
    target: str | None  # the node type the payload returns, if any


def _payload_target(field: GraphQLField) -> str | None:
    payload = get_named_type(field.type)
    if not isinstance(payload, GraphQLObjectType):
        return None
    for name, sub in payload.fields.items():
        if name == "errors":
            continue
        named = get_named_type(sub.type)
        if isinstance(named, GraphQLObjectType) and "Node" in {i.name for i in named.interfaces}:
            return named.name
    return None


def mutations() -> list[MutationSpec]:
    assert GRAPHQL.mutation_type is not None
    specs = []
    for name, field in sorted(GRAPHQL.mutation_type.fields.items()):
        arg = field.args["input"]
        input_type = get_named_type(arg.type)
        assert isinstance(input_type, GraphQLInputObjectType), name
        target = _payload_target(field) or PAYLOADLESS_TARGETS.get(name)
        specs.append(MutationSpec(name, input_type, target))
    return specs


IdFor = Callable[[str, str], str]  # (field name, node type) -> global id


def fake_id(type_name: str) -> str:
    return global_id(type_name, uuid.uuid4())


def build_input(spec: MutationSpec, id_for: IdFor) -> dict[str, Any]:
    """Required fields only, each with a value of the right type."""
    return _object(spec.input_type, spec.target, id_for)


def _object(t: GraphQLInputObjectType, target: str | None, id_for: IdFor) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, field in t.fields.items():
        required = isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
        if required:
            out[name] = _value(field.type, name, target, id_for)
    return out


def _value(t: GraphQLInputType, name: str, target: str | None, id_for: IdFor) -> Any:
    if isinstance(t, GraphQLNonNull):
        return _value(t.of_type, name, target, id_for)
    if isinstance(t, GraphQLList):
        return []
    if isinstance(t, GraphQLEnumType):
        return next(iter(t.values))
    if isinstance(t, GraphQLInputObjectType):
        return _object(t, target, id_for)
    assert isinstance(t, GraphQLScalarType)
    if t.name == "ID":
        node_type = ID_FIELD_TYPES.get(name) or (target if name == "id" else None)
        assert node_type, f"no node type known for ID field {name!r}: add it to ID_FIELD_TYPES"
        return id_for(name, node_type)
    return SCALARS[t.name]


def document(spec: MutationSpec) -> str:
    """The mutation with only its errors selected."""
    input_type = spec.input_type.name
    return (
        f"mutation($input: {input_type}!) {{ {spec.name}(input: $input) "
        "{ errors { field code message } } }"
    )
