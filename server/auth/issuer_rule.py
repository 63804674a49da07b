"""The issuer rule, one place for the CLI, the login and (through its settings) GraphQL.

Outside production (STEWARD_ENV=development or test) any plain http issuer is
accepted, with a warning, so a Keycloak at `http://keycloak:8080/realms/acme`
in a compose network works; in production only https. The stored-provider
check is `tenants.services.idp_fields.check_issuer` (its message, ISSUER_RULE,
states the rule); login fetches discovery with `require_https=settings.production`.
"""

from __future__ import annotations

from server.settings import Settings
from tenants.services.idp_fields import is_plain_http


def allow_http_issuers(settings: Settings) -> bool:
    return not settings.production


def http_issuer_warning(settings: Settings, issuer: str) -> str | None:
    """Why a plain http issuer is accepted here and would not be in production."""
    if not allow_http_issuers(settings) or not is_plain_http(issuer):
        return None
    return (
        f"the issuer {issuer} is plain http: accepted because STEWARD_ENV={settings.env.value}, "
        "refused in production (https only); tokens and codes cross the network unencrypted"
    )
