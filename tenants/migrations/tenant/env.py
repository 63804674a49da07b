"""Alembic environment of the tenant history, shared by every tenant schema.

tenants/migrate.py opens a transaction, takes the tenant's role with
`SET LOCAL ROLE` (so the tenant role owns what it creates) and sets a
transaction-local `search_path` to the tenant schema, so the unqualified DDL of
the migrations lands in that schema. The version table lives in the schema too.
"""

from alembic import context

import tenants.models  # noqa: F401  (registers the tables)
from tenants.base import TenantBase
from tenants.migrate import include_object

config = context.config
connection = config.attributes["connection"]
schema = config.attributes["tenant_schema"]


context.configure(
    connection=connection,
    include_object=include_object,
    target_metadata=TenantBase.metadata,
    version_table="alembic_version",
    version_table_schema=schema,
    include_schemas=False,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
