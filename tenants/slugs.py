"""Tenant slug validation and the names derived from a slug.

A schema or role name is only ever derived from a slug that passed `validate_slug`,
and at run time only from the registry row of the authenticated principal.
"""

from __future__ import annotations

import hashlib
import re
import uuid

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


def role_name(slug: str, database: str, incarnation: uuid.UUID | None = None) -> str:
    """The PostgreSQL role that alone may use the tenant's schema.

    Roles are cluster-wide while schemas are per database, so the role carries a
    short digest of the database name: two databases on one server (a test run
    beside the demo) can both hold a tenant `acme` without sharing a role.

    `incarnation` (the tenant's registry id, which every create draws anew) makes each
    create of a slug a role of its own name, `st_<digest><6 hex of the id>_<slug>`. On
    Citus, coordinator backends keep worker connections per role *name*: a slug dropped
    and created again under the same name would be served over connections still logged
    in as the dropped role (`permission denied for schema`, infra/SCALE_OUT.md). Without
    it, the name tenants were given before, `st_<digest>_<slug>`; the registry keeps each
    tenant's role name, so both kinds live side by side.
    """
    digest = hashlib.sha256(database.encode()).hexdigest()[:8]
    tag = "" if incarnation is None else incarnation.hex[:6]
    return f"st_{digest}{tag}_{validate_slug(slug)}"


def role_name_pattern(slug: str, database: str) -> str:
    """A PostgreSQL regular expression matching the role of any incarnation of `slug`.

    Unambiguous although slugs may hold `_` and hex digits: the digest and the
    incarnation have fixed lengths, and the slug follows the first `_` after them.
    """
    digest = hashlib.sha256(database.encode()).hexdigest()[:8]
    return f"^st_{digest}([0-9a-f]{{6}})?_{validate_slug(slug)}$"


def quote_ident(name: str) -> str:
    """A PostgreSQL identifier, double-quoted (for DDL and SET ROLE, which take no parameters)."""
    return '"' + name.replace('"', '""') + '"'
