"""What the shared history grants the tenant roles that exist when it runs.

New tenants get the same grants from tenants/provisioning.py; a migration brings the
tenants that already exist up to them. The statements are the revisions' own (copied:
a migration must not change when the application code does).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def quote(ident: str) -> str:
    """A PostgreSQL identifier, double-quoted."""
    return '"' + ident.replace('"', '""') + '"'


def tenant_roles() -> list[str]:
    """The registered tenants' roles that exist on this server, in name order."""
    rows = op.get_bind().execute(
        sa.text(
            "SELECT t.role_name FROM public.tenants t "
            "JOIN pg_catalog.pg_roles r ON r.rolname = t.role_name ORDER BY t.role_name"
        )
    )
    return [row[0] for row in rows]


def to_tenant_roles(*statements: str) -> None:
    """Run each statement (`{role}` in it) for every existing tenant role."""
    for role in tenant_roles():
        for statement in statements:
            op.execute(statement.format(role=quote(role)))
