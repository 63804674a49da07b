"""The ASGI application: every route, middleware and shared resource in one place."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute, Route

from schema import build_schema
from schema.compiled.documents import DocumentCache
from schema.limits import SchemaLimits, limit_extensions
from server.auth.backchannel import backchannel_logout
from server.auth.resources import open_auth
from server.auth.signed_in_page import signed_in_page
from server.compiled_reads import CompiledReadPath
from server.graphql_app import StewardGraphQL
from server.health import Probes
from server.logging import configure_logging
from server.middleware.authentication import AuthenticationMiddleware
from server.middleware.body_limit import BodyLimitMiddleware
from server.middleware.database_unavailable import DatabaseUnavailableMiddleware
from server.middleware.forwarded import ForwardedClientMiddleware
from server.middleware.persisted_documents import PersistedDocumentsMiddleware
from server.middleware.rate_limit import (
    AddressRateLimitMiddleware,
    PrincipalRateLimitMiddleware,
    RateLimits,
)
from server.middleware.request_context import RequestContextMiddleware
from server.middleware.security_headers import SecurityHeadersMiddleware
from server.observability.wiring import observability_middleware, observe_engine, traced_graphql
from server.redis_pool import open_pool
from server.routes import auth as auth_routes
from server.routes import exports as exports_routes
from server.routes import logout as logout_routes
from server.routes import reports as reports_routes
from server.scim.routes import scim_mount
from server.settings import Settings
from tenants.engine import make_engine


def create_app(settings: Settings) -> Starlette:
    """Compose Steward. `settings.database_url` and `redis_url` must be set (see cli)."""
    if settings.database_url is None or settings.redis_url is None:
        raise ValueError(
            "create_app needs DATABASE_URL and REDIS_URL (the CLI starts embedded ones)"
        )
    configure_logging(settings.log_level)
    probes = Probes(operator_token=settings.operator_token, queue_name=settings.queue_name)
    return Starlette(
        routes=_routes(probes, _graphql(settings)),
        middleware=_middleware(settings),
        lifespan=_lifespan(settings, settings.database_url, settings.redis_url),
    )


def _lifespan(
    settings: Settings, database_url: str, redis_url: str
) -> Callable[[Starlette], AbstractAsyncContextManager[dict[str, Any]]]:
    """Opens what requests share (engine, Redis, OIDC client) and closes it in reverse."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        engine = make_engine(
            database_url,
            statement_timeout_ms=settings.statement_timeout_ms,
            pool_size=settings.db_pool_size,
        )
        stop_observing = observe_engine(engine, sample=settings.metrics_port is not None)
        redis = open_pool(redis_url, queue_name=settings.queue_name)
        auth = open_auth(settings)
        try:
            yield {"engine": engine, "redis": redis, "settings": settings, "auth": auth}
        finally:
            await auth.aclose()
            await redis.aclose()
            await stop_observing()
            await engine.dispose()

    return lifespan


def _graphql(settings: Settings) -> CompiledReadPath:
    """The /graphql endpoint: the compiled read path in front of Strawberry's executor."""
    limits = SchemaLimits(
        max_depth=settings.max_query_depth,
        max_aliases=settings.max_aliases,
        max_tokens=settings.max_tokens,
        introspection=settings.development,
        suggestions=settings.development,
    )
    schema = build_schema(limits)
    return CompiledReadPath(
        StewardGraphQL(schema, development=settings.development),
        DocumentCache(schema, limit_extensions(limits)),
        mode=settings.read_path,
        diff_log=settings.read_path_diff_log,
    )


def _routes(probes: Probes, graphql: CompiledReadPath) -> list[BaseRoute]:
    return [
        Route("/healthz", probes.healthz, methods=["GET"]),
        Route("/readyz", probes.readyz, methods=["GET"]),
        Route("/status", probes.status, methods=["GET"]),
        Route("/graphql", traced_graphql(graphql), methods=["GET", "POST"]),
        reports_routes.reports_mount,
        exports_routes.exports_mount,  # client tables as CSV / XLSX
        # SCIM 2.0 provisioning per identity provider (server/scim/).
        scim_mount,
        Route("/auth/{tenant}/login", auth_routes.login, methods=["GET"]),
        Route("/auth/{tenant}/callback", auth_routes.callback, methods=["GET"]),
        Route("/auth/{tenant}/signed-in", signed_in_page, methods=["GET"]),
        Route("/auth/{tenant}/signed-out", logout_routes.signed_out_page, methods=["GET"]),
        # OpenID Back-Channel Logout 1.0, per provider (server/auth/backchannel.py).
        Route(
            "/auth/{tenant}/backchannel-logout/{idp:uuid}",
            backchannel_logout,
            methods=["POST"],
        ),
        Route("/auth/session", auth_routes.current_session, methods=["GET"]),
        Route("/auth/logout", logout_routes.logout, methods=["POST"]),
        # After /auth/session: a path parameter would match it too.
        Route("/auth/{tenant}", auth_routes.signin_page, methods=["GET"]),
    ]


def _middleware(settings: Settings) -> list[Middleware]:
    """Outermost first; the order is part of the security design (comments say why)."""
    rate_limits = RateLimits(
        per_principal=settings.rate_limit_per_principal,
        per_address=settings.rate_limit_per_address,
        namespace=settings.queue_name,
    )
    return [
        # Request metrics, and the HTTP span when tracing (server/observability/).
        *observability_middleware(),
        # The client's address behind trusted proxies, before anything reads it.
        Middleware(ForwardedClientMiddleware, trusted_proxies=settings.trusted_proxy_list),
        Middleware(RequestContextMiddleware),
        Middleware(SecurityHeadersMiddleware, development=settings.development),
        Middleware(DatabaseUnavailableMiddleware),
        # An allow-list, never "*": cookies authenticate browser sessions.
        Middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST"],
            allow_headers=["authorization", "content-type", "x-steward-csrf", "x-request-id"],
            allow_credentials=True,
            max_age=600,
        ),
        # Per address before authentication: a flood of bogus credentials is refused
        # without a database lookup; per principal once it is known.
        Middleware(AddressRateLimitMiddleware, limits=rate_limits),
        Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes),
        Middleware(AuthenticationMiddleware),
        Middleware(PrincipalRateLimitMiddleware, limits=rate_limits),
        Middleware(
            PersistedDocumentsMiddleware,
            trusted_only=settings.trusted_documents_only,
            max_document_bytes=settings.max_body_bytes,
            namespace=settings.queue_name,
        ),
    ]
