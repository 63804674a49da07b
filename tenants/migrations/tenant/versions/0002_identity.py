"""identity: members, identity providers and login attempts (2026-12-01)"""

import sqlalchemy as sa
from alembic import op

from tenants.migrations import columns as c

revision = "0002"
down_revision = "0001"

ROLES = ("admin", "consultant", "viewer", "client_owner", "client_viewer")
CLIENT_ROLES = "IN ('client_owner', 'client_viewer')"
IDP_STAFF = "client_organisation_id IS NULL"
MEMBER_LIVE = "status <> 'deactivated'"


def upgrade() -> None:
    c.record_table(
        "identity_providers",
        c.uuid("client_organisation_id", nullable=True),
        c.string("name", 200),
        c.string("issuer", 500),
        c.string("client_id", 500),
        c.text("client_secret_encrypted", nullable=False),
        sa.Column("scopes", sa.ARRAY(sa.Text()), nullable=False),
        sa.Column("allowed_domains", sa.ARRAY(sa.Text()), nullable=False),
        c.jsonb("claim_role_mapping", nullable=True),
        c.enum("default_role", *ROLES),
        c.check(
            "identity_providers",
            "default_role_matches_organisation",
            f"(default_role {CLIENT_ROLES}) = (client_organisation_id IS NOT NULL)",
        ),
        c.fk("identity_providers", "client_organisation_id", "client_organisations"),
        c.unique("identity_providers", "issuer", "client_id"),
    )
    c.index("identity_providers", "client_organisation_id")
    staff: list[object] = [sa.literal_column(f"({IDP_STAFF})")]
    c.partial_unique("uq_identity_providers_staff", "identity_providers", staff, IDP_STAFF)
    _members()
    op.create_table(
        "login_attempts",
        c.string("state_hash", 64),
        c.string("nonce", 128),
        c.string("code_verifier", 128),
        c.uuid("identity_provider_id"),
        c.string("issuer", 500),
        c.string("next_path", 2000),
        c.string("browser_binding_hash", 64),
        c.now("created_at"),
        c.stamp("expires_at", nullable=False),
        c.stamp("used_at"),
        c.uuid(),
        c.fk("login_attempts", "identity_provider_id", "identity_providers", ondelete="CASCADE"),
        c.pk("login_attempts"),
        c.unique("login_attempts", "state_hash"),
    )
    c.index("login_attempts", "expires_at")


def _members() -> None:
    c.record_table(
        "members",
        c.string("email", 320),
        c.string("display_name", 200, nullable=True),
        c.enum("role", *ROLES),
        c.uuid("client_organisation_id", nullable=True),
        c.string("issuer", 500, nullable=True),
        c.string("subject", 255, nullable=True),
        c.enum("status", "invited", "active", "deactivated"),
        c.stamp("last_login_at"),
        c.check(
            "members",
            "role_matches_organisation",
            f"(role {CLIENT_ROLES}) = (client_organisation_id IS NOT NULL)",
        ),
        c.check("members", "active_is_linked", "status <> 'active' OR issuer IS NOT NULL"),
        c.check("members", "identity_pair", "(issuer IS NULL) = (subject IS NULL)"),
        c.fk("members", "client_organisation_id", "client_organisations"),
        c.unique("members", "issuer", "subject"),
    )
    c.index("members", "client_organisation_id")
    c.index("members", "created_at", "id")
    email: list[object] = [sa.literal_column("lower(email)")]
    c.partial_unique("uq_members_email_live", "members", email, MEMBER_LIVE)


def downgrade() -> None:
    c.drop("login_attempts", "ix_login_attempts_expires_at")
    c.drop(
        "members",
        "uq_members_email_live",
        "ix_members_created_at_id",
        "ix_members_client_organisation_id",
    )
    c.drop(
        "identity_providers",
        "uq_identity_providers_staff",
        "ix_identity_providers_client_organisation_id",
    )
