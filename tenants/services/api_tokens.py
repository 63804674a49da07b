"""API tokens managed from inside a tenant transaction (the GraphQL mutations use these).

The rows live in `public.api_tokens`; the tenant role reaches only its own rows
(row-level security), and every query here also filters on the tenant for
clarity. A listing never includes the secret or its digest.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from tenants.errors import forbidden, not_found, validation
from tenants.models import ClientOrganisation, Member, MemberStatus
from tenants.principals import STAFF_ROLES, Role
from tenants.registry import ApiToken, TenantRef
from tenants.services.audit import Actor, record_event
from tenants.services.audit_shape import api_values, diff
from tenants.services.persistence import utcnow
from tenants.services.validation import Collector
from tenants.tokens import IssuedToken, issue_token

_SCOPE = re.compile(r"^[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)?$")
MAX_LIFETIME = timedelta(days=366)


@dataclass(frozen=True, slots=True)
class ApiTokenView:
    id: uuid.UUID
    name: str
    role: Role
    scopes: tuple[str, ...]
    prefix: str
    client_organisation_id: uuid.UUID | None
    member_id: uuid.UUID | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


_COLUMNS = (
    ApiToken.id,
    ApiToken.name,
    ApiToken.role,
    ApiToken.scopes,
    ApiToken.prefix,
    ApiToken.client_organisation_id,
    ApiToken.member_id,
    ApiToken.created_at,
    ApiToken.expires_at,
    ApiToken.revoked_at,
    ApiToken.last_used_at,
)


def _view(row: object) -> ApiTokenView:
    r = row._mapping  # type: ignore[attr-defined]
    return ApiTokenView(
        r["id"],
        r["name"],
        Role(r["role"]),
        tuple(r["scopes"]),
        r["prefix"],
        r["client_organisation_id"],
        r["member_id"],
        r["created_at"],
        r["expires_at"],
        r["revoked_at"],
        r["last_used_at"],
    )


async def _audit(
    session: AsyncSession,
    actor: Actor,
    action: str,
    token_id: uuid.UUID,
    values: dict[str, Any],
    client_id: uuid.UUID | None,
) -> None:
    """Tokens live in `public`: the event is about no tenant row, by the token's API fields."""
    changes = diff(None, api_values(ApiToken, values))
    await record_event(
        session,
        actor=actor,
        action=action,
        object_type="ApiToken",
        object_id=token_id,
        changes=changes,
        client_id=client_id,
    )


async def _lock_member_as_authorized(
    session: AsyncSession, member_id: uuid.UUID, acting_role: Role | None
) -> None:
    """Refuse a token for a member no longer active or no longer in the role the request
    was authorized with, and keep them so until commit.

    Deactivation and role changes revoke a member's tokens with one UPDATE, which cannot
    see a token not yet committed. FOR SHARE on the member orders the two: a change
    under way makes this wait and then see it; one that comes later waits for this
    token to commit, and then revokes it.
    """
    row = (
        await session.execute(
            select(Member.status, Member.role)
            .where(Member.id == member_id)
            .with_for_update(read=True)
        )
    ).first()
    if row is None or row.status is not MemberStatus.ACTIVE:
        raise forbidden("your membership is not active")
    if acting_role is not None and row.role is not acting_role:
        raise forbidden("your role changed since this request was authorized; sign in again")


