"""browser sessions remember how they began: provider, address, user agent, sid, id token (2026-12-02)

For `Member.sessions`, RP-initiated logout (`id_token_hint`, kept encrypted) and OpenID
Back-Channel Logout (the id token's `sid`). Tenant roles may read the new columns except
the encrypted id token, which only the login role (logout) reads.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tenants.migrations.grants import to_tenant_roles

revision = "0006"
down_revision = "0005"

T = "browser_sessions"
# As tenants/provisioning.py grants them to new tenants (copied: a migration must not
# change when the application code does).
GRANT = (
    "GRANT SELECT (identity_provider_id, client_address, user_agent, sid)"
    " ON public.browser_sessions TO {role}"
)


def upgrade() -> None:
    op.add_column(
        T, sa.Column("identity_provider_id", postgresql.UUID(as_uuid=True)), schema="public"
    )
    op.add_column(T, sa.Column("client_address", sa.String(64)), schema="public")
    op.add_column(T, sa.Column("user_agent", sa.String(256)), schema="public")
    op.add_column(T, sa.Column("sid", sa.String(255)), schema="public")
    op.add_column(T, sa.Column("id_token_encrypted", sa.Text()), schema="public")
    op.create_index(
        "ix_browser_sessions_identity_provider_id_sid",
        T,
        ["identity_provider_id", "sid"],
        schema="public",
    )
    to_tenant_roles(GRANT)


def downgrade() -> None:
    op.drop_index("ix_browser_sessions_identity_provider_id_sid", table_name=T, schema="public")
    for name in ("id_token_encrypted", "sid", "user_agent", "client_address"):
        op.drop_column(T, name, schema="public")
    op.drop_column(T, "identity_provider_id", schema="public")
