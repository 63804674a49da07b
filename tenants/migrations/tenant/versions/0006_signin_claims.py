"""sign-in: claim mapping per identity provider (issue 10) (2026-12-02)

Which claim carries the e-mail (`email`, or `preferred_username` / `upn` for Entra ID),
which the display name, and whether `email_verified` must be true. Existing providers
get the defaults: `email`, `name`, and strict.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.add_column(
        "identity_providers",
        sa.Column("email_claim", sa.String(100), nullable=False, server_default="email"),
    )
    op.add_column(
        "identity_providers",
        sa.Column("name_claim", sa.String(100), nullable=False, server_default="name"),
    )
    op.add_column(
        "identity_providers",
        sa.Column(
            "require_email_verified", sa.Boolean(), nullable=False, server_default=sa.text("true")
        ),
    )


def downgrade() -> None:
    op.drop_column("identity_providers", "require_email_verified")
    op.drop_column("identity_providers", "name_claim")
    op.drop_column("identity_providers", "email_claim")
