"""export jobs with progress, and their files (issue 11) (2026-12-02)

`exports` records each requested export (kind, format, status, rows written of rows in
total, expiry); `export_chunks` holds a finished export's file in numbered pieces, deleted
with the export.
"""

import sqlalchemy as sa
from alembic import op

from tenants.migrations import columns as c

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    c.record_table(
        "exports",
        c.uuid("client_id", nullable=True),
        c.enum("kind", "processes", "owners", "engagement", "tenant"),
        c.enum("format", "csv", "xlsx", "jsonl"),
        c.enum("status", "queued", "running", "succeeded", "failed"),
        c.string("requested_by", 200),
        c.now("requested_at"),
        *(c.stamp(name) for name in ("started_at", "finished_at", "expires_at")),
        sa.Column("rows_written", sa.Integer(), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=True),
        sa.Column("byte_size", sa.BigInteger(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        c.text("failure_reason"),
        c.check("exports", "client_unless_tenant", "(kind = 'tenant') = (client_id IS NULL)"),
        c.check("exports", "attempts_nonnegative", "attempts >= 0"),
        c.check("exports", "rows_written_nonnegative", "rows_written >= 0"),
        c.fk("exports", "client_id", "client_organisations"),
    )
    c.index("exports", "client_id", "requested_at")
    c.index("exports", "requested_at", "id")
    op.create_table(
        "export_chunks",
        c.uuid("export_id"),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        c.fk("export_chunks", "export_id", "exports", ondelete="CASCADE"),
        c.pk("export_chunks", "export_id", "seq"),
    )


def downgrade() -> None:
    op.drop_table("export_chunks")
    c.drop("exports", "ix_exports_requested_at_id", "ix_exports_client_id_requested_at")
