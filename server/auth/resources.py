"""What browser login needs, created once in the app's lifespan and handed to the routes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from server.auth.issuer_rule import allow_http_issuers
from server.auth.oidc_client import OidcClient
from server.auth.secret_key import secret_box_for
from server.settings import Settings
from tenants.services.secret_box import SecretBox


@dataclass(frozen=True, slots=True)
class AuthResources:
    oidc: OidcClient
    box: SecretBox
    settings: Settings

    @property
    def session_idle(self) -> timedelta:
        return timedelta(minutes=self.settings.session_idle_minutes)

    @property
    def login_ttl(self) -> timedelta:
        return timedelta(seconds=self.settings.login_ttl_seconds)

    @property
    def secure_cookies(self) -> bool:
        return self.settings.production

    async def aclose(self) -> None:
        await self.oidc.aclose()


def open_auth(settings: Settings) -> AuthResources:
    """The login resources for `settings` (the secret box fails fast on a bad key)."""
    return AuthResources(
        oidc=OidcClient(
            timeout=settings.oidc_timeout_seconds,
            metadata_ttl=settings.oidc_metadata_ttl_seconds,
            jwks_min_refresh=settings.jwks_min_refresh_seconds,
            require_https=not allow_http_issuers(settings),
            leeway=settings.id_token_leeway_seconds,
        ),
        box=secret_box_for(settings),
        settings=settings,
    )
