"""`Authorization: Bearer <token>` to a Principal. The tenant comes from the token only."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from tenants.principals import Principal, PrincipalKind, Role
from tenants.tokens import lookup_token


def bearer_secret(headers: list[tuple[bytes, bytes]]) -> str | None:
    for name, value in headers:
        if name == b"authorization":
            scheme, _, credential = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and credential.strip():
                return credential.strip()
            return None
    return None


async def principal_from_token(engine: AsyncEngine, secret: str) -> Principal | None:
    """The principal of a live token, or None for an unknown, revoked or expired one."""
    token = await lookup_token(engine, secret)
    if token is None:
        return None
    return Principal(
        kind=PrincipalKind.API_TOKEN,
        id=token.id,
        name=token.name,
        role=Role(token.role),
        tenant=token.tenant,
        client_organisation_id=token.client_organisation_id,
        scopes=token.scopes,
        member_id=token.member_id,
    )
