"""The helpers node types and lists are declared with: node_type, its stamps, NodeList.field."""

from __future__ import annotations

import uuid

import pytest
import strawberry

from schema.common_fields import CHANGED, Versioned, append_stamps
from schema.node import Node, node_type
from schema.node_lists import ListArgument, NodeList
from schema.pagination import Ordering
from tenants import models as m


def _sdl(*types: type) -> str:
    @strawberry.type
    class Query:
        probe: int = 0

    return strawberry.Schema(query=Query, types=list(types)).as_str()


def test_node_type_names_the_type_and_its_ids_once() -> None:
    @node_type("Probe", description="A probe.")
    class ProbeNode(Node):
        label: str = strawberry.field(description="Its label.")

    assert ProbeNode.NODE_NAME == "Probe"
    assert 'A probe."""\ntype Probe implements Node' in _sdl(ProbeNode)


def test_version_follows_id_and_stamps_close_the_plain_fields() -> None:
    @node_type("Stamped", description="Stamped.", stamps=CHANGED)
    class StampedNode(Node, Versioned):
        owner_db_id: strawberry.Private[uuid.UUID]
        label: str = strawberry.field(description="Its label.")

        @strawberry.field(description="Resolved.")
        def resolved(self) -> int:
            return 1

    sdl = _sdl(StampedNode)
    body = sdl[sdl.index("type Stamped") :]
    positions = [body.index(f) for f in ("id:", "version:", "label:", "createdAt:", "updatedAt:")]
    assert positions == sorted(positions)
    assert body.index("updatedAt:") < body.index("resolved:")
    assert '"""When it was last changed."""' in body


def test_a_stamp_declared_by_hand_as_well_is_refused() -> None:
    class Twice:
        created_at: str

    with pytest.raises(TypeError, match="created_at"):
        append_stamps(Twice, CHANGED)


def test_list_field_takes_first_after_then_its_argument_and_order() -> None:
    probes = NodeList(
        m.Owner,
        None,
        Ordering(m.Owner.name),
        "schema.owners.types:OwnerNode",
    )

    @strawberry.input(description="A filter.")
    class ProbeFilter:
        label: str | None = None

    @strawberry.type
    class Query:
        owners = probes.field(
            "Probe owners.",
            argument=ListArgument(ProbeFilter | None, "Keep these."),
            order_by=ListArgument(bool | None, "The order."),
        )

    sdl = strawberry.Schema(query=Query).as_str()
    field = sdl[sdl.index('"""Probe owners."""') :]
    positions = [field.index(a) for a in ("first:", "after:", "filter:", "orderBy:")]
    assert positions == sorted(positions)
    assert '"""Keep these."""\n    filter: ProbeFilter = null' in field
    assert "OwnerConnection!" in field
