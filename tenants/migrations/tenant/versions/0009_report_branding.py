"""report branding and language (issue 11)

One row per tenant schema: the consultancy's name, logo, accent colour, footer and
confidentiality lines, time zone and locale for its readiness reports; and the language
a readiness report was requested in.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_brandings",
        sa.Column("id", sa.SmallInteger(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("accent_colour", sa.String(length=7), nullable=False),
        sa.Column("footer_text", sa.String(length=300), nullable=True),
        sa.Column("confidentiality_text", sa.String(length=300), nullable=True),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_type", sa.String(length=40), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
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
            "accent_colour ~ '^#[0-9a-f]{6}$'", name=op.f("ck_report_brandings_accent_colour_hex")
        ),
        sa.CheckConstraint(
            "(logo IS NULL) = (logo_type IS NULL)", name=op.f("ck_report_brandings_logo_with_type")
        ),
        sa.CheckConstraint("id = 1", name=op.f("ck_report_brandings_singleton")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_brandings")),
    )
    op.add_column("readiness_reports", sa.Column("locale", sa.String(length=10), nullable=True))


def downgrade() -> None:
    op.drop_column("readiness_reports", "locale")
    op.drop_table("report_brandings")
