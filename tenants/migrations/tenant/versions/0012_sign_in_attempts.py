"""sign-in attempts an administrator can read (issue 10) (2026-12-02)

One row per login attempt that reached the tenant: when, which provider, the outcome
and the refusal's reason code, and who when known (see tenants/models/sign_in.py).
Pruned by the worker's sweeper after STEWARD_SIGNIN_ATTEMPT_RETENTION_DAYS.
"""

from alembic import op

from tenants.migrations import columns as c

revision = "0012"
down_revision = "0011"

T = "sign_in_attempts"


def upgrade() -> None:
    op.create_table(
        T,
        c.uuid(),
        c.now("occurred_at"),
        c.enum("outcome", "succeeded", "refused", type_name="sign_in_outcome"),
        c.string("reason", 64, nullable=True),
        c.uuid("identity_provider_id", nullable=True),
        c.string("identity_provider_name", 200, nullable=True),
        c.uuid("member_id", nullable=True),
        c.string("email", 320, nullable=True),
        c.string("email_domain", 255, nullable=True),
        c.fk(T, "identity_provider_id", "identity_providers", ondelete="SET NULL"),
        c.fk(T, "member_id", "members", ondelete="SET NULL"),
        c.pk(T),
    )
    c.index(T, "occurred_at", "id")


def downgrade() -> None:
    c.drop(T, "ix_sign_in_attempts_occurred_at_id")
