"""Rate limits backed by Redis: per principal on the API, per client address on logins.

A fixed one-minute window per key (INCR + EXPIRE in one round trip). Over the
limit the answer is 429 with `Retry-After`. When Redis is unreachable the limiter
lets requests through and logs it: the API stays available for reads (see
tests/faults/test_redis_outage.py), at the price of no limiting during an outage.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import structlog
from redis.exceptions import RedisError
from starlette.types import ASGIApp, Receive, Scope, Send

from server.responses import json_error

log = structlog.get_logger("steward.ratelimit")
WINDOW_S = 60
LIMITED_PREFIXES = ("/graphql", "/reports/", "/auth/")


@dataclass(frozen=True, slots=True)
class RateLimits:
    per_principal: int  # requests a minute for one authenticated principal
    per_address: int  # requests a minute from one address to the login routes, or unauthenticated
    namespace: str = "steward"  # deployments sharing one Redis keep separate counters


class RateLimitMiddleware:
    """Pure ASGI, placed after authentication so the principal is known."""

    def __init__(self, app: ASGIApp, *, limits: RateLimits) -> None:
        self.app = app
        self.limits = limits

    def _bucket(self, scope: Scope) -> tuple[str, int] | None:
        path: str = scope["path"]
        if not path.startswith(LIMITED_PREFIXES):
            return None
        principal = scope.get("state", {}).get("principal")
        if principal is not None and not path.startswith("/auth/"):
            return f"p:{principal.tenant.id}:{principal.id}", self.limits.per_principal
        client = scope.get("client")
        address = client[0] if client else "unknown"
        return f"a:{address}", self.limits.per_address

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        bucket = self._bucket(scope) if scope["type"] == "http" else None
        redis = scope.get("state", {}).get("redis")
        if bucket is None or redis is None:
            await self.app(scope, receive, send)
            return
        key, limit = bucket
        now = time.time()
        window = int(now // WINDOW_S)
        redis_key = f"{self.limits.namespace}:ratelimit:{key}:{window}"
        try:
            async with redis.pipeline(transaction=True) as pipe:
                pipe.incr(redis_key)
                pipe.expire(redis_key, WINDOW_S + 5)
                count, _ = await pipe.execute()
        except (RedisError, OSError):
            log.warning("ratelimit.redis_unavailable")
            await self.app(scope, receive, send)
            return
        if int(count) > limit:
            retry_after = max(1, int((window + 1) * WINDOW_S - now) + 1)
            response = json_error(
                429,
                "RATE_LIMITED",
                f"too many requests: at most {limit} a minute; retry after {retry_after}s",
                headers={"Retry-After": str(retry_after)},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
