"""Tenant roles: whether they may log in, and the grants that tie them to the login role.

A tenant role is only ever taken with `SET LOCAL ROLE` by the application's login role.
On plain PostgreSQL it is NOLOGIN. On Citus it must be LOGIN: Citus opens its
connections to the worker holding a distributed schema as the *current* user, which
after `SET LOCAL ROLE` is the tenant role, and a NOLOGIN role is refused there
("not permitted to log in"). A LOGIN tenant role never has a password; what keeps it
unusable from outside is written in infra/SCALE_OUT.md (threat model).
"""

from __future__ import annotations

from enum import StrEnum

import asyncpg
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncConnection

from tenants.ddl import send_ddl
from tenants.slugs import quote_ident


class TenantRoleLogin(StrEnum):
    """STEWARD_TENANT_ROLE_LOGIN: may tenant roles log in?"""

    AUTO = "auto"  # LOGIN exactly when the database runs Citus, NOLOGIN on plain PostgreSQL
    LOGIN = "login"
    NOLOGIN = "nologin"

    def resolve(self, citus: bool) -> bool:
        """True when new tenant roles get LOGIN, given whether the database runs Citus."""
        if self is TenantRoleLogin.AUTO:
            return citus
        return self is TenantRoleLogin.LOGIN


# Every tenant role is a member of this NOLOGIN group, which holds no privileges (and
# tenant roles are NOINHERIT): it exists so that pg_hba.conf can name all tenant roles
# at once (`+steward_tenants`), e.g. to reject them from anywhere but the cluster's nodes.
TENANT_GROUP = "steward_tenants"


class RoleExistsError(ValueError):
    """The tenant's role already exists on this server."""


async def citus_present(conn: AsyncConnection) -> bool:
    """Whether the connected database has the citus extension (the one Citus-specific probe)."""
    found = await conn.scalar(text("SELECT 1 FROM pg_extension WHERE extname = 'citus'"))
    return found is not None


async def role_exists(conn: AsyncConnection, role: str) -> bool:
    found = await conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
    return found is not None


async def roles_matching(conn: AsyncConnection, pattern: str) -> list[str]:
    """The roles whose names match the regular expression `pattern`, in name order."""
    rows = await conn.scalars(
        text("SELECT rolname FROM pg_roles WHERE rolname ~ :p ORDER BY rolname"), {"p": pattern}
    )
    return list(rows)


def _login_clause(login: bool) -> str:
    # PASSWORD NULL spelt out: a LOGIN tenant role must never be reachable by password.
    return "LOGIN PASSWORD NULL" if login else "NOLOGIN"


async def create_tenant_role(
    conn: AsyncConnection, role: str, *, login: bool, together: bool = False
) -> None:
    """Create the role and let the current (login) role SET ROLE to it without inheriting it.

    NOINHERIT and, on PostgreSQL 16+, INHERIT FALSE on the grant: a transaction that
    forgot SET LOCAL ROLE cannot reach tenant data (on 15, make the login role NOINHERIT).
    `together`: the three statements in one round trip (tenants/ddl.py). A role that
    exists fails the statement and with it the caller's transaction: provisioning's
    step rolls back whole, so no savepoint is needed to carry on.
    """
    await _ensure_tenant_group(conn)  # also opens the transaction on the driver connection
    grant = f"GRANT {quote_ident(role)} TO CURRENT_USER"
    if (conn.dialect.server_version_info or (0,)) >= (16,):  # read at connect, no round trip
        grant += " WITH INHERIT FALSE, SET TRUE"
    statements = [
        f"CREATE ROLE {quote_ident(role)} {_login_clause(login)} NOINHERIT",
        f"GRANT {TENANT_GROUP} TO {quote_ident(role)}",
        grant,
    ]
    try:
        await send_ddl(conn, statements, together=together)
    except (DBAPIError, asyncpg.PostgresError) as exc:
        # SQLAlchemy's error (one statement at a time) carries the driver's in `orig`.
        if getattr(getattr(exc, "orig", exc), "sqlstate", None) in _ROLE_TAKEN:
            raise RoleExistsError(role) from exc
        raise


# duplicate_object: the role exists; unique_violation: a concurrent create of the same
# role committed first. Roles are cluster-wide, so it may also be left by a database
# dropped without `steward tenants drop`.
_ROLE_TAKEN = frozenset({"42710", "23505"})


async def _ensure_tenant_group(conn: AsyncConnection) -> None:
    """Create TENANT_GROUP on first use."""
    if not await role_exists(conn, TENANT_GROUP):
        try:
            async with conn.begin_nested():
                await conn.execute(text(f"CREATE ROLE {TENANT_GROUP} NOLOGIN NOINHERIT"))
        except (ProgrammingError, IntegrityError):
            pass  # created meanwhile by a concurrent create in another database


async def _join_tenant_group(conn: AsyncConnection, role: str) -> None:
    """Make `role` a member of TENANT_GROUP, creating the group on first use."""
    await _ensure_tenant_group(conn)
    await conn.execute(text(f"GRANT {TENANT_GROUP} TO {quote_ident(role)}"))


async def align_tenant_role(conn: AsyncConnection, role: str, *, login: bool) -> None:
    """Give an existing tenant role what provisioning gives a new one today.

    For `steward tenants migrate`: LOGIN without a password (or NOLOGIN) as the setting
    says, e.g. after the database moved onto Citus, and membership of TENANT_GROUP for
    roles made before the group existed, so the pg_hba.conf rules cover them too.
    """
    current = await conn.scalar(
        text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :r"), {"r": role}
    )
    if current is None:
        return
    if bool(current) != login:
        await conn.execute(text(f"ALTER ROLE {quote_ident(role)} {_login_clause(login)}"))
    member = await conn.scalar(
        text(
            "SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
            " JOIN pg_roles r ON r.oid = m.member WHERE g.rolname = :g AND r.rolname = :r"
        ),
        {"g": TENANT_GROUP, "r": role},
    )
    if member is None:
        await _join_tenant_group(conn, role)


async def drop_tenant_role(conn: AsyncConnection, role: str) -> None:
    """Drop the role if it exists; PostgreSQL refuses while it still owns anything."""
    if await role_exists(conn, role):
        await conn.execute(text(f"DROP ROLE {quote_ident(role)}"))
