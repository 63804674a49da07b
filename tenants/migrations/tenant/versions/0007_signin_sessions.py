"""sign-in: attempts, sessions, logout (issue 10) (2026-12-02)

Reserved, and empty on purpose: never fill it in (tenants/migrations/reserved.py).
"""

from tenants.migrations.reserved import downgrade as downgrade
from tenants.migrations.reserved import upgrade as upgrade

revision = "0007"
down_revision = "0006"
