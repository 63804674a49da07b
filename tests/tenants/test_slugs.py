import re
import uuid

import pytest

from tenants.slugs import (
    InvalidSlugError,
    role_name,
    role_name_pattern,
    schema_name,
    validate_slug,
)


@pytest.mark.parametrize("slug", ["acme", "big_four_1", "a" + "b" * 39])
def test_valid_slugs_pass(slug: str) -> None:
    assert validate_slug(slug) == slug


@pytest.mark.parametrize(
    "slug",
    ["ab", "Acme", "1acme", "acme-co", "a" * 41, "acme;drop", "", "ac me", "ümlaut"],
)
def test_malformed_slugs_are_rejected_with_the_rule(slug: str) -> None:
    with pytest.raises(InvalidSlugError, match="3 to 40 characters"):
        validate_slug(slug)


@pytest.mark.parametrize(
    "slug", ["public", "information_schema", "postgres", "template1", "session", "logout"]
)
def test_reserved_names_are_rejected(slug: str) -> None:
    with pytest.raises(InvalidSlugError, match="reserved"):
        validate_slug(slug)


@pytest.mark.parametrize("slug", ["pg_catalog", "pg_toast", "tenant_x", "st_abc"])
def test_reserved_prefixes_are_rejected(slug: str) -> None:
    with pytest.raises(InvalidSlugError, match="reserved"):
        validate_slug(slug)


def test_schema_and_role_names_derive_from_the_slug() -> None:
    assert schema_name("acme") == "tenant_acme"
    assert role_name("acme", "db1").endswith("_acme")
    assert role_name("acme", "db1") != role_name("acme", "db2")
    assert len(role_name("a" * 40, "x" * 63)) <= 63
    first, second = uuid.uuid4(), uuid.uuid4()
    assert role_name("acme", "db1", first) != role_name("acme", "db1", second)
    assert role_name("acme", "db1", first).endswith(first.hex[:6] + "_acme")
    assert len(role_name("a" * 40, "x" * 63, first)) <= 63


def test_the_role_pattern_matches_every_incarnation_of_its_slug_only() -> None:
    pattern = re.compile(role_name_pattern("acme", "db1"))
    assert pattern.match(role_name("acme", "db1"))
    assert pattern.match(role_name("acme", "db1", uuid.uuid4()))
    # Slugs may hold `_` and hex digits; the pattern still tells them apart.
    for other in ("acme_abcdef", "abcdef_acme", "acme_acme", "acm"):
        assert not pattern.match(role_name(other, "db1"))
        assert not pattern.match(role_name(other, "db1", uuid.uuid4()))
    assert not pattern.match(role_name("acme", "db2", uuid.uuid4()))
