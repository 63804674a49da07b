"""Tenant slug validation and the names derived from a slug.

A schema or role name is only ever derived from a slug that passed `validate_slug`,
and at run time only from the registry row of the authenticated principal.
"""

from __future__ import annotations

import hashlib
import re

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9_]{2,39}$")

# Names that would collide with PostgreSQL's own schemas or roles, or read as
# something they are not in logs and URLs.
RESERVED_SLUGS = frozenset(
    {
        "public",
        "information_schema",
        "postgres",
        "template0",
        "template1",
        "admin",
        "root",
        "steward",
        "platform",
        "default",
        "none",
        "null",
        "current_user",
        "session_user",
        "system",
        # Fixed routes beside /auth/{tenant} (server/routes/auth.py): a tenant of these
        # names could not reach its own sign-in page.
        "session",
        "logout",
    }
)
RESERVED_PREFIXES = ("pg_", "tenant_", "steward_", "st_")


class InvalidSlugError(ValueError):
    """The slug cannot name a tenant; the message says why."""


def validate_slug(slug: str) -> str:
    """Return `slug` when it may name a tenant, else raise InvalidSlugError."""
    if not SLUG_PATTERN.fullmatch(slug):
        raise InvalidSlugError(
            f"invalid tenant slug {slug!r}: use 3 to 40 characters, lower-case letters, "
            "digits and underscores, starting with a letter"
        )
    if slug in RESERVED_SLUGS:
        raise InvalidSlugError(f"invalid tenant slug {slug!r}: the name is reserved")
    for prefix in RESERVED_PREFIXES:
        if slug.startswith(prefix):
            raise InvalidSlugError(
                f"invalid tenant slug {slug!r}: names starting with {prefix!r} are reserved"
            )
    return slug


def schema_name(slug: str) -> str:
    """The PostgreSQL schema that holds the tenant's data."""
    return f"tenant_{validate_slug(slug)}"


def role_name(slug: str, database: str) -> str:
    """The PostgreSQL role that alone may use the tenant's schema.

    Roles are cluster-wide while schemas are per database, so the role carries a
    short digest of the database name: two databases on one server (a test run
    beside the demo) can both hold a tenant `acme` without sharing a role.
    """
    digest = hashlib.sha256(database.encode()).hexdigest()[:8]
    return f"st_{digest}_{validate_slug(slug)}"


def quote_ident(name: str) -> str:
    """A PostgreSQL identifier, double-quoted (for DDL and SET ROLE, which take no parameters)."""
    return '"' + name.replace('"', '""') + '"'