async def create_api_token(
    session: AsyncSession,
    *,
    actor: Actor,
    tenant: TenantRef,
    name: str,
    role: Role,
    scopes: Sequence[str] = (),
    expires_at: datetime | None = None,
    client_organisation_id: uuid.UUID | None = None,
    member_id: uuid.UUID | None = None,
    acting_role: Role | None = None,
) -> IssuedToken:
    """Issue a token; its secret is returned once and only its digest is stored.

    `member_id` is the member the token belongs to, `acting_role` the role the request
    was authorized with (both from the principal).
    """
    c = Collector()
    label = c.text("name", name)
    checked_role = c.enum("role", Role, role)
    for i, scope in enumerate(scopes):
        if not _SCOPE.fullmatch(scope):
            c.add(f"scopes[{i}]", "must look like area or area:action (lower case)")
    if expires_at is not None:
        now = utcnow()
        if expires_at.tzinfo is None or expires_at <= now:
            c.add("expiresAt", "must be a time in the future, with a time zone")
        elif expires_at > now + MAX_LIFETIME:
            c.add("expiresAt", f"must be within {MAX_LIFETIME.days} days")
    await c.load(session, ClientOrganisation, client_organisation_id, "clientOrganisationId")
    if not c.has("role") and (checked_role in STAFF_ROLES) != (client_organisation_id is None):
        c.add("clientOrganisationId", "client roles need a client organisation; staff roles none")
    c.raise_if_any()
    if member_id is not None:
        await _lock_member_as_authorized(session, member_id, acting_role)
    issued = await issue_token(
        await session.connection(),
        tenant=tenant,
        role=checked_role.value,
        name=label,
        client_organisation_id=client_organisation_id,
        scopes=tuple(dict.fromkeys(scopes)),
        expires_at=expires_at,
        member_id=member_id,
    )
    after: dict[str, Any] = {
        "name": label,
        "role": checked_role,
        "scopes": list(dict.fromkeys(scopes)),
        "prefix": issued.secret[:12],
        "expires_at": expires_at,
        "client_organisation_id": client_organisation_id,
        "member_id": member_id,
    }
    await _audit(session, actor, "create", issued.id, after, client_organisation_id)
    await session.flush()
    return issued


async def revoke_api_token(
    session: AsyncSession, *, actor: Actor, tenant: TenantRef, token_id: uuid.UUID
) -> ApiTokenView:
    """Revoke a live token at once (NOT_FOUND for an unknown one, VALIDATION if already revoked)."""
    row = (
        await session.execute(
            update(ApiToken)
            .where(
                ApiToken.id == token_id,
                ApiToken.tenant_id == tenant.id,
                ApiToken.revoked_at.is_(None),
            )
            .values(revoked_at=utcnow())
            .returning(*_COLUMNS)
        )
    ).first()
    if row is None:
        exists = await session.scalar(
            select(ApiToken.id).where(ApiToken.id == token_id, ApiToken.tenant_id == tenant.id)
        )
        raise validation("id", "is already revoked") if exists else not_found("id")
    view = _view(row)
    await _audit(
        session,
        actor,
        "revoke",
        token_id,
        {"revoked_at": view.revoked_at},
        view.client_organisation_id,
    )
    await session.flush()
    return view


def of_tenant(tenant: TenantRef) -> ColumnElement[bool]:
    """The tenant's own tokens (row-level security says so too; this says it in the SQL)."""
    return ApiToken.tenant_id == tenant.id


async def list_api_tokens(
    session: AsyncSession,
    *,
    tenant: TenantRef,
    ids: Sequence[uuid.UUID] | None = None,
    after: tuple[datetime, uuid.UUID] | None = None,
    before: tuple[datetime, uuid.UUID] | None = None,
    limit: int | None = None,
    from_oldest: bool = False,
) -> list[ApiTokenView]:
    """The tenant's tokens, newest first (then by id, descending), without secrets or digests.

    `ids` selects some; `after` and `before` are (created_at, id) positions in that
    order that the tokens lie between, `limit` the page size; `from_oldest` reads
    from the other end (a backward page: the tokens just before `before`).
    """
    query = select(*_COLUMNS).where(of_tenant(tenant))
    if ids is not None:
        query = query.where(ApiToken.id.in_(ids))
    position = tuple_(ApiToken.created_at, ApiToken.id)
    if after is not None:
        query = query.where(position < tuple_(*after))
    if before is not None:
        query = query.where(position > tuple_(*before))
    if from_oldest:
        query = query.order_by(ApiToken.created_at.asc(), ApiToken.id.asc())
    else:
        query = query.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return [_view(r) for r in await session.execute(query)]


async def count_api_tokens(session: AsyncSession, *, tenant: TenantRef) -> int:
    return int(
        await session.scalar(select(func.count()).select_from(ApiToken).where(of_tenant(tenant)))
        or 0
    )
