"""SCIM provisioning per identity provider (issue 10): SCIM tokens and SCIM user resources (2026-12-02)

`scim_tokens` holds digests of the bearer tokens a provider's SCIM client presents;
`scim_users` links a member to the provider that provisioned it and keeps the SCIM
attributes that have no member column.
"""

from alembic import op

from tenants.migrations import columns as c

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    op.create_table(
        "scim_tokens",
        c.uuid(),
        c.uuid("identity_provider_id"),
        c.string("token_digest", 64),
        c.string("prefix", 16),
        c.now("created_at"),
        c.stamp("revoked_at"),
        c.stamp("last_used_at"),
        c.fk("scim_tokens", "identity_provider_id", "identity_providers", ondelete="CASCADE"),
        c.pk("scim_tokens"),
        c.unique("scim_tokens", "token_digest"),
    )
    c.index("scim_tokens", "identity_provider_id")
    op.create_table(
        "scim_users",
        c.uuid("member_id"),
        c.uuid("identity_provider_id"),
        c.string("external_id", 500, nullable=True),
        c.jsonb("attributes"),
        c.stamp("deleted_at"),
        *c.versioned(),
        c.fk("scim_users", "identity_provider_id", "identity_providers", ondelete="CASCADE"),
        c.fk("scim_users", "member_id", "members", ondelete="CASCADE"),
        c.pk("scim_users", "member_id"),
    )
    c.index("scim_users", "identity_provider_id")


def downgrade() -> None:
    c.drop("scim_users", "ix_scim_users_identity_provider_id")
    c.drop("scim_tokens", "ix_scim_tokens_identity_provider_id")
