"""report branding and language (issue 11) (2026-12-02)

One row per tenant schema: the consultancy's name, logo, accent colour, footer and
confidentiality lines, time zone and locale for its readiness reports; and the language
a readiness report was requested in.
"""

import sqlalchemy as sa
from alembic import op

from tenants.migrations import columns as c

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    op.create_table(
        "report_brandings",
        sa.Column("id", sa.SmallInteger(), nullable=False),
        c.string("name", 200),
        c.string("accent_colour", 7),
        c.string("footer_text", 300, nullable=True),
        c.string("confidentiality_text", 300, nullable=True),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        c.string("logo_type", 40, nullable=True),
        c.string("timezone", 64),
        c.string("locale", 10),
        *c.versioned(),
        c.check("report_brandings", "accent_colour_hex", "accent_colour ~ '^#[0-9a-f]{6}$'"),
        c.check("report_brandings", "logo_with_type", "(logo IS NULL) = (logo_type IS NULL)"),
        c.check("report_brandings", "singleton", "id = 1"),
        c.pk("report_brandings"),
    )
    op.add_column("readiness_reports", c.string("locale", 10, nullable=True))


def downgrade() -> None:
    op.drop_column("readiness_reports", "locale")
    op.drop_table("report_brandings")
