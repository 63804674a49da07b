"""The MemberSession node and `Member.sessions`: a member's current browser sessions.

Sessions live in `public.browser_sessions` (row-level security gives the tenant role
its own rows, and no digest or id-token column), so they are read through
tenants/services/member_sessions.py rather than `by_id`. Admins see every member's;
a member (signed in, or through a token issued to them) sees their own; nobody else
sees any (an empty list, a null node).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

import strawberry
from sqlalchemy import false, literal, true

from schema.compiled.sql import Related, Row, Source, context, sql
from schema.context import Info
from schema.links import link
from schema.loaders import loader
from schema.node import Node, node_type, register_node
from schema.scoping import may_see_admin_data
from tenants import models as m
from tenants.principals import Principal
from tenants.registry import BrowserSession
from tenants.services.member_sessions import SessionView, current_sessions, list_current_sessions

if TYPE_CHECKING:
    pass


def may_see_session(principal: Principal, member_id: uuid.UUID) -> bool:
    return may_see_admin_data(principal) or principal.member_id == member_id


def _visible(row: Row) -> Any:
    """may_see_session in SQL, for the planned principal."""
    principal = context().principal
    if may_see_admin_data(principal):
        return true()
    if principal.member_id is None:
        return false()
    return row.col("member_id") == literal(principal.member_id, row.entity.member_id.type)


def _current(row: Row) -> list[Any]:
    return [*row.adapt(*current_sessions(context().tenant)), _visible(row)]


def session_source(session_id: uuid.UUID) -> Source:
    """`session_by_id` in SQL: one current, visible session of the tenant."""
    row = Row.of(BrowserSession)
    return Source(
        row,
        froms=[row.entity],
        where=[row.entity.id == literal(session_id, row.entity.id.type), *_current(row)],
    )


def member_sessions_source(parent: Row) -> Source:
    """`Member.sessions` in SQL: newest first, as list_current_sessions orders them."""
    row = Row.of(BrowserSession)
    return Source(
        row,
        froms=[row.entity],
        where=[row.entity.member_id == parent.col("id"), *_current(row)],
        order_by=[row.entity.created_at.desc(), row.entity.id.desc()],
    )


@node_type(
    "MemberSession",
    description="A browser signed in as a member: current sessions only (not ended, not "
    "expired). Seen by admins and by the member themself.",
)
class MemberSessionNode(Node):
    member_db_id: strawberry.Private[uuid.UUID]
    identity_provider_db_id: strawberry.Private[uuid.UUID | None]
    created_at: datetime = strawberry.field(description="When the sign-in opened it.")
    last_seen_at: datetime = strawberry.field(
        description="Its last use, to the minute (renewals are written at most once a minute)."
    )
    expires_at: datetime = strawberry.field(
        description="When it ends unless used again (STEWARD_SESSION_IDLE_MINUTES after its "
        "last use, never beyond STEWARD_SESSION_MAX_HOURS after sign-in)."
    )
    client_address: str | None = strawberry.field(
        description="The browser's IP address at sign-in (behind trusted proxies, the "
        "forwarded one); null for sessions older than this field."
    )
    user_agent: str | None = strawberry.field(
        description="The browser's User-Agent header at sign-in, cut to 256 characters; null "
        "when it sent none."
    )

    identity_provider = link(
        m.IdentityProvider,
        "identity_provider_id",
        "schema.identity.types:IdentityProviderNode",
        "The provider signed in through; null for anyone but admins (who alone "
        "see providers) and when it was removed since.",
    )

    member = link(
        m.Member,
        "member_id",
        "schema.members.types:MemberNode",
        "The member signed in.",
    )


async def session_by_id(info: Info, session_id: uuid.UUID) -> SessionView | None:
    """One current session the principal may see, batched; None otherwise."""
    principal = info.context.principal

    async def batch(ids: list[uuid.UUID]) -> list[SessionView | None]:
        views = await list_current_sessions(info.context.db, tenant=principal.tenant, ids=ids)
        found = {v.id: v for v in views if may_see_session(principal, v.member_id)}
        return [found.get(i) for i in ids]

    result: SessionView | None = await loader(info, "member_session.by_id", batch).load(session_id)
    return result


async def sessions_of(info: Info, member_id: uuid.UUID) -> list[MemberSessionNode]:
    """`Member.sessions`, batched across the members of one response."""
    principal = info.context.principal

    async def batch(ids: list[uuid.UUID]) -> list[list[SessionView]]:
        wanted = [i for i in ids if may_see_session(principal, i)]
        views = (
            await list_current_sessions(info.context.db, tenant=principal.tenant, member_ids=wanted)
            if wanted
            else []
        )
        return [[v for v in views if v.member_id == i] for i in ids]

    views: list[SessionView] = await loader(info, "member.sessions", batch).load(member_id)
    return [MemberSessionNode.from_model(v) for v in views]


SESSIONS_SQL = sql(Related(lambda row, _: member_sessions_source(row)))

register_node(MemberSessionNode, BrowserSession, load=session_by_id, source=session_source)
