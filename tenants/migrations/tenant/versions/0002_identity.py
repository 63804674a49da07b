"""identity: members, identity providers and login attempts

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 08:21:38.290229
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "identity_providers",
        sa.Column("client_organisation_id", sa.UUID(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("client_id", sa.String(length=500), nullable=False),
        sa.Column("client_secret_encrypted", sa.Text(), nullable=False),
        sa.Column("scopes", sa.ARRAY(sa.Text()), nullable=False),
        sa.Column("allowed_domains", sa.ARRAY(sa.Text()), nullable=False),
        sa.Column("claim_role_mapping", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "default_role",
            sa.Enum(
                "admin",
                "consultant",
                "viewer",
                "client_owner",
                "client_viewer",
                name="default_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(default_role IN ('client_owner', 'client_viewer')) = (client_organisation_id IS NOT NULL)",
            name=op.f("ck_identity_providers_default_role_matches_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["client_organisation_id"],
            ["client_organisations.id"],
            name=op.f("fk_identity_providers_client_organisation_id_client_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_providers")),
        sa.UniqueConstraint("issuer", "client_id", name="uq_identity_providers_issuer_client_id"),
    )
    op.create_index(
        "ix_identity_providers_client_organisation_id",
        "identity_providers",
        ["client_organisation_id"],
        unique=False,
    )
    op.create_index(
        "uq_identity_providers_staff",
        "identity_providers",
        [sa.literal_column("(client_organisation_id IS NULL)")],
        unique=True,
        postgresql_where=sa.text("client_organisation_id IS NULL"),
    )
    op.create_table(
        "members",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column(
            "role",
            sa.Enum(
                "admin",
                "consultant",
                "viewer",
                "client_owner",
                "client_viewer",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("client_organisation_id", sa.UUID(), nullable=True),
        sa.Column("issuer", sa.String(length=500), nullable=True),
        sa.Column("subject", sa.String(length=255), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "invited",
                "active",
                "deactivated",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(role IN ('client_owner', 'client_viewer')) = (client_organisation_id IS NOT NULL)",
            name=op.f("ck_members_role_matches_organisation"),
        ),
        sa.CheckConstraint(
            "status <> 'active' OR issuer IS NOT NULL", name=op.f("ck_members_active_is_linked")
        ),
        sa.CheckConstraint(
            "(issuer IS NULL) = (subject IS NULL)", name=op.f("ck_members_identity_pair")
        ),
        sa.ForeignKeyConstraint(
            ["client_organisation_id"],
            ["client_organisations.id"],
            name=op.f("fk_members_client_organisation_id_client_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("issuer", "subject", name="uq_members_issuer_subject"),
    )
    op.create_index(
        "ix_members_client_organisation_id", "members", ["client_organisation_id"], unique=False
    )
    op.create_index("ix_members_created_at_id", "members", ["created_at", "id"], unique=False)
    op.create_index(
        "uq_members_email_live",
        "members",
        [sa.literal_column("lower(email)")],
        unique=True,
        postgresql_where=sa.text("status <> 'deactivated'"),
    )
    op.create_table(
        "login_attempts",
        sa.Column("state_hash", sa.String(length=64), nullable=False),
        sa.Column("nonce", sa.String(length=128), nullable=False),
        sa.Column("code_verifier", sa.String(length=128), nullable=False),
        sa.Column("identity_provider_id", sa.UUID(), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("next_path", sa.String(length=2000), nullable=False),
        sa.Column("browser_binding_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["identity_provider_id"],
            ["identity_providers.id"],
            name=op.f("fk_login_attempts_identity_provider_id_identity_providers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
        sa.UniqueConstraint("state_hash", name=op.f("uq_login_attempts_state_hash")),
    )
    op.create_index("ix_login_attempts_expires_at", "login_attempts", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_login_attempts_expires_at", table_name="login_attempts")
    op.drop_table("login_attempts")
    op.drop_index(
        "uq_members_email_live",
        table_name="members",
        postgresql_where=sa.text("status <> 'deactivated'"),
    )
    op.drop_index("ix_members_created_at_id", table_name="members")
    op.drop_index("ix_members_client_organisation_id", table_name="members")
    op.drop_table("members")
    op.drop_index(
        "uq_identity_providers_staff",
        table_name="identity_providers",
        postgresql_where=sa.text("client_organisation_id IS NULL"),
    )
    op.drop_index("ix_identity_providers_client_organisation_id", table_name="identity_providers")
    op.drop_table("identity_providers")
