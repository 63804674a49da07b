"""`viewer.permissions`: the mutations the caller may run, read from schema/permissions.py.

The list is `grants(principal)` of the same policy table `authorize` enforces and the
permission matrix tests, so a front end can hide what would be refused without
keeping a copy of the rules.
"""

from __future__ import annotations

import json
import re
from enum import Enum
from typing import Any

import strawberry
from sqlalchemy import Text, cast, literal
from sqlalchemy.dialects.postgresql import JSONB

from schema.compiled.sql import Related, Source, context, json_rows, sql
from schema.permissions import MUTATION_POLICIES, Grant, grants
from tenants.principals import Principal


def enum_name(mutation: str) -> str:
    """`createAIProcess` -> `CREATE_AI_PROCESS`: the GraphQL enum name of a mutation."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", mutation).upper()


_MUTATION_ACTION: Any = Enum(  # type: ignore[misc]  # one member per mutation
    "MutationAction",
    {
        enum_name(name): strawberry.enum_value(
            name, description=f"The `{name}` mutation (Mutation.{name})."
        )
        for name in sorted(MUTATION_POLICIES)
    },
)
MutationAction: Any = strawberry.enum(
    _MUTATION_ACTION,
    description="A mutation of this API, named in UPPER_SNAKE_CASE (`createAIProcess` is "
    "CREATE_AI_PROCESS).",
)


@strawberry.enum(description="On which objects the viewer may run a mutation.")
class PermissionScope(Enum):
    ANY = strawberry.enum_value(
        Grant.ANY.value,
        description="On any object the viewer can see (and, for create mutations, anywhere "
        "it can see the parent).",
    )
    ASSIGNED_PROCESS = strawberry.enum_value(
        Grant.ASSIGNED_PROCESS.value,
        description="Only on (the KPIs, reviews and incidents of) a process the viewer, a "
        "client owner, is currently assigned to; anywhere else the mutation answers FORBIDDEN.",
    )


@strawberry.type(description="A mutation the viewer may run, and on which objects.")
class ViewerPermission:
    action: MutationAction = strawberry.field(description="The mutation.")
    scope: PermissionScope = strawberry.field(
        description="On which objects: ANY, or ASSIGNED_PROCESS for a client owner's feedback."
    )


def permissions_of(principal: Principal) -> list[ViewerPermission]:
    return [
        ViewerPermission(action=MutationAction(name), scope=PermissionScope(g.value))
        for name, g in grants(principal).items()
    ]


def _permission_rows() -> Source:
    """The same list as one JSON array of bound values: it comes from the principal."""
    rows = [{"action": name, "scope": g.value} for name, g in grants(context().principal).items()]
    return json_rows(cast(literal(json.dumps(rows), Text), JSONB), ["action", "scope"])


PERMISSIONS_SQL = sql(Related(lambda _row, _args: _permission_rows()))
