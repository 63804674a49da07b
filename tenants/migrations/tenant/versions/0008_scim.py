"""SCIM provisioning per identity provider (issue 10): SCIM tokens and SCIM user resources

`scim_tokens` holds digests of the bearer tokens a provider's SCIM client presents;
`scim_users` links a member to the provider that provisioned it and keeps the SCIM
attributes that have no member column.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _now(name: str) -> sa.Column[Any]:
    return sa.Column(
        name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "scim_tokens",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("identity_provider_id", sa.UUID(), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        _now("created_at"),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["identity_provider_id"],
            ["identity_providers.id"],
            name=op.f("fk_scim_tokens_identity_provider_id_identity_providers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scim_tokens")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_scim_tokens_token_digest")),
    )
    op.create_index("ix_scim_tokens_identity_provider_id", "scim_tokens", ["identity_provider_id"])
    op.create_table(
        "scim_users",
        sa.Column("member_id", sa.UUID(), nullable=False),
        sa.Column("identity_provider_id", sa.UUID(), nullable=False),
        sa.Column("external_id", sa.String(length=500), nullable=True),
        sa.Column("attributes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        _now("created_at"),
        _now("updated_at"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["identity_provider_id"],
            ["identity_providers.id"],
            name=op.f("fk_scim_users_identity_provider_id_identity_providers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_scim_users_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_scim_users")),
    )
    op.create_index("ix_scim_users_identity_provider_id", "scim_users", ["identity_provider_id"])


def downgrade() -> None:
    op.drop_index("ix_scim_users_identity_provider_id", table_name="scim_users")
    op.drop_table("scim_users")
    op.drop_index("ix_scim_tokens_identity_provider_id", table_name="scim_tokens")
    op.drop_table("scim_tokens")
