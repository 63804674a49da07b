"""`members(first, after, filter)`.

Who sees which members: every staff role sees every member (consultants and
viewers need to know who works on what); a client principal sees only the
members of its own client organisation (schema/scoping.py). Only admins manage
members (schema/permissions.py).
"""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import false

from schema.ids import parse_global_id
from schema.members.types import MemberStatusType
from schema.node_lists import ListArgument, NodeList, unkeyed
from schema.pagination import Ordering
from schema.viewer.types import RoleType
from tenants import models as m


@strawberry.input(description="Narrow the list; all given conditions must hold.")
class MemberFilter:
    role: list[RoleType] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these roles."
    )
    status: list[MemberStatusType] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these statuses (default: all, deactivated included)."
    )
    client_organisation_id: strawberry.ID | None = strawberry.field(
        default=None, description="Members of this client organisation."
    )
    staff_only: bool = strawberry.field(
        default=False, description="Only staff members (no client organisation)."
    )


def member_conditions(filter: MemberFilter | None) -> list[Any]:
    f = filter or MemberFilter()
    where: list[Any] = []
    if f.role:
        where.append(m.Member.role.in_(f.role))
    if f.status:
        where.append(m.Member.status.in_(f.status))
    if f.client_organisation_id is not None:
        parsed = parse_global_id(f.client_organisation_id)
        if parsed is None or parsed[0] != "ClientOrganisation":
            where.append(false())  # not a client's id: like an id that does not exist
        else:
            where.append(m.Member.client_organisation_id == parsed[1])
    if f.staff_only:
        where.append(m.Member.client_organisation_id.is_(None))
    return where


MEMBER_ORDERING = Ordering(m.Member.created_at)
MEMBERS = NodeList(
    m.Member, None, MEMBER_ORDERING, "schema.members.types:MemberNode", unkeyed(member_conditions)
)


@strawberry.type
class MemberQuery:
    members = MEMBERS.field(
        "Members the principal may see, oldest first (createdAt, then id): staff "
        "see every member, a client principal the members of its own organisation.",
        argument=ListArgument(
            MemberFilter | None, "Keep only members matching every given condition; null: all."
        ),
    )
