"""browser sessions; row-level security on tokens and sessions, keyed on the tenant role (2026-12-01)

Tenant roles get INSERT and column-limited SELECT/UPDATE on public.api_tokens
and public.browser_sessions (never the digests) so that a tenant transaction
can revoke its members' credentials atomically; the policy limits every such statement to rows whose
`tenant_role` is the current role. The login role owns both tables and bypasses
the policy (it is enabled, not forced). See tenants/registry.py.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tenants.migrations import columns as c
from tenants.migrations.grants import to_tenant_roles

revision = "0002"
down_revision = "0001"

TABLES = ("api_tokens", "browser_sessions")
POLICY = "tenant_rows"
# As tenants/provisioning.py grants them to new tenants (copied: a migration
# must not change when the application code does). No digest column is readable.
GRANTS = (
    "GRANT USAGE ON SCHEMA public TO {role}",
    "GRANT SELECT (id, tenant_id, tenant_role, member_id, name, role, client_organisation_id,"
    " scopes, prefix, created_at, expires_at, revoked_at, last_used_at),"
    " INSERT, UPDATE (revoked_at) ON public.api_tokens TO {role}",
    "GRANT SELECT (id, tenant_id, tenant_role, member_id, member_name, role,"
    " client_organisation_id, created_at, expires_at, last_seen_at, revoked_at),"
    " INSERT, UPDATE (revoked_at, role, client_organisation_id)"
    " ON public.browser_sessions TO {role}",
)


def upgrade() -> None:
    op.add_column("api_tokens", sa.Column("tenant_role", sa.String(63)), schema="public")
    op.execute(
        "UPDATE public.api_tokens a SET tenant_role = t.role_name "
        "FROM public.tenants t WHERE t.id = a.tenant_id"
    )
    op.alter_column("api_tokens", "tenant_role", nullable=False, schema="public")
    op.add_column(
        "api_tokens", sa.Column("member_id", postgresql.UUID(as_uuid=True)), schema="public"
    )
    op.create_index("ix_api_tokens_member_id", "api_tokens", ["member_id"], schema="public")

    op.create_table(
        "browser_sessions",
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        c.tenant_id("browser_sessions"),
        sa.Column("tenant_role", sa.String(63), nullable=False),
        sa.Column("member_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("member_name", sa.String(320), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("csrf_hash", sa.String(64), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("client_organisation_id", postgresql.UUID(as_uuid=True)),
        c.now("created_at"),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "last_seen_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_browser_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_browser_sessions_token_hash"),
        schema="public",
    )
    op.create_index(
        "ix_browser_sessions_tenant_id", "browser_sessions", ["tenant_id"], schema="public"
    )
    op.create_index(
        "ix_browser_sessions_member_id", "browser_sessions", ["member_id"], schema="public"
    )

    for table in TABLES:
        op.execute(f"ALTER TABLE public.{table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY {POLICY} ON public.{table} "
            "USING (tenant_role = current_user) WITH CHECK (tenant_role = current_user)"
        )
    to_tenant_roles(*GRANTS)


def downgrade() -> None:
    to_tenant_roles(
        "REVOKE ALL ON public.api_tokens, public.browser_sessions FROM {role}",
        "REVOKE USAGE ON SCHEMA public FROM {role}",
    )
    op.execute(f"DROP POLICY IF EXISTS {POLICY} ON public.api_tokens")
    op.execute("ALTER TABLE public.api_tokens DISABLE ROW LEVEL SECURITY")
    op.drop_table("browser_sessions", schema="public")
    op.drop_index("ix_api_tokens_member_id", table_name="api_tokens", schema="public")
    op.drop_column("api_tokens", "member_id", schema="public")
    op.drop_column("api_tokens", "tenant_role", schema="public")
