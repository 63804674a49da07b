"""honest health reports, requested health reports, webhook events (issue 11) (2026-12-02)

Health reports asked for with `requestEngagementHealthReport` carry the request's id
(unique, so a retried job writes one report); the one-report-per-client-and-period rule
now applies to scheduled reports only (a partial unique index). Webhook deliveries name
their event and Standard Webhooks message id, and may be about a readiness report.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"

H, D = "engagement_health_reports", "webhook_deliveries"


def upgrade() -> None:
    op.add_column(H, sa.Column("request_id", sa.UUID(), nullable=True))
    op.create_unique_constraint(op.f("uq_engagement_health_reports_request_id"), H, ["request_id"])
    op.drop_constraint("uq_engagement_health_reports_client_period", H, type_="unique")
    op.create_index(
        "uq_engagement_health_reports_client_period",
        H,
        ["client_id", "period_start"],
        unique=True,
        postgresql_where=sa.text("request_id IS NULL"),
    )
    op.add_column(
        D,
        sa.Column(
            "event",
            sa.String(length=64),
            server_default="health_report.created",
            nullable=False,
        ),
    )
    op.add_column(D, sa.Column("message_id", sa.String(length=100), nullable=True))
    # Earlier attempts were all about health reports: one message per report.
    op.execute(
        "UPDATE webhook_deliveries SET message_id = 'msg_' || replace(report_id::text, '-', '')"
    )
    op.alter_column(D, "message_id", nullable=False)
    op.add_column(D, sa.Column("readiness_report_id", sa.UUID(), nullable=True))
    op.alter_column(D, "report_id", nullable=True)
    op.create_foreign_key(
        op.f("fk_webhook_deliveries_readiness_report_id_readiness_reports"),
        D,
        "readiness_reports",
        ["readiness_report_id"],
        ["id"],
    )
    op.create_check_constraint(
        op.f("ck_webhook_deliveries_one_subject"),
        D,
        "num_nonnulls(report_id, readiness_report_id) = 1",
    )
    op.create_index(
        "ix_webhook_deliveries_message_id_attempt", D, ["message_id", "attempt"], unique=False
    )
    op.create_index(
        "ix_webhook_deliveries_attempted_at_id", D, ["attempted_at", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_attempted_at_id", table_name=D)
    op.drop_index("ix_webhook_deliveries_message_id_attempt", table_name=D)
    op.drop_constraint(op.f("ck_webhook_deliveries_one_subject"), D, type_="check")
    op.drop_constraint(
        op.f("fk_webhook_deliveries_readiness_report_id_readiness_reports"), D, type_="foreignkey"
    )
    op.execute("DELETE FROM webhook_deliveries WHERE report_id IS NULL")
    op.alter_column(D, "report_id", nullable=False)
    op.drop_column(D, "readiness_report_id")
    op.drop_column(D, "message_id")
    op.drop_column(D, "event")
    op.drop_index("uq_engagement_health_reports_client_period", table_name=H)
    # Requested reports may share a period with a scheduled one: they cannot go back.
    op.execute(
        "DELETE FROM webhook_deliveries WHERE report_id IN "
        "(SELECT id FROM engagement_health_reports WHERE request_id IS NOT NULL)"
    )
    op.execute("DELETE FROM engagement_health_reports WHERE request_id IS NOT NULL")
    op.create_unique_constraint(
        "uq_engagement_health_reports_client_period", H, ["client_id", "period_start"]
    )
    op.drop_constraint(op.f("uq_engagement_health_reports_request_id"), H, type_="unique")
    op.drop_column(H, "request_id")
