"""The AuditEvent node: who changed what, when, with before and after values."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, ClassVar, cast

import strawberry
from sqlalchemy import case
from strawberry.scalars import JSON

from schema.compiled.encode import global_id_of_sql
from schema.compiled.sql import Expr, Row, sql
from schema.enums import documented_enum
from schema.ids import global_id
from schema.node import NODE_KINDS, Node, register_node
from tenants import models as m


def node_name_of(model_name: str) -> str:
    """The GraphQL node type of an ORM model name (they differ only where a node says so)."""
    for name, kind in NODE_KINDS.items():
        if kind.model.__name__ == model_name:
            return name
    return model_name


def node_name_sql(model_name: Any) -> Any:
    """`node_name_of` in SQL, over the node kinds registered when it is planned."""
    whens = [(model_name == kind.model.__name__, name) for name, kind in NODE_KINDS.items()]
    return case(*whens, else_=model_name) if whens else model_name


def _object_id(row: Row) -> Any:
    return global_id_of_sql(node_name_sql(row.col("object_type")), row.col("object_id"))


@documented_enum(
    "What kind of actor made a change.",
    {
        "MEMBER": "A signed-in member.",
        "API_TOKEN": "A service using an API token.",
        "SCIM": "An identity provider's SCIM provisioning.",
        "SYSTEM": "Steward itself: jobs, the command line, the demo seed.",
    },
)
class ActorKind(Enum):
    MEMBER = "member"
    API_TOKEN = "api_token"  # noqa: S105 - an actor kind, not a secret
    SCIM = "scim"
    SYSTEM = "system"


@strawberry.type(name="AuditEvent", description="One recorded change; events are never edited.")
class AuditEventNode(Node):
    NODE_NAME: ClassVar[str] = "AuditEvent"
    actor: str = strawberry.field(description="Who made the change (member or token label).")
    actor_kind: ActorKind = strawberry.field(description="What kind of actor made the change.")
    action: str = strawberry.field(description="e.g. create, update, archive, record, review.")
    object_type: str = strawberry.field(
        description="The node type of the changed object.",
        metadata=sql(Expr(lambda row, _: node_name_sql(row.col("object_type")))),
    )
    object_id: strawberry.ID = strawberry.field(
        description="The global id of the changed object.",
        metadata=sql(Expr(lambda row, _: _object_id(row))),
    )
    before: JSON | None = strawberry.field(description="Column values before; null on create.")
    after: JSON | None = strawberry.field(description="Column values after the change.")
    at: datetime = strawberry.field(description="When the change was committed.")

    @classmethod
    def from_model(cls, obj: m.AuditEvent) -> AuditEventNode:
        node_name = node_name_of(obj.object_type)
        return cls(
            db_id=obj.id,
            actor=obj.actor,
            actor_kind=ActorKind(obj.actor_kind),
            action=obj.action,
            object_type=node_name,
            object_id=strawberry.ID(global_id(node_name, obj.object_id)),
            before=cast(JSON, obj.before),
            after=cast(JSON, obj.after),
            at=obj.at,
        )


register_node(AuditEventNode, m.AuditEvent)
