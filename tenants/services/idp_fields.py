"""Checking an identity provider's settings before they are stored.

The issuer is kept exactly as given: it is compared byte for byte with the
discovery document's `issuer` and the id token's `iss`, so no normalisation
(trailing slash, case) may happen here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from tenants.principals import STAFF_ROLES, Role
from tenants.services.validation import Collector, Unset, given

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_SCOPE = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]{1,100}$")
_CLAIM = re.compile(r"^[A-Za-z0-9_:./-]{1,100}$")
# The rule, stated in every refusal of an issuer (service, CLI, GraphQL, login).
ISSUER_RULE = (
    "must be an https URL without query, fragment or credentials "
    "(plain http is accepted only outside production, i.e. STEWARD_ENV=development or test)"
)
MAX_ITEMS = 100


def is_plain_http(issuer: str) -> bool:
    """True for an http issuer: accepted outside production, where callers warn about it."""
    return urlsplit(issuer).scheme == "http"


def check_issuer(c: Collector, value: str, *, allow_http: bool) -> str:
    """An https URL without query or fragment; any plain http host too when `allow_http`
    (outside production: a Keycloak at http://keycloak:8080 in a compose network)."""
    issuer = c.text("issuer", value, max_length=500)
    if not issuer:
        return issuer
    parts = urlsplit(issuer)
    schemes = ("https", "http") if allow_http else ("https",)
    if (
        parts.scheme not in schemes
        or not parts.hostname
        or parts.query
        or parts.fragment
        or "@" in parts.netloc
    ):
        c.add("issuer", ISSUER_RULE)
    return issuer


def check_domains(c: Collector, values: Sequence[str]) -> list[str]:
    """Lower-cased e-mail domains, at least one: a provider with none could provision nobody."""
    domains: list[str] = []
    if isinstance(values, str) or len(values) > MAX_ITEMS:
        c.add("allowedDomains", f"must be a list of at most {MAX_ITEMS} domains")
        return domains
    for i, raw in enumerate(values):
        domain = raw.strip().lower()
        if not _DOMAIN.fullmatch(domain):
            c.add(f"allowedDomains[{i}]", "is not a domain name")
        elif domain not in domains:
            domains.append(domain)
    if not domains and not c.has("allowedDomains"):
        c.add("allowedDomains", "must list at least one e-mail domain")
    return domains


def check_scopes(c: Collector, values: Sequence[str]) -> list[str]:
    scopes: list[str] = []
    for i, raw in enumerate(list(values)[: MAX_ITEMS + 1]):
        if not _SCOPE.fullmatch(raw):
            c.add(f"scopes[{i}]", "is not a valid scope")
        elif raw not in scopes:
            scopes.append(raw)
    if len(values) > MAX_ITEMS:
        c.add("scopes", f"must have at most {MAX_ITEMS} items")
    if "openid" not in scopes:
        c.add("scopes", "must include openid")
    return scopes


def _role_fits(role: Role, *, staff: bool) -> bool:
    return (role in STAFF_ROLES) == staff


def check_role(c: Collector, field: str, value: object, *, staff: bool) -> Role:
    role = c.enum(field, Role, value)
    if not c.has(field) and not _role_fits(role, staff=staff):
        kind = "a staff role" if staff else "a client role"
        c.add(field, f"must be {kind} for this provider")
    return role


def check_mapping(
    c: Collector, value: Mapping[str, Any] | None, *, staff: bool
) -> dict[str, Any] | None:
    """`{"claim": name, "values": {claim value: role}}`, every role fitting the provider."""
    if value is None:
        return None
    claim = value.get("claim")
    values = value.get("values")
    if not isinstance(claim, str) or not _CLAIM.fullmatch(claim):
        c.add("claimRoleMapping.claim", "must name a claim (letters, digits, _ : . / -)")
    if not isinstance(values, Mapping) or not values or len(values) > MAX_ITEMS:
        c.add("claimRoleMapping.values", f"must map 1 to {MAX_ITEMS} claim values to roles")
        return None
    mapped: dict[str, str] = {}
    for key, role in values.items():
        if not isinstance(key, str) or not key or len(key) > 200:
            c.add("claimRoleMapping.values", "claim values must be 1 to 200 characters")
            continue
        mapped[key] = check_role(c, f"claimRoleMapping.values.{key}", role, staff=staff).value
    return {"claim": claim, "values": mapped}


def check_claim_name(c: Collector, field: str, value: str) -> str:
    """A top-level claim name such as `email`, `preferred_username` or `upn`."""
    if not _CLAIM.fullmatch(value):
        c.add(field, "must name a claim (letters, digits, _ : . / -)")
    return value


def check_claim_fields(
    c: Collector,
    *,
    email_claim: str | Unset,
    name_claim: str | Unset,
    require_email_verified: bool | Unset,
) -> dict[str, object]:
    changes: dict[str, object] = {}
    if given(email_claim):
        changes["email_claim"] = check_claim_name(c, "emailClaim", email_claim)
    if given(name_claim):
        changes["name_claim"] = check_claim_name(c, "nameClaim", name_claim)
    if given(require_email_verified):
        changes["require_email_verified"] = bool(require_email_verified)
    return changes


def check_provider_fields(
    c: Collector,
    *,
    staff: bool,
    issuer: str | Unset,
    client_id: str | Unset,
    client_secret: str | Unset,
    allowed_domains: Sequence[str] | Unset,
    default_role: Role | Unset,
    scopes: Sequence[str] | Unset,
    claim_role_mapping: Mapping[str, Any] | Unset | None,
    name: str | Unset | None,
    allow_http: bool,
) -> dict[str, object]:
    """The column values for the given fields; problems are collected in `c`."""
    changes: dict[str, object] = {}
    if given(issuer):
        changes["issuer"] = check_issuer(c, issuer, allow_http=allow_http)
    if given(client_id):
        changes["client_id"] = c.text("clientId", client_id, max_length=500)
    if given(client_secret):
        changes["client_secret"] = c.text("clientSecret", client_secret, max_length=2000)
    if given(allowed_domains):
        changes["allowed_domains"] = check_domains(c, allowed_domains)
    if given(default_role):
        changes["default_role"] = check_role(c, "defaultRole", default_role, staff=staff)
    if given(scopes):
        changes["scopes"] = check_scopes(c, scopes)
    if given(claim_role_mapping):
        changes["claim_role_mapping"] = check_mapping(c, claim_role_mapping, staff=staff)
    if given(name):
        # None asks for the default name, chosen by the caller.
        changes["name"] = "" if name is None else c.text("name", name)
    return changes
