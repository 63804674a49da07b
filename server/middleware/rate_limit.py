"""Rate limits backed by Redis: per client address before authentication, per principal after.

A fixed one-minute window per key (INCR + EXPIRE in one round trip). Over the limit the
answer is 429 with `Retry-After`. Two middlewares share the counters:

* `AddressRateLimitMiddleware` runs before authentication. A request that can only be
  counted per address (no credential, or a login route) is counted there and then; a
  request with a credential is only checked, so that once an address has used up its
  budget, a flood of bogus tokens is refused without a database lookup.
* `PrincipalRateLimitMiddleware` runs after authentication: an authenticated request
  counts against its principal; a credential that failed counts against the address.

The address is `scope["client"]`, which `server/middleware/forwarded.py` has set from
X-Forwarded-For when the peer is a trusted proxy. When Redis is unreachable the limiter
lets requests through and logs it: the API stays available for reads (see
tests/faults/test_redis_outage.py), at the price of no limiting during an outage.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.types import ASGIApp, Receive, Scope, Send

from server.auth.bearer import bearer_secret
from server.auth.cookies import SESSION_COOKIE, read_cookie
from server.responses import json_error

log = structlog.get_logger("steward.ratelimit")
WINDOW_S = 60
LIMITED_PREFIXES = ("/graphql", "/reports/", "/auth/", "/status", "/scim/")
# Routes limited per address even with a credential: the login flow and the operator view
# (whose credential is not a principal).
ADDRESS_ONLY_PREFIXES = ("/auth/", "/status")
# Routes that count their own caller once they know it: SCIM's bearer token is a
# provider's, checked by the route (server/scim/auth.py calls `spend`), not a principal.
SELF_COUNTED_PREFIXES = ("/scim/",)
STATE_KEY = "rate_limits"
_COUNTED = "ratelimit_address_counted"


@dataclass(frozen=True, slots=True)
class RateLimits:
    per_principal: int  # requests a minute for one authenticated principal
    per_address: int  # a minute from one address: unauthenticated, failed or login requests
    namespace: str = "steward"  # deployments sharing one Redis keep separate counters


class _Window:
    """The current window's counter for a key, and the 429 once it is over."""

    def __init__(self, limits: RateLimits, key: str) -> None:
        self.now = time.time()
        self.window = int(self.now // WINDOW_S)
        self.redis_key = f"{limits.namespace}:ratelimit:{key}:{self.window}"

    async def incr(self, redis: Redis) -> int | None:
        """The count after this request; None when Redis is unreachable."""
        try:
            async with redis.pipeline(transaction=True) as pipe:
                pipe.incr(self.redis_key)
                pipe.expire(self.redis_key, WINDOW_S + 5)
                count, _ = await pipe.execute()
        except (RedisError, OSError):
            log.warning("ratelimit.redis_unavailable")
            return None
        return int(count)

    async def peek(self, redis: Redis) -> int | None:
        """The count so far, without counting this request."""
        try:
            value = await redis.get(self.redis_key)
        except (RedisError, OSError):
            log.warning("ratelimit.redis_unavailable")
            return None
        return int(value or 0)

    @property
    def retry_after(self) -> int:
        return max(1, int((self.window + 1) * WINDOW_S - self.now) + 1)

    async def refuse(self, limit: int, scope: Scope, receive: Receive, send: Send) -> None:
        retry_after = self.retry_after
        response = json_error(
            429,
            "RATE_LIMITED",
            f"too many requests: at most {limit} a minute; retry after {retry_after}s",
            headers={"Retry-After": str(retry_after)},
        )
        await response(scope, receive, send)


async def spend(redis: Redis, limits: RateLimits, key: str, limit: int) -> int | None:
    """Count one request against `key`: the Retry-After seconds once over `limit`, else None
    (also None when Redis is unreachable, as for the middlewares)."""
    window = _Window(limits, key)
    count = await window.incr(redis)
    return window.retry_after if count is not None and count > limit else None


def address_key(scope: Scope) -> str:
    return _address_key(scope)


def _address_key(scope: Scope) -> str:
    client = scope.get("client")
    return f"a:{client[0] if client else 'unknown'}"


def _has_credential(scope: Scope) -> bool:
    headers = scope["headers"]
    return bearer_secret(headers) is not None or read_cookie(headers, SESSION_COOKIE) is not None


class AddressRateLimitMiddleware:
    """Pure ASGI, placed before authentication: the address's budget, with no database work."""

    def __init__(self, app: ASGIApp, *, limits: RateLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = scope.setdefault("state", {}) if scope["type"] == "http" else {}
        state[STATE_KEY] = self.limits
        redis = state.get("redis")
        if redis is None or not scope["path"].startswith(LIMITED_PREFIXES):
            await self.app(scope, receive, send)
            return
        window = _Window(self.limits, _address_key(scope))
        limit = self.limits.per_address
        if scope["path"].startswith(ADDRESS_ONLY_PREFIXES) or not _has_credential(scope):
            state[_COUNTED] = True
            count = await window.incr(redis)
            over = count is not None and count > limit
        else:
            count = await window.peek(redis)
            over = count is not None and count >= limit
        if over:
            await window.refuse(limit, scope, receive, send)
            return
        await self.app(scope, receive, send)


class PrincipalRateLimitMiddleware:
    """Pure ASGI, placed after authentication: the principal's budget, or the address's
    for a credential that did not authenticate."""

    def __init__(self, app: ASGIApp, *, limits: RateLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = scope.get("state", {}) if scope["type"] == "http" else {}
        redis = state.get("redis")
        path = scope.get("path", "")
        if (
            redis is None
            or state.get(_COUNTED)
            or not path.startswith(LIMITED_PREFIXES)
            or path.startswith(SELF_COUNTED_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        principal = state.get("principal")
        if principal is not None:
            window = _Window(self.limits, f"p:{principal.tenant.id}:{principal.id}")
            limit = self.limits.per_principal
        else:  # a credential was sent and failed: it spends the address's budget
            window = _Window(self.limits, _address_key(scope))
            limit = self.limits.per_address
        count = await window.incr(redis)
        if count is not None and count > limit:
            await window.refuse(limit, scope, receive, send)
            return
        await self.app(scope, receive, send)
