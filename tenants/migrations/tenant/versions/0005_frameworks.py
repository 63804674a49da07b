"""regulatory frameworks: process regulatory profile, client frameworks (issue 13) (2026-12-02)

A process's EU AI Act profile (the client's role, the classification, the Annex III area
of a high-risk one, and the consultant's reason), at most one per process; the
catalogue frameworks chosen for a client; and a consultancy's own control sets
(imported from CSV or JSON), each control naming the readiness rules that evidence
it. The catalogue itself is data in the repository (jobs/readiness/frameworks/data/).
"""

import sqlalchemy as sa
from alembic import op

from tenants.migrations import columns as c

revision = "0005"
down_revision = "0004"

ROLES = ("deployer", "provider", "both")
CLASSES = ("prohibited_screened_out", "high_risk", "transparency", "minimal")
AREAS = (
    "biometrics",
    "critical_infrastructure",
    "education",
    "employment",
    "essential_services",
    "law_enforcement",
    "migration_border",
    "justice_democracy",
)


def _one_of(column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return c.check("process_regulatory_profiles", column, f"{column} IN ({listed})")


def upgrade() -> None:
    op.create_table(
        "process_regulatory_profiles",
        c.uuid(),
        c.uuid("process_id"),
        c.string("client_role", 32),
        c.string("eu_ai_act_class", 32),
        c.string("annex_iii_area", 32, nullable=True),
        c.text("reason", nullable=False),
        *c.versioned(),
        _one_of("client_role", ROLES),
        _one_of("eu_ai_act_class", CLASSES),
        _one_of("annex_iii_area", AREAS),
        c.check(
            "process_regulatory_profiles",
            "area_iff_high_risk",
            "(eu_ai_act_class = 'high_risk') = (annex_iii_area IS NOT NULL)",
        ),
        c.fk("process_regulatory_profiles", "process_id", "ai_processes"),
        c.pk("process_regulatory_profiles"),
        c.unique("process_regulatory_profiles", "process_id"),
    )
    op.create_table(
        "client_frameworks",
        c.uuid(),
        c.uuid("client_id"),
        c.string("framework_id", 100),
        c.now("created_at"),
        c.now("updated_at"),
        c.fk("client_frameworks", "client_id", "client_organisations"),
        c.pk("client_frameworks"),
        c.unique("client_frameworks", "client_id", "framework_id"),
    )

    op.create_table(
        "tenant_controls",
        c.uuid(),
        c.string("set_key", 100),
        c.string("set_title", 200),
        sa.Column("position", sa.Integer(), nullable=False),
        c.string("control_id", 100),
        c.string("title", 300),
        c.text("summary"),
        c.jsonb("rule_ids"),
        c.now("created_at"),
        c.now("updated_at"),
        c.pk("tenant_controls"),
        c.unique("tenant_controls", "set_key", "control_id"),
    )


def downgrade() -> None:
    op.drop_table("tenant_controls")
    op.drop_table("client_frameworks")
    op.drop_table("process_regulatory_profiles")
