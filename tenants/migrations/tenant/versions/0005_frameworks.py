"""regulatory frameworks: process regulatory profile, client frameworks (issue 13)

A process's EU AI Act profile (the client's role, the classification, the Annex III area
of a high-risk one, and the consultant's reason), at most one per process; the
catalogue frameworks chosen for a client; and a consultancy's own control sets
(imported from CSV or JSON), each control naming the readiness rules that evidence
it. The catalogue itself is data in the repository (jobs/readiness/frameworks/data/).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

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


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column(
            name,
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        )
        for name in ("created_at", "updated_at")
    ]


def _one_of(column: str, values: Sequence[str], name: str) -> sa.CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=name)


def upgrade() -> None:
    op.create_table(
        "process_regulatory_profiles",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("process_id", sa.UUID(), nullable=False),
        sa.Column("client_role", sa.String(length=32), nullable=False),
        sa.Column("eu_ai_act_class", sa.String(length=32), nullable=False),
        sa.Column("annex_iii_area", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        *_timestamps(),
        sa.Column("version", sa.Integer(), nullable=False),
        _one_of("client_role", ROLES, op.f("ck_process_regulatory_profiles_client_role")),
        _one_of("eu_ai_act_class", CLASSES, op.f("ck_process_regulatory_profiles_eu_ai_act_class")),
        _one_of("annex_iii_area", AREAS, op.f("ck_process_regulatory_profiles_annex_iii_area")),
        sa.CheckConstraint(
            "(eu_ai_act_class = 'high_risk') = (annex_iii_area IS NOT NULL)",
            name=op.f("ck_process_regulatory_profiles_area_iff_high_risk"),
        ),
        sa.ForeignKeyConstraint(
            ["process_id"],
            ["ai_processes.id"],
            name=op.f("fk_process_regulatory_profiles_process_id_ai_processes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_process_regulatory_profiles")),
        sa.UniqueConstraint("process_id", name="uq_process_regulatory_profiles_process_id"),
    )
    op.create_table(
        "client_frameworks",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("client_id", sa.UUID(), nullable=False),
        sa.Column("framework_id", sa.String(length=100), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client_organisations.id"],
            name=op.f("fk_client_frameworks_client_id_client_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_frameworks")),
        sa.UniqueConstraint(
            "client_id", "framework_id", name="uq_client_frameworks_client_id_framework_id"
        ),
    )

    op.create_table(
        "tenant_controls",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("set_key", sa.String(length=100), nullable=False),
        sa.Column("set_title", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("control_id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("rule_ids", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenant_controls")),
        sa.UniqueConstraint("set_key", "control_id", name="uq_tenant_controls_set_key_control_id"),
    )


def downgrade() -> None:
    op.drop_table("tenant_controls")
    op.drop_table("client_frameworks")
    op.drop_table("process_regulatory_profiles")
