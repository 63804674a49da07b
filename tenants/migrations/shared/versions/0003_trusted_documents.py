"""trusted documents: the GraphQL documents front-end builds registered

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Platform-wide (every tenant runs the same front end) and read only by the login
role, so no tenant role is granted anything on it and it needs no row security.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trusted_documents",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("operation_name", sa.Text()),
        sa.Column("client_name", sa.String(200)),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("sha256", name="pk_trusted_documents"),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="ck_trusted_documents_sha256_hex"),
        schema="public",
    )


def downgrade() -> None:
    op.drop_table("trusted_documents", schema="public")
