"""Creating and dropping tenants in committed steps, each undone if a later one fails.

Provisioning is four transactions, not one: on Citus a schema's DDL reaches the worker
node over Citus's own connections, where a role or schema that is not yet committed
does not exist (`role "st_…" does not exist`), and `DROP SCHEMA` as the tenant role
cannot share a transaction with `DROP ROLE`. The same steps run on plain PostgreSQL,
so the one code path is the one the suite tests (tests/tenants/test_provisioning_steps.py
fails each step in turn and finds nothing left behind).

The registry row is written by the last step, in the transaction that builds the
tenant's tables: until it commits no request, job or `steward tenants migrate` can see
the tenant, so a half-made tenant is never served. A crash between steps (the process
killed, not an exception) leaves a role and perhaps a schema without a registry row:
`steward tenants drop SLUG` removes them, and `create` says so.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from functools import partial

import structlog
from sqlalchemy import delete, insert, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from tenants.ddl import send_ddl
from tenants.migrate import create_tenant_schema_objects, upgrade_tenant
from tenants.registry import Tenant, TenantRef, get_tenant
from tenants.roles import (
    RoleExistsError,
    TenantRoleLogin,
    citus_present,
    create_tenant_role,
    drop_tenant_role,
    role_exists,
    roles_matching,
)
from tenants.services.assessments import ensure_default_dimensions
from tenants.session import bind_connection
from tenants.slugs import quote_ident, role_name, role_name_pattern, schema_name, validate_slug


class TenantExistsError(ValueError):
    """A tenant with this slug is already registered."""


class TenantNotFoundError(LookupError):
    """No tenant with this slug is registered."""


AfterMigrate = Callable[[AsyncConnection, TenantRef], Awaitable[None]]
# Called with a step's name once that step has committed (tests fail each in turn).
AfterStep = Callable[[str], Awaitable[None]]
StepAction = Callable[[AsyncConnection], Awaitable[None]]

log = structlog.get_logger("steward.tenants.provisioning")


async def _seed_defaults(conn: AsyncConnection, ref: TenantRef) -> None:
    """Tenant data every consultancy starts with: the default capability dimensions.

    `ref` carries the revision the schema just reached, so these statements are the
    shared ones (tenants/session.py), prepared once per connection rather than once
    per tenant as schema-qualified text would be.
    """
    bound = await bind_connection(conn, ref)
    session = AsyncSession(bind=bound)
    try:
        await ensure_default_dimensions(session)
        await session.flush()
    finally:
        await session.close()
    await conn.execute(text("SET LOCAL ROLE NONE"))
    await conn.execute(text("SET LOCAL search_path TO DEFAULT"))


# What a tenant role may do on the shared credential tables, limited to its own
# rows by row-level security (tenants/registry.py), so that deactivating a member
# revokes their sessions and tokens in the tenant's own transaction. Column
# grants keep digests out of reach: a tenant transaction can list, issue and
# revoke credentials but never read a token or session hash.
PLATFORM_GRANTS = (
    "GRANT USAGE ON SCHEMA public TO {role}",
    "GRANT SELECT (id, tenant_id, tenant_role, member_id, name, role, client_organisation_id,"
    " scopes, prefix, created_at, expires_at, revoked_at, last_used_at),"
    " INSERT, UPDATE (revoked_at) ON public.api_tokens TO {role}",
    "GRANT SELECT (id, tenant_id, tenant_role, member_id, member_name, role,"
    " client_organisation_id, created_at, expires_at, last_seen_at, revoked_at,"
    " identity_provider_id, client_address, user_agent, sid),"
    " INSERT, UPDATE (revoked_at, role, client_organisation_id)"
    " ON public.browser_sessions TO {role}",
)


def platform_grants(role: str) -> list[str]:
    """The statements that let a tenant role reach its own rows of the credential tables."""
    return [statement.format(role=quote_ident(role)) for statement in PLATFORM_GRANTS]


async def revoke_platform_access(conn: AsyncConnection, role: str) -> None:
    """Undo `platform_grants`; a role with privileges left cannot be dropped."""
    await conn.execute(
        text(f"REVOKE ALL ON public.api_tokens, public.browser_sessions FROM {quote_ident(role)}")
    )
    await conn.execute(text(f"REVOKE USAGE ON SCHEMA public FROM {quote_ident(role)}"))


@dataclass(frozen=True, slots=True)
class Step:
    """One committed transaction of provisioning and the transaction that undoes it.

    `durable=False`: the step commits without waiting for its WAL to reach disk
    (`synchronous_commit` off, for that transaction only). Its effects are visible to
    other connections at once all the same (Citus's need), and the last step, which
    is durable, flushes the WAL up to and past it: WAL reaches disk in order, so once
    the registry row is durable every earlier step is too. A crash before that may
    lose an earlier step, which is the same as the crash between steps the module
    docstring describes, or keep it, the same again. Saves an fsync per step.
    """

    name: str
    do: StepAction
    undo: StepAction
    durable: bool = True


async def _as_tenant(conn: AsyncConnection, ref: TenantRef, statement: str) -> None:
    # As the schema's owner: a login role that is not a superuser holds no rights on
    # it (it inherits nothing from the tenant role).
    await conn.execute(text(f"SET LOCAL ROLE {quote_ident(ref.role_name)}"))
    await conn.execute(text(statement))
    await conn.execute(text("SET LOCAL ROLE NONE"))


_OWNS_SCHEMA = text(
    "SELECT 1 FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner"
    " WHERE n.nspname = :schema AND r.rolname = :role"
)


async def _drop_schema(conn: AsyncConnection, ref: TenantRef) -> None:
    # Only as its owner (a leftover role of another incarnation owns nothing here); no
    # role, no schema it could own.
    owns = await conn.scalar(_OWNS_SCHEMA, {"schema": ref.schema_name, "role": ref.role_name})
    if owns is not None:
        await _as_tenant(conn, ref, f"DROP SCHEMA {quote_ident(ref.schema_name)} CASCADE")


async def _drop_role(conn: AsyncConnection, ref: TenantRef) -> None:
    if await role_exists(conn, ref.role_name):
        await revoke_platform_access(conn, ref.role_name)
        await drop_tenant_role(conn, ref.role_name)


def provisioning_steps(
    ref: TenantRef,
    *,
    login: bool,
    rendered: bool = True,
    after_migrate: AfterMigrate | None = None,
) -> list[Step]:
    """role → schema → grants → tables and registry row; `undo` of each reverses it.

    `rendered`: build the tables with the whole history as one script in one round trip
    (tenants/migrate.py), else revision by revision as `steward tenants migrate` does;
    the catalogs are the same (tests/tenants/test_provisioning.py). Citus needs the
    latter: it forwards some DDL to the worker with the text of the query it came in,
    and the worker refuses a forwarded text holding several commands.
    """
    schema = quote_ident(ref.schema_name)

    async def role(conn: AsyncConnection) -> None:
        try:
            await create_tenant_role(conn, ref.role_name, login=login, together=rendered)
        except RoleExistsError as exc:
            raise _role_exists(ref) from exc

    async def make_schema(conn: AsyncConnection) -> None:
        await conn.execute(
            text(f"CREATE SCHEMA {schema} AUTHORIZATION {quote_ident(ref.role_name)}")
        )

    async def grants(conn: AsyncConnection) -> None:
        # Not in the schema's transaction: Citus sends the tenant role's statements to
        # the worker over a connection of that role, which cannot see the schema the
        # login role's connection created there until it commits. A new schema grants
        # PUBLIC nothing by default; this REVOKE also undoes any ALTER DEFAULT PRIVILEGES.
        # As the schema's owner: a login role that is not a superuser holds no rights on
        # it (it inherits nothing from the tenant role).
        as_owner = [
            f"SET LOCAL ROLE {quote_ident(ref.role_name)}",
            f"REVOKE ALL ON SCHEMA {schema} FROM PUBLIC",
            "SET LOCAL ROLE NONE",
        ]
        await send_ddl(conn, as_owner + platform_grants(ref.role_name), together=rendered)

    async def tables(conn: AsyncConnection) -> None:
        await _register(conn, ref)
        if rendered:
            reached = await create_tenant_schema_objects(conn, ref)
        else:
            reached = await upgrade_tenant(conn, ref)
        migrated = replace(ref, schema_revision=reached)
        await _seed_defaults(conn, migrated)
        if after_migrate is not None:
            await after_migrate(conn, migrated)

    return [
        Step("role", role, partial(_drop_role, ref=ref), durable=False),
        Step("schema", make_schema, partial(_drop_schema, ref=ref), durable=False),
        Step("grants", grants, partial(revoke_platform_access, role=ref.role_name), durable=False),
        Step("tables", tables, partial(_unregister, ref=ref)),
    ]


def _role_exists(ref: TenantRef) -> TenantExistsError:
    return TenantExistsError(
        f"role {ref.role_name} already exists on this server (a concurrent create of "
        f"{ref.slug!r}, a create that was interrupted, or a database dropped without "
        f"`steward tenants drop`); `steward tenants drop {ref.slug} --yes` removes it"
    )


async def _unregister(conn: AsyncConnection, ref: TenantRef) -> None:
    await conn.execute(delete(Tenant).where(Tenant.id == ref.id))


async def _register(conn: AsyncConnection, ref: TenantRef) -> None:
    # No savepoint: a failure here fails the whole step, whose transaction rolls back.
    try:
        await conn.execute(
            insert(Tenant).values(
                id=ref.id,
                slug=ref.slug,
                name=ref.name,
                schema_name=ref.schema_name,
                role_name=ref.role_name,
            )
        )
    except IntegrityError as exc:  # a concurrent create of the same slug
        raise TenantExistsError(f"tenant {ref.slug!r} already exists") from exc


_NOT_DURABLE = text("SET LOCAL synchronous_commit TO off")


async def run_steps(engine: AsyncEngine, steps: list[Step], after_step: AfterStep | None) -> None:
    """Each step in its own committed transaction; on any failure undo the committed ones.

    The undo runs in reverse, each in its own transaction, and a failing undo does
    not stop the others (it is logged; `steward tenants drop` finishes the job).
    """
    done: list[Step] = []
    try:
        for step in steps:
            async with engine.connect() as conn, conn.begin():
                if not step.durable:
                    await conn.execute(_NOT_DURABLE)
                await step.do(conn)
            done.append(step)
            if after_step is not None:
                await after_step(step.name)
    except BaseException:
        for step in reversed(done):
            try:
                async with engine.connect() as conn, conn.begin():
                    await step.undo(conn)
            except Exception as undo_error:  # keep undoing the earlier steps
                log.error("tenant_provisioning_undo_failed", step=step.name, error=str(undo_error))
        raise


async def create_tenant(
    engine: AsyncEngine,
    *,
    slug: str,
    name: str,
    after_migrate: AfterMigrate | None = None,
    role_login: TenantRoleLogin = TenantRoleLogin.AUTO,
    after_step: AfterStep | None = None,
) -> TenantRef:
    """Create the tenant's role, schema, grants, tables and registry row, all or nothing.

    In committed steps (module docstring): if any step fails (or `after_migrate`, used
    to seed data, or `after_step` raises) the steps already committed are undone.
    """
    validate_slug(slug)
    name = name.strip()
    if not name or len(name) > 200:
        raise ValueError("invalid tenant name: use 1 to 200 characters")
    tenant_id = uuid.uuid4()
    async with engine.connect() as conn:
        if await get_tenant(conn, slug) is not None:
            raise TenantExistsError(f"tenant {slug!r} already exists")
        database = str(await conn.scalar(text("SELECT current_database()")))
        citus = await citus_present(conn)
        # A role of an earlier incarnation without a registry row: an interrupted create
        # or a database dropped without `steward tenants drop` (its schema may be left).
        leftover = await roles_matching(conn, role_name_pattern(slug, database))
    ref = TenantRef(tenant_id, slug, name, schema_name(slug), role_name(slug, database, tenant_id))
    if leftover:
        raise _role_exists(replace(ref, role_name=leftover[0]))
    steps = provisioning_steps(
        ref, login=role_login.resolve(citus), rendered=not citus, after_migrate=after_migrate
    )
    await run_steps(engine, steps, after_step)
    # Read back with the revision the schema reached: sessions of a tenant whose
    # revision is known share prepared statements (tenants/session.py).
    async with engine.connect() as conn:
        return await get_tenant(conn, slug) or ref


async def drop_tenant(engine: AsyncEngine, *, slug: str) -> None:
    """Drop a tenant's registry row (with its tokens), then its schema, then its role.

    Three transactions: the row first, so the tenant stops being served at once;
    `DROP SCHEMA` as the tenant role and `DROP ROLE` apart, as Citus requires. A slug
    with no registry row but a role left by an interrupted create is cleaned up too.
    """
    async with engine.connect() as conn, conn.begin():
        ref = await get_tenant(conn, slug)
        if ref is not None:
            await conn.execute(delete(Tenant).where(Tenant.id == ref.id))
            refs = [ref]
        else:
            refs = await _leftovers(conn, slug)
    for each in refs:
        async with engine.connect() as conn, conn.begin():
            await _drop_schema(conn, each)
        async with engine.connect() as conn, conn.begin():
            await _drop_role(conn, each)


async def _leftovers(conn: AsyncConnection, slug: str) -> list[TenantRef]:
    """An unregistered slug's roles of any incarnation, with the schema they may own."""
    try:
        validate_slug(slug)
    except ValueError:
        raise TenantNotFoundError(f"tenant {slug!r} does not exist") from None
    database = str(await conn.scalar(text("SELECT current_database()")))
    roles = await roles_matching(conn, role_name_pattern(slug, database))
    if not roles:
        raise TenantNotFoundError(f"tenant {slug!r} does not exist")
    return [TenantRef(uuid.uuid4(), slug, slug, schema_name(slug), role) for role in roles]
