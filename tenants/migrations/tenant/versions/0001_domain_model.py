"""domain model (2026-12-01)"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tenants.migrations import columns as c

revision = "0001"
down_revision = None

PARTIES = ("vendor", "client", "shared", "unspecified")


def upgrade() -> None:
    _audit_and_dimensions()
    _clients_and_processes()
    _owners_and_reports()
    _vendor_agreements()
    _assessments_and_plans()
    _incidents_and_assignments()
    _kpis_and_reviews()
    _links_scores_milestones()


def _audit_and_dimensions() -> None:
    op.create_table(
        "audit_events",
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        c.string("actor", 200),
        c.string("actor_kind", 32),
        c.string("action", 64),
        c.string("object_type", 64),
        c.uuid("object_id"),
        c.uuid("client_id", nullable=True),
        c.jsonb("before", nullable=True),
        c.jsonb("after", nullable=True),
        c.now("at"),
        c.uuid(),
        c.pk("audit_events"),
    )
    c.index("audit_events", "at", "seq")
    c.index("audit_events", "client_id", "at")
    c.index("audit_events", "object_type", "object_id", "at", "seq", name="ix_audit_events_object")
    c.record_table(
        "capability_dimensions",
        c.string("key", 64),
        c.string("name", 200),
        c.text("description"),
        sa.Column("bar", sa.SmallInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        c.check("capability_dimensions", "bar_range", "bar >= 1 AND bar <= 5"),
        c.check("capability_dimensions", "position_nonnegative", "position >= 0"),
        c.unique("capability_dimensions", "key"),
    )


def _clients_and_processes() -> None:
    c.record_table(
        "client_organisations",
        c.string("name", 200),
        c.string("industry", 200, nullable=True),
        c.enum("size", "small", "medium", "large", "enterprise", nullable=True),
        c.string("region", 200, nullable=True),
        c.enum("engagement_status", "prospect", "active", "paused", "completed"),
        sa.Column("engagement_start", sa.Date(), nullable=True),
        sa.Column("engagement_end", sa.Date(), nullable=True),
        c.string("lead_consultant", 200, nullable=True),
        c.stamp("archived_at"),
        c.check(
            "client_organisations",
            "engagement_dates_ordered",
            "engagement_end IS NULL OR engagement_start IS NULL OR engagement_end >= engagement_start",
        ),
    )
    c.index("client_organisations", "created_at", "id")
    c.index("client_organisations", "name", "id")
    c.record_table(
        "ai_processes",
        c.uuid("client_id"),
        c.string("name", 200),
        c.text("purpose"),
        c.string("business_unit", 200, nullable=True),
        c.enum("lifecycle_stage", "idea", "pilot", "production", "retired"),
        c.enum("risk_tier", "low", "medium", "high", "critical"),
        c.jsonb("boundaries"),
        c.jsonb("checkpoints"),
        c.jsonb("escalation_path"),
        c.jsonb("tools"),
        c.stamp("last_reviewed_at"),
        c.stamp("archived_at"),
        c.fk("ai_processes", "client_id", "client_organisations"),
    )
    c.index("ai_processes", "client_id", "created_at", "id")
    c.index("ai_processes", "client_id", "name", "id")
    op.create_table(
        "engagement_health_reports",
        c.uuid("client_id"),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        c.enum("status", "red", "amber", "green"),
        c.jsonb("reasons"),
        c.text("html"),
        c.now("created_at"),
        c.uuid(),
        c.check("engagement_health_reports", "period_ordered", "period_end >= period_start"),
        c.fk("engagement_health_reports", "client_id", "client_organisations"),
        c.pk("engagement_health_reports"),
        sa.UniqueConstraint(
            "client_id", "period_start", name="uq_engagement_health_reports_client_period"
        ),
    )


def _owners_and_reports() -> None:
    c.record_table(
        "owners",
        c.uuid("client_id"),
        c.string("name", 200),
        c.string("email", 320, nullable=True),
        c.string("title", 200, nullable=True),
        c.string("business_unit", 200, nullable=True),
        c.enum("decision_authority", "none", "advisory", "operational", "full"),
        c.uuid("member_id", nullable=True),
        c.stamp("archived_at"),
        c.fk("owners", "client_id", "client_organisations"),
    )
    c.index("owners", "client_id", "created_at", "id")
    c.index("owners", "client_id", "name", "id")
    c.index("owners", "member_id")
    c.partial_unique(
        "uq_owners_client_id_email_live",
        "owners",
        ["client_id", sa.literal_column("lower(email)")],
        "archived_at IS NULL AND email IS NOT NULL",
    )
    c.record_table(
        "readiness_reports",
        c.uuid("client_id"),
        c.enum("status", "queued", "running", "succeeded", "failed"),
        c.string("requested_by", 200),
        c.now("requested_at"),
        c.stamp("started_at"),
        c.stamp("finished_at"),
        c.text("failure_reason"),
        sa.Column("score", sa.Numeric(precision=5, scale=2), nullable=True),
        c.jsonb("pillar_scores"),
        c.jsonb("findings"),
        c.text("html"),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        c.check("readiness_reports", "attempts_nonnegative", "attempts >= 0"),
        c.check(
            "readiness_reports", "score_range", "score IS NULL OR (score >= 0 AND score <= 100)"
        ),
        c.fk("readiness_reports", "client_id", "client_organisations"),
    )
    c.index("readiness_reports", "client_id", "requested_at", "id")
    c.index("readiness_reports", "status")


def _vendor_agreements() -> None:
    def clause(name: str, *, hours: bool = False) -> list[sa.Column[object]]:
        # Each ownership clause: the responsible party, its terms (and a response time).
        hours_column = [sa.Column(f"{name}_hours", sa.Integer(), nullable=True)] if hours else []
        return [c.enum(f"{name}_party", *PARTIES), c.text(f"{name}_terms"), *hours_column]

    c.record_table(
        "vendor_agreements",
        c.uuid("client_id"),
        c.string("vendor", 200),
        c.string("product", 200, nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("renewal_on", sa.Date(), nullable=True),
        sa.Column("auto_renews", sa.Boolean(), nullable=False),
        *clause("monitoring"),
        *clause("incident_response", hours=True),
        *clause("updates"),
        *clause("data_governance"),
        c.check(
            "vendor_agreements",
            "dates_ordered",
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on",
        ),
        c.check(
            "vendor_agreements",
            "incident_response_hours_nonnegative",
            "incident_response_hours IS NULL OR incident_response_hours >= 0",
        ),
        c.fk("vendor_agreements", "client_id", "client_organisations"),
    )
    c.index("vendor_agreements", "client_id", "created_at", "id")
    c.index("vendor_agreements", "renewal_on")


def _assessments_and_plans() -> None:
    c.record_table(
        "capability_assessments",
        c.uuid("owner_id"),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        c.string("assessor", 200),
        c.text("notes"),
        c.text("training_recommendations"),
        c.fk("capability_assessments", "owner_id", "owners"),
    )
    c.index(
        "capability_assessments",
        "owner_id",
        "assessed_on",
        "created_at",
        name="ix_capability_assessments_owner_id_assessed_on",
    )
    c.record_table(
        "change_plans",
        c.uuid("client_id"),
        c.uuid("process_id", nullable=True),
        c.text("objective", nullable=False),
        c.jsonb("stakeholders"),
        c.text("communication_plan"),
        sa.Column("readiness", sa.SmallInteger(), nullable=False),
        c.enum("status", "draft", "active", "completed", "cancelled"),
        sa.Column("due_on", sa.Date(), nullable=True),
        c.check("change_plans", "readiness_range", "readiness >= 0 AND readiness <= 100"),
        c.fk("change_plans", "client_id", "client_organisations"),
        c.fk("change_plans", "process_id", "ai_processes"),
    )
    c.index("change_plans", "client_id", "created_at", "id")
    c.index("change_plans", "process_id")


def _incidents_and_assignments() -> None:
    c.record_table(
        "incidents",
        c.uuid("process_id"),
        c.string("title", 200),
        c.text("description"),
        c.enum("severity", "low", "medium", "high", "critical"),
        c.enum("status", "open", "investigating", "resolved", "closed"),
        sa.Column("escalation_level", sa.SmallInteger(), nullable=False),
        c.stamp("occurred_at", nullable=False),
        c.stamp("resolved_at"),
        c.check("incidents", "escalation_level_nonnegative", "escalation_level >= 0"),
        c.check(
            "incidents",
            "resolved_after_occurred",
            "resolved_at IS NULL OR resolved_at >= occurred_at",
        ),
        c.fk("incidents", "process_id", "ai_processes"),
    )
    c.index("incidents", "process_id", "occurred_at", "id")
    c.index("incidents", "status")
    known = "ARRAY['monitoring','exceptions','incidents','improvement']::varchar[]"
    c.record_table(
        "ownership_assignments",
        c.uuid("owner_id"),
        c.uuid("process_id"),
        c.enum("raci_role", "accountable", "responsible", "consulted", "informed"),
        sa.Column("responsibilities", postgresql.ARRAY(sa.String(length=32)), nullable=False),
        sa.Column("hours_per_week", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        c.check("ownership_assignments", "responsibilities_known", f"responsibilities <@ {known}"),
        c.check(
            "ownership_assignments", "dates_ordered", "ends_on IS NULL OR ends_on >= starts_on"
        ),
        c.check(
            "ownership_assignments",
            "hours_per_week_range",
            "hours_per_week >= 0 AND hours_per_week <= 80",
        ),
        c.fk("ownership_assignments", "owner_id", "owners"),
        c.fk("ownership_assignments", "process_id", "ai_processes"),
    )
    for key in ("owner_id", "process_id"):
        op.create_index(
            f"ix_ownership_assignments_{key}_starts_on",
            "ownership_assignments",
            [key, "starts_on", "id"],
        )
    c.partial_unique(
        "uq_ownership_assignments_current_accountable",
        "ownership_assignments",
        ["process_id"],
        "raci_role = 'accountable' AND ends_on IS NULL",
    )


def _kpis_and_reviews() -> None:
    c.record_table(
        "process_kpis",
        c.uuid("process_id"),
        c.string("name", 200),
        c.string("unit", 50, nullable=True),
        sa.Column("target", sa.Numeric(precision=18, scale=4), nullable=True),
        c.enum("direction", "higher", "lower"),
        sa.Column("latest_value", sa.Numeric(precision=18, scale=4), nullable=True),
        c.stamp("measured_at"),
        c.fk("process_kpis", "process_id", "ai_processes"),
        c.unique("process_kpis", "process_id", "name"),
    )
    c.index("process_kpis", "process_id", "created_at", "id")
    c.record_table(
        "process_reviews",
        c.uuid("process_id"),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        c.string("reviewer", 200),
        c.text("summary", nullable=False),
        c.enum("outcome", "on_track", "needs_improvement", "off_track"),
        c.jsonb("kpi_snapshot"),
        c.fk("process_reviews", "process_id", "ai_processes"),
    )
    c.index("process_reviews", "process_id", "reviewed_on", "id")


def _links_scores_milestones() -> None:
    links = "vendor_agreement_processes"
    op.create_table(
        links,
        c.uuid("agreement_id"),
        c.uuid("process_id"),
        c.fk(links, "agreement_id", "vendor_agreements", ondelete="CASCADE"),
        c.fk(links, "process_id", "ai_processes"),
        c.pk(links, "agreement_id", "process_id"),
    )
    c.index(links, "process_id")
    op.create_table(
        "capability_scores",
        c.uuid("assessment_id"),
        c.uuid("dimension_id"),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        c.check("capability_scores", "score_range", "score >= 1 AND score <= 5"),
        c.fk("capability_scores", "assessment_id", "capability_assessments", ondelete="CASCADE"),
        c.fk("capability_scores", "dimension_id", "capability_dimensions"),
        c.pk("capability_scores", "assessment_id", "dimension_id"),
    )
    c.index("capability_scores", "dimension_id")
    c.record_table(
        "milestones",
        c.uuid("plan_id"),
        c.string("title", 200),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        c.enum("status", "planned", "in_progress", "completed", "cancelled"),
        sa.Column("position", sa.Integer(), nullable=False),
        c.check(
            "milestones",
            "completed_on_iff_done",
            "(status = 'completed') = (completed_on IS NOT NULL)",
        ),
        c.check("milestones", "position_nonnegative", "position >= 0"),
        c.fk("milestones", "plan_id", "change_plans"),
    )
    c.index("milestones", "plan_id", "position", "id")


def downgrade() -> None:
    c.drop("milestones", "ix_milestones_plan_id_position_id")
    c.drop("capability_scores", "ix_capability_scores_dimension_id")
    c.drop("vendor_agreement_processes", "ix_vendor_agreement_processes_process_id")
    c.drop("process_reviews", "ix_process_reviews_process_id_reviewed_on_id")
    c.drop("process_kpis", "ix_process_kpis_process_id_created_at_id")
    c.drop(
        "ownership_assignments",
        "uq_ownership_assignments_current_accountable",
        "ix_ownership_assignments_process_id_starts_on",
        "ix_ownership_assignments_owner_id_starts_on",
    )
    c.drop("incidents", "ix_incidents_status", "ix_incidents_process_id_occurred_at_id")
    c.drop("change_plans", "ix_change_plans_process_id", "ix_change_plans_client_id_created_at_id")
    c.drop("capability_assessments", "ix_capability_assessments_owner_id_assessed_on")
    c.drop(
        "vendor_agreements",
        "ix_vendor_agreements_renewal_on",
        "ix_vendor_agreements_client_id_created_at_id",
    )
    c.drop(
        "readiness_reports",
        "ix_readiness_reports_status",
        "ix_readiness_reports_client_id_requested_at_id",
    )
    c.drop(
        "owners",
        "uq_owners_client_id_email_live",
        "ix_owners_member_id",
        "ix_owners_client_id_name_id",
        "ix_owners_client_id_created_at_id",
    )
    op.drop_table("engagement_health_reports")
    c.drop(
        "ai_processes",
        "ix_ai_processes_client_id_name_id",
        "ix_ai_processes_client_id_created_at_id",
    )
    c.drop(
        "client_organisations",
        "ix_client_organisations_name_id",
        "ix_client_organisations_created_at_id",
    )
    op.drop_table("capability_dimensions")
    c.drop(
        "audit_events",
        "ix_audit_events_object",
        "ix_audit_events_client_id_at",
        "ix_audit_events_at_seq",
    )
