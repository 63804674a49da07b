"""encrypt the webhook secret at rest (2026-12-01)

The secret stays needed in clear to sign deliveries, so it is encrypted with
STEWARD_SECRET_KEY rather than hashed. A migration has no key: a secret that 0003
stored in clear stays in `webhook_secret` until the worker's next delivery
encrypts it into `webhook_secret_encrypted` and clears the old column (or the
schedule is configured again). A downgrade cannot decrypt either: it drops the
encrypted secrets, and the webhook must then be configured again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.add_column(
        "report_schedules", sa.Column("webhook_secret_encrypted", sa.Text(), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("report_schedules", "webhook_secret_encrypted")
