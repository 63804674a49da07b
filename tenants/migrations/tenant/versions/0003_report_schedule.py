"""report schedule (2026-12-01)"""

import sqlalchemy as sa
from alembic import op

from tenants.migrations import columns as c

revision = "0003"
down_revision = "0002"


def _range(table: str, column: str, low: int, high: int) -> sa.CheckConstraint:
    return c.check(table, f"{column}_range", f"{column} >= {low} AND {column} <= {high}")


def upgrade() -> None:
    schedules = "report_schedules"
    op.create_table(
        schedules,
        sa.Column("id", sa.SmallInteger(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        *(
            sa.Column(name, sa.SmallInteger(), nullable=False)
            for name in ("weekday", "hour", "minute")
        ),
        c.string("timezone", 64),
        c.string("webhook_url", 2000, nullable=True),
        c.string("webhook_secret", 200, nullable=True),
        *c.versioned(),
        _range(schedules, "hour", 0, 23),
        c.check(schedules, "singleton", "id = 1"),
        _range(schedules, "minute", 0, 59),
        _range(schedules, "weekday", 0, 6),
        c.pk(schedules),
    )
    deliveries = "webhook_deliveries"
    op.create_table(
        deliveries,
        c.uuid("report_id"),
        sa.Column("attempt", sa.Integer(), nullable=False),
        c.string("url", 2000),
        sa.Column("status_code", sa.Integer(), nullable=True),
        c.text("error"),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        c.now("attempted_at"),
        c.uuid(),
        c.check(deliveries, "attempt_positive", "attempt >= 1"),
        c.fk(deliveries, "report_id", "engagement_health_reports"),
        c.pk(deliveries),
    )
    c.index(deliveries, "report_id", "attempt")


def downgrade() -> None:
    c.drop("webhook_deliveries", "ix_webhook_deliveries_report_id_attempt")
    op.drop_table("report_schedules")
