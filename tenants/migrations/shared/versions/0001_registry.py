"""tenant registry and api tokens (2026-12-01)"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tenants.migrations import columns as c

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "tenants",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True),
        sa.Column("slug", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("schema_name", sa.String(63), nullable=False),
        sa.Column("role_name", sa.String(63), nullable=False),
        sa.Column("schema_revision", sa.String(32)),
        c.now("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_tenants"),
        sa.UniqueConstraint("slug", name="uq_tenants_slug"),
        sa.UniqueConstraint("schema_name", name="uq_tenants_schema_name"),
        sa.UniqueConstraint("role_name", name="uq_tenants_role_name"),
        schema="public",
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True),
        c.tenant_id("api_tokens"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("client_organisation_id", postgresql.UUID(as_uuid=True)),
        sa.Column("scopes", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        c.now("created_at"),
        sa.Column("expires_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
        schema="public",
    )
    op.create_index("ix_api_tokens_tenant_id", "api_tokens", ["tenant_id"], schema="public")


def downgrade() -> None:
    op.drop_table("api_tokens", schema="public")
    op.drop_table("tenants", schema="public")
