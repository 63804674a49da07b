"""trusted documents: the GraphQL documents front-end builds registered (2026-12-01)

Platform-wide (every tenant runs the same front end) and read only by the login
role, so no tenant role is granted anything on it and it needs no row security.
"""

import sqlalchemy as sa
from alembic import op

from tenants.migrations import columns as c

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table(
        "trusted_documents",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("operation_name", sa.Text()),
        sa.Column("client_name", sa.String(200)),
        c.now("created_at"),
        sa.PrimaryKeyConstraint("sha256", name="pk_trusted_documents"),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="ck_trusted_documents_sha256_hex"),
        schema="public",
    )


def downgrade() -> None:
    op.drop_table("trusted_documents", schema="public")
