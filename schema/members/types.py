"""The Member node: a person who logs in (staff, or a client organisation's staff)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from schema.common_fields import CHANGED, Versioned
from schema.context import Info
from schema.enums import documented
from schema.links import link
from schema.members.sessions import SESSIONS_SQL
from schema.node import Node, node_type, register_node
from schema.viewer.types import RoleType
from tenants import models as m

if TYPE_CHECKING:
    from schema.members.sessions import MemberSessionNode

MemberStatusType = documented(
    m.MemberStatus,
    "INVITED (not logged in yet), ACTIVE, or DEACTIVATED (can no longer log in).",
    {
        "INVITED": "Pre-provisioned; becomes ACTIVE at the first login.",
        "ACTIVE": "Has logged in and may log in.",
        "DEACTIVATED": "May no longer log in; their sessions and tokens are ended.",
    },
    name="MemberStatus",
)


@node_type(
    "Member",
    description="A login of the tenant: a staff member, or a member of one client organisation.",
    stamps=CHANGED,
)
class MemberNode(Node, Versioned):
    client_db_id: strawberry.Private[uuid.UUID | None]
    email: str = strawberry.field(
        description="The e-mail the member logs in with (matched case-insensitively)."
    )
    display_name: str | None = strawberry.field(
        description="The name shown; null: the e-mail is shown."
    )
    role: RoleType = strawberry.field(description="What the member may do.")  # type: ignore[valid-type]
    status: MemberStatusType = strawberry.field(description="INVITED, ACTIVE or DEACTIVATED.")  # type: ignore[valid-type]
    last_login_at: datetime | None = strawberry.field(
        description="The last login; null: never logged in."
    )

    FROM_MODEL = {
        "client_db_id": lambda o: o.client_organisation_id,
    }

    client_organisation = link(
        m.ClientOrganisation,
        "client_organisation_id",
        "schema.clients.types:ClientOrganisationNode",
        "The client organisation a client member belongs to; null for staff.",
        attr="client_db_id",
    )

    @strawberry.field(
        description="The member's current browser sessions (not ended, not expired), newest "
        "first; admins see anyone's, a member their own, everyone else an empty list.",
        metadata=SESSIONS_SQL,
    )
    async def sessions(
        self, info: Info
    ) -> list[Annotated[MemberSessionNode, strawberry.lazy("schema.members.sessions")]]:
        from schema.members.sessions import sessions_of

        return await sessions_of(info, self.db_id)


register_node(MemberNode, m.Member)
