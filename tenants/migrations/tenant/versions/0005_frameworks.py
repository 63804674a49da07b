"""regulatory frameworks: catalogue mappings, process regulatory profile, client frameworks, tenant control sets (issue 13)

Reserved slot, filled in by the work on that issue; empty until then.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
