"""Regulatory context of a client's AI use: a process's EU AI Act profile and the
frameworks (catalogue ids, `jobs/readiness/frameworks/data/`) chosen for a client."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import CheckConstraint, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from tenants.base import TenantBase, Timestamps, UUIDPrimaryKey, Versioned, references
from tenants.models.enums import enum_type


class ClientRole(StrEnum):
    """The part the client plays for the AI system (EU AI Act Art. 3(3)-(4))."""

    DEPLOYER = "deployer"
    PROVIDER = "provider"
    BOTH = "both"


class EuAiActClass(StrEnum):
    #: Screened against Art. 5 prohibited practices and found not to be one.
    PROHIBITED_SCREENED_OUT = "prohibited_screened_out"
    HIGH_RISK = "high_risk"
    TRANSPARENCY = "transparency"
    MINIMAL = "minimal"


class AnnexIIIArea(StrEnum):
    """The eight areas of Annex III of Regulation (EU) 2024/1689, points 1 to 8."""

    BIOMETRICS = "biometrics"
    CRITICAL_INFRASTRUCTURE = "critical_infrastructure"
    EDUCATION = "education"
    EMPLOYMENT = "employment"
    ESSENTIAL_SERVICES = "essential_services"
    LAW_ENFORCEMENT = "law_enforcement"
    MIGRATION_BORDER = "migration_border"
    JUSTICE_DEMOCRACY = "justice_democracy"


class ProcessRegulatoryProfile(UUIDPrimaryKey, Timestamps, Versioned, TenantBase):
    """At most one per process, set by consultants with the reason for the classification.

    A high-risk classification names its Annex III area; the others name none.
    """

    __tablename__ = "process_regulatory_profiles"
    __table_args__ = (
        UniqueConstraint("process_id", name="uq_process_regulatory_profiles_process_id"),
        CheckConstraint(
            "(eu_ai_act_class = 'high_risk') = (annex_iii_area IS NOT NULL)",
            name="area_iff_high_risk",
        ),
    )

    process_id: Mapped[uuid.UUID] = references("ai_processes.id")
    client_role: Mapped[ClientRole] = mapped_column(
        enum_type(ClientRole, "client_role"), nullable=False
    )
    eu_ai_act_class: Mapped[EuAiActClass] = mapped_column(
        enum_type(EuAiActClass, "eu_ai_act_class"), nullable=False
    )
    annex_iii_area: Mapped[AnnexIIIArea | None] = mapped_column(
        enum_type(AnnexIIIArea, "annex_iii_area")
    )
    reason: Mapped[str] = mapped_column(Text, nullable=False)


class ClientFramework(UUIDPrimaryKey, Timestamps, TenantBase):
    """A framework chosen for a client: its coverage and report section are shown."""

    __tablename__ = "client_frameworks"
    __table_args__ = (
        UniqueConstraint(
            "client_id", "framework_id", name="uq_client_frameworks_client_id_framework_id"
        ),
    )

    client_id: Mapped[uuid.UUID] = references("client_organisations.id")
    framework_id: Mapped[str] = mapped_column(String(100), nullable=False)


class TenantControl(UUIDPrimaryKey, Timestamps, TenantBase):
    """One control of a consultancy's own control set, imported from CSV or JSON.

    `set_key` names the set (a tenant may keep several); `rule_ids` are the readiness
    rules whose findings evidence the control, checked against the registry on import.
    """

    __tablename__ = "tenant_controls"
    __table_args__ = (
        UniqueConstraint("set_key", "control_id", name="uq_tenant_controls_set_key_control_id"),
    )

    set_key: Mapped[str] = mapped_column(String(100), nullable=False)
    set_title: Mapped[str] = mapped_column(String(200), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    control_id: Mapped[str] = mapped_column(String(100), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    summary: Mapped[str | None] = mapped_column(Text)
    rule_ids: Mapped[list[str]] = mapped_column(JSONB, nullable=False, default=list)
