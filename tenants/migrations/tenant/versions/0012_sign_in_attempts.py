"""sign-in attempts an administrator can read (issue 10)

One row per login attempt that reached the tenant: when, which provider, the outcome
and the refusal's reason code, and who when known (see tenants/models/sign_in.py).
Pruned by the worker's sweeper after STEWARD_SIGNIN_ATTEMPT_RETENTION_DAYS.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

T = "sign_in_attempts"


def upgrade() -> None:
    op.create_table(
        T,
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "occurred_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "outcome",
            sa.Enum(
                "succeeded",
                "refused",
                name="sign_in_outcome",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=64), nullable=True),
        sa.Column("identity_provider_id", sa.UUID(), nullable=True),
        sa.Column("identity_provider_name", sa.String(length=200), nullable=True),
        sa.Column("member_id", sa.UUID(), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("email_domain", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["identity_provider_id"],
            ["identity_providers.id"],
            name=op.f("fk_sign_in_attempts_identity_provider_id_identity_providers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_sign_in_attempts_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_attempts")),
    )
    op.create_index("ix_sign_in_attempts_occurred_at_id", T, ["occurred_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_sign_in_attempts_occurred_at_id", table_name=T)
    op.drop_table(T)
