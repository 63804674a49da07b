"""Which rows of each tenant table belong to one client engagement, derived from foreign keys.

`client_organisations` is the root; a table belongs through any foreign key into a table
that belongs (a row is in if one of its keys points at an engagement row), and
`audit_events` through its `client_id` (it has no foreign key, to outlive archives).
A table with no such path is tenant-wide: exported whole when an engagement table refers
to it (the capability dimensions that scores name), left out otherwise (branding,
schedules). So a table added later is classified without any change here.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Table, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from jobs.exports.tenant_json import tenant_tables

Scope = dict[str, ColumnElement[bool]]


def _belongs(table: Table, client_id: uuid.UUID, scoped: Scope) -> ColumnElement[bool] | None:
    if table.name == "client_organisations":
        return table.c.id == client_id
    if table.name == "audit_events":
        return table.c.client_id == client_id
    terms: list[ColumnElement[bool]] = []
    for fk in table.foreign_keys:
        parent = fk.column.table
        if parent.name == "client_organisations":
            terms.append(fk.parent == client_id)
        elif parent.name in scoped and isinstance(parent, Table):
            terms.append(fk.parent.in_(select(fk.column).where(scoped[parent.name])))
    return or_(*terms) if terms else None


def client_scope(client_id: uuid.UUID) -> Scope:
    """A row filter per exported table; tables absent from the result are left out."""
    scoped: Scope = {}
    tenant_wide: list[Table] = []
    for table in tenant_tables():  # parents first, so a parent's filter is known
        where = _belongs(table, client_id, scoped)
        if where is None:
            tenant_wide.append(table)
        else:
            scoped[table.name] = where
    referenced = {
        fk.column.table.name
        for table in tenant_tables()
        if table.name in scoped
        for fk in table.foreign_keys
    }
    for table in tenant_wide:
        if table.name in referenced:
            scoped[table.name] = true()
    return scoped


def excluded(scope: Scope) -> list[str]:
    return [t.name for t in tenant_tables() if t.name not in scope]
