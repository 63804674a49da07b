import pytest

from tenants.slugs import InvalidSlugError, role_name, schema_name, validate_slug


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
