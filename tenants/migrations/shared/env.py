"""Alembic environment of the shared (public schema) history.

Run through tenants/migrate.py, which hands over an open connection in
`config.attributes["connection"]`.
"""

from alembic import context

from tenants.base import PlatformBase
from tenants.registry import ApiToken, Tenant  # noqa: F401  (registers the tables)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=PlatformBase.metadata,
    version_table="alembic_version",
    version_table_schema="public",
    include_schemas=False,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
