"""sign-in: attempts, sessions, logout (issue 10)

Empty on purpose. It was reserved for that work, which needed no table here or did not
land in the stop it was reserved for. It may already be applied wherever Steward runs, so
never fill it in: new schema changes go in a new revision after the head.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from collections.abc import Sequence

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
