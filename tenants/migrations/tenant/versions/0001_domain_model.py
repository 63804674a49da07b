"""domain model

Revision ID: 0001
Revises:
Create Date: 2026-12-01 08:15:18.763834
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("actor_kind", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("object_type", sa.String(length=64), nullable=False),
        sa.Column("object_id", sa.UUID(), nullable=False),
        sa.Column("client_id", sa.UUID(), nullable=True),
        sa.Column("before", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("after", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index("ix_audit_events_at_seq", "audit_events", ["at", "seq"], unique=False)
    op.create_index(
        "ix_audit_events_client_id_at", "audit_events", ["client_id", "at"], unique=False
    )
    op.create_index(
        "ix_audit_events_object",
        "audit_events",
        ["object_type", "object_id", "at", "seq"],
        unique=False,
    )
    op.create_table(
        "capability_dimensions",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("bar", sa.SmallInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
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
            "bar >= 1 AND bar <= 5", name=op.f("ck_capability_dimensions_bar_range")
        ),
        sa.CheckConstraint(
            "position >= 0", name=op.f("ck_capability_dimensions_position_nonnegative")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capability_dimensions")),
        sa.UniqueConstraint("key", name=op.f("uq_capability_dimensions_key")),
    )
    op.create_table(
        "client_organisations",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("industry", sa.String(length=200), nullable=True),
        sa.Column(
            "size",
            sa.Enum(
                "small",
                "medium",
                "large",
                "enterprise",
                name="size",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("region", sa.String(length=200), nullable=True),
        sa.Column(
            "engagement_status",
            sa.Enum(
                "prospect",
                "active",
                "paused",
                "completed",
                name="engagement_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("engagement_start", sa.Date(), nullable=True),
        sa.Column("engagement_end", sa.Date(), nullable=True),
        sa.Column("lead_consultant", sa.String(length=200), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
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
            "engagement_end IS NULL OR engagement_start IS NULL OR engagement_end >= engagement_start",
            name=op.f("ck_client_organisations_engagement_dates_ordered"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_organisations")),
    )
    op.create_index(
        "ix_client_organisations_created_at_id",
        "client_organisations",
        ["created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_client_organisations_name_id", "client_organisations", ["name", "id"], unique=False
    )
    op.create_table(
        "ai_processes",
        sa.Column("client_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("business_unit", sa.String(length=200), nullable=True),
        sa.Column(
            "lifecycle_stage",
            sa.Enum(
                "idea",
                "pilot",
                "production",
                "retired",
                name="lifecycle_stage",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "risk_tier",
            sa.Enum(
                "low",
                "medium",
                "high",
                "critical",
                name="risk_tier",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("boundaries", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("checkpoints", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("escalation_path", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("tools", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("last_reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client_organisations.id"],
            name=op.f("fk_ai_processes_client_id_client_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_processes")),
    )
    op.create_index(
        "ix_ai_processes_client_id_created_at_id",
        "ai_processes",
        ["client_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_ai_processes_client_id_name_id",
        "ai_processes",
        ["client_id", "name", "id"],
        unique=False,
    )
    op.create_table(
        "engagement_health_reports",
        sa.Column("client_id", sa.UUID(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "red",
                "amber",
                "green",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("reasons", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("html", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.CheckConstraint(
            "period_end >= period_start", name=op.f("ck_engagement_health_reports_period_ordered")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client_organisations.id"],
            name=op.f("fk_engagement_health_reports_client_id_client_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_health_reports")),
        sa.UniqueConstraint(
            "client_id", "period_start", name="uq_engagement_health_reports_client_period"
        ),
    )
    op.create_table(
        "owners",
        sa.Column("client_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("business_unit", sa.String(length=200), nullable=True),
        sa.Column(
            "decision_authority",
            sa.Enum(
                "none",
                "advisory",
                "operational",
                "full",
                name="decision_authority",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("member_id", sa.UUID(), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client_organisations.id"],
            name=op.f("fk_owners_client_id_client_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_owners")),
    )
    op.create_index(
        "ix_owners_client_id_created_at_id",
        "owners",
        ["client_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_owners_client_id_name_id", "owners", ["client_id", "name", "id"], unique=False
    )
    op.create_index("ix_owners_member_id", "owners", ["member_id"], unique=False)
    op.create_index(
        "uq_owners_client_id_email_live",
        "owners",
        ["client_id", sa.literal_column("lower(email)")],
        unique=True,
        postgresql_where=sa.text("archived_at IS NULL AND email IS NOT NULL"),
    )
    op.create_table(
        "readiness_reports",
        sa.Column("client_id", sa.UUID(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "running",
                "succeeded",
                "failed",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column(
            "requested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("score", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("pillar_scores", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("findings", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("html", sa.Text(), nullable=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
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
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_readiness_reports_attempts_nonnegative")),
        sa.CheckConstraint(
            "score IS NULL OR (score >= 0 AND score <= 100)",
            name=op.f("ck_readiness_reports_score_range"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client_organisations.id"],
            name=op.f("fk_readiness_reports_client_id_client_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_readiness_reports")),
    )
    op.create_index(
        "ix_readiness_reports_client_id_requested_at_id",
        "readiness_reports",
        ["client_id", "requested_at", "id"],
        unique=False,
    )
    op.create_index("ix_readiness_reports_status", "readiness_reports", ["status"], unique=False)
    op.create_table(
        "vendor_agreements",
        sa.Column("client_id", sa.UUID(), nullable=False),
        sa.Column("vendor", sa.String(length=200), nullable=False),
        sa.Column("product", sa.String(length=200), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("renewal_on", sa.Date(), nullable=True),
        sa.Column("auto_renews", sa.Boolean(), nullable=False),
        sa.Column(
            "monitoring_party",
            sa.Enum(
                "vendor",
                "client",
                "shared",
                "unspecified",
                name="monitoring_party",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("monitoring_terms", sa.Text(), nullable=True),
        sa.Column(
            "incident_response_party",
            sa.Enum(
                "vendor",
                "client",
                "shared",
                "unspecified",
                name="incident_response_party",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("incident_response_terms", sa.Text(), nullable=True),
        sa.Column("incident_response_hours", sa.Integer(), nullable=True),
        sa.Column(
            "updates_party",
            sa.Enum(
                "vendor",
                "client",
                "shared",
                "unspecified",
                name="updates_party",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("updates_terms", sa.Text(), nullable=True),
        sa.Column(
            "data_governance_party",
            sa.Enum(
                "vendor",
                "client",
                "shared",
                "unspecified",
                name="data_governance_party",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("data_governance_terms", sa.Text(), nullable=True),
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
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on",
            name=op.f("ck_vendor_agreements_dates_ordered"),
        ),
        sa.CheckConstraint(
            "incident_response_hours IS NULL OR incident_response_hours >= 0",
            name=op.f("ck_vendor_agreements_incident_response_hours_nonnegative"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client_organisations.id"],
            name=op.f("fk_vendor_agreements_client_id_client_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vendor_agreements")),
    )
    op.create_index(
        "ix_vendor_agreements_client_id_created_at_id",
        "vendor_agreements",
        ["client_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_vendor_agreements_renewal_on", "vendor_agreements", ["renewal_on"], unique=False
    )
    op.create_table(
        "capability_assessments",
        sa.Column("owner_id", sa.UUID(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("assessor", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("training_recommendations", sa.Text(), nullable=True),
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
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owners.id"], name=op.f("fk_capability_assessments_owner_id_owners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capability_assessments")),
    )
    op.create_index(
        "ix_capability_assessments_owner_id_assessed_on",
        "capability_assessments",
        ["owner_id", "assessed_on", "created_at"],
        unique=False,
    )
    op.create_table(
        "change_plans",
        sa.Column("client_id", sa.UUID(), nullable=False),
        sa.Column("process_id", sa.UUID(), nullable=True),
        sa.Column("objective", sa.Text(), nullable=False),
        sa.Column("stakeholders", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("communication_plan", sa.Text(), nullable=True),
        sa.Column("readiness", sa.SmallInteger(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "active",
                "completed",
                "cancelled",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("due_on", sa.Date(), nullable=True),
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
            "readiness >= 0 AND readiness <= 100", name=op.f("ck_change_plans_readiness_range")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client_organisations.id"],
            name=op.f("fk_change_plans_client_id_client_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["process_id"],
            ["ai_processes.id"],
            name=op.f("fk_change_plans_process_id_ai_processes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_plans")),
    )
    op.create_index(
        "ix_change_plans_client_id_created_at_id",
        "change_plans",
        ["client_id", "created_at", "id"],
        unique=False,
    )
    op.create_index("ix_change_plans_process_id", "change_plans", ["process_id"], unique=False)
    op.create_table(
        "incidents",
        sa.Column("process_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "severity",
            sa.Enum(
                "low",
                "medium",
                "high",
                "critical",
                name="severity",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "investigating",
                "resolved",
                "closed",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("escalation_level", sa.SmallInteger(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
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
            "escalation_level >= 0", name=op.f("ck_incidents_escalation_level_nonnegative")
        ),
        sa.CheckConstraint(
            "resolved_at IS NULL OR resolved_at >= occurred_at",
            name=op.f("ck_incidents_resolved_after_occurred"),
        ),
        sa.ForeignKeyConstraint(
            ["process_id"], ["ai_processes.id"], name=op.f("fk_incidents_process_id_ai_processes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    op.create_index(
        "ix_incidents_process_id_occurred_at_id",
        "incidents",
        ["process_id", "occurred_at", "id"],
        unique=False,
    )
    op.create_index("ix_incidents_status", "incidents", ["status"], unique=False)
    op.create_table(
        "ownership_assignments",
        sa.Column("owner_id", sa.UUID(), nullable=False),
        sa.Column("process_id", sa.UUID(), nullable=False),
        sa.Column(
            "raci_role",
            sa.Enum(
                "accountable",
                "responsible",
                "consulted",
                "informed",
                name="raci_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("responsibilities", postgresql.ARRAY(sa.String(length=32)), nullable=False),
        sa.Column("hours_per_week", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
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
            "responsibilities <@ ARRAY['monitoring','exceptions','incidents','improvement']::varchar[]",
            name=op.f("ck_ownership_assignments_responsibilities_known"),
        ),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on >= starts_on",
            name=op.f("ck_ownership_assignments_dates_ordered"),
        ),
        sa.CheckConstraint(
            "hours_per_week >= 0 AND hours_per_week <= 80",
            name=op.f("ck_ownership_assignments_hours_per_week_range"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owners.id"], name=op.f("fk_ownership_assignments_owner_id_owners")
        ),
        sa.ForeignKeyConstraint(
            ["process_id"],
            ["ai_processes.id"],
            name=op.f("fk_ownership_assignments_process_id_ai_processes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ownership_assignments")),
    )
    op.create_index(
        "ix_ownership_assignments_owner_id_starts_on",
        "ownership_assignments",
        ["owner_id", "starts_on", "id"],
        unique=False,
    )
    op.create_index(
        "ix_ownership_assignments_process_id_starts_on",
        "ownership_assignments",
        ["process_id", "starts_on", "id"],
        unique=False,
    )
    op.create_index(
        "uq_ownership_assignments_current_accountable",
        "ownership_assignments",
        ["process_id"],
        unique=True,
        postgresql_where=sa.text("raci_role = 'accountable' AND ends_on IS NULL"),
    )
    op.create_table(
        "process_kpis",
        sa.Column("process_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=50), nullable=True),
        sa.Column("target", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column(
            "direction",
            sa.Enum(
                "higher",
                "lower",
                name="direction",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("latest_value", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("measured_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.ForeignKeyConstraint(
            ["process_id"],
            ["ai_processes.id"],
            name=op.f("fk_process_kpis_process_id_ai_processes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_process_kpis")),
        sa.UniqueConstraint("process_id", "name", name="uq_process_kpis_process_id_name"),
    )
    op.create_index(
        "ix_process_kpis_process_id_created_at_id",
        "process_kpis",
        ["process_id", "created_at", "id"],
        unique=False,
    )
    op.create_table(
        "process_reviews",
        sa.Column("process_id", sa.UUID(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "on_track",
                "needs_improvement",
                "off_track",
                name="outcome",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("kpi_snapshot", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["process_id"],
            ["ai_processes.id"],
            name=op.f("fk_process_reviews_process_id_ai_processes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_process_reviews")),
    )
    op.create_index(
        "ix_process_reviews_process_id_reviewed_on_id",
        "process_reviews",
        ["process_id", "reviewed_on", "id"],
        unique=False,
    )
    op.create_table(
        "vendor_agreement_processes",
        sa.Column("agreement_id", sa.UUID(), nullable=False),
        sa.Column("process_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["vendor_agreements.id"],
            name=op.f("fk_vendor_agreement_processes_agreement_id_vendor_agreements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["process_id"],
            ["ai_processes.id"],
            name=op.f("fk_vendor_agreement_processes_process_id_ai_processes"),
        ),
        sa.PrimaryKeyConstraint(
            "agreement_id", "process_id", name=op.f("pk_vendor_agreement_processes")
        ),
    )
    op.create_index(
        "ix_vendor_agreement_processes_process_id",
        "vendor_agreement_processes",
        ["process_id"],
        unique=False,
    )
    op.create_table(
        "capability_scores",
        sa.Column("assessment_id", sa.UUID(), nullable=False),
        sa.Column("dimension_id", sa.UUID(), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint(
            "score >= 1 AND score <= 5", name=op.f("ck_capability_scores_score_range")
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["capability_assessments.id"],
            name=op.f("fk_capability_scores_assessment_id_capability_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dimension_id"],
            ["capability_dimensions.id"],
            name=op.f("fk_capability_scores_dimension_id_capability_dimensions"),
        ),
        sa.PrimaryKeyConstraint("assessment_id", "dimension_id", name=op.f("pk_capability_scores")),
    )
    op.create_index(
        "ix_capability_scores_dimension_id", "capability_scores", ["dimension_id"], unique=False
    )
    op.create_table(
        "milestones",
        sa.Column("plan_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "in_progress",
                "completed",
                "cancelled",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
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
            "(status = 'completed') = (completed_on IS NOT NULL)",
            name=op.f("ck_milestones_completed_on_iff_done"),
        ),
        sa.CheckConstraint("position >= 0", name=op.f("ck_milestones_position_nonnegative")),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["change_plans.id"], name=op.f("fk_milestones_plan_id_change_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestones")),
    )
    op.create_index(
        "ix_milestones_plan_id_position_id",
        "milestones",
        ["plan_id", "position", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_milestones_plan_id_position_id", table_name="milestones")
    op.drop_table("milestones")
    op.drop_index("ix_capability_scores_dimension_id", table_name="capability_scores")
    op.drop_table("capability_scores")
    op.drop_index(
        "ix_vendor_agreement_processes_process_id", table_name="vendor_agreement_processes"
    )
    op.drop_table("vendor_agreement_processes")
    op.drop_index("ix_process_reviews_process_id_reviewed_on_id", table_name="process_reviews")
    op.drop_table("process_reviews")
    op.drop_index("ix_process_kpis_process_id_created_at_id", table_name="process_kpis")
    op.drop_table("process_kpis")
    op.drop_index(
        "uq_ownership_assignments_current_accountable",
        table_name="ownership_assignments",
        postgresql_where=sa.text("raci_role = 'accountable' AND ends_on IS NULL"),
    )
    op.drop_index(
        "ix_ownership_assignments_process_id_starts_on", table_name="ownership_assignments"
    )
    op.drop_index("ix_ownership_assignments_owner_id_starts_on", table_name="ownership_assignments")
    op.drop_table("ownership_assignments")
    op.drop_index("ix_incidents_status", table_name="incidents")
    op.drop_index("ix_incidents_process_id_occurred_at_id", table_name="incidents")
    op.drop_table("incidents")
    op.drop_index("ix_change_plans_process_id", table_name="change_plans")
    op.drop_index("ix_change_plans_client_id_created_at_id", table_name="change_plans")
    op.drop_table("change_plans")
    op.drop_index(
        "ix_capability_assessments_owner_id_assessed_on", table_name="capability_assessments"
    )
    op.drop_table("capability_assessments")
    op.drop_index("ix_vendor_agreements_renewal_on", table_name="vendor_agreements")
    op.drop_index("ix_vendor_agreements_client_id_created_at_id", table_name="vendor_agreements")
    op.drop_table("vendor_agreements")
    op.drop_index("ix_readiness_reports_status", table_name="readiness_reports")
    op.drop_index("ix_readiness_reports_client_id_requested_at_id", table_name="readiness_reports")
    op.drop_table("readiness_reports")
    op.drop_index(
        "uq_owners_client_id_email_live",
        table_name="owners",
        postgresql_where=sa.text("archived_at IS NULL AND email IS NOT NULL"),
    )
    op.drop_index("ix_owners_member_id", table_name="owners")
    op.drop_index("ix_owners_client_id_name_id", table_name="owners")
    op.drop_index("ix_owners_client_id_created_at_id", table_name="owners")
    op.drop_table("owners")
    op.drop_table("engagement_health_reports")
    op.drop_index("ix_ai_processes_client_id_name_id", table_name="ai_processes")
    op.drop_index("ix_ai_processes_client_id_created_at_id", table_name="ai_processes")
    op.drop_table("ai_processes")
    op.drop_index("ix_client_organisations_name_id", table_name="client_organisations")
    op.drop_index("ix_client_organisations_created_at_id", table_name="client_organisations")
    op.drop_table("client_organisations")
    op.drop_table("capability_dimensions")
    op.drop_index("ix_audit_events_object", table_name="audit_events")
    op.drop_index("ix_audit_events_client_id_at", table_name="audit_events")
    op.drop_index("ix_audit_events_at_seq", table_name="audit_events")
    op.drop_table("audit_events")
