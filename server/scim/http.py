"""What every SCIM endpoint shares: failures as SCIM errors, the base URL, the request body
and the RFC 7644 §3.4.2.5 response parameters."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from scim2_models import (
    Context,
    Error,
    InvalidValueException,
    ResponseParameters,
    SCIMException,
)
from starlette.requests import Request
from starlette.responses import Response

from server.scim.auth import provider_session
from server.scim.responses import from_domain, scim_error, scim_json
from tenants.errors import DomainError

Handler = Callable[[Request], Awaitable[Response]]


def scim_endpoint(handler: Handler) -> Handler:
    """Every failure as a SCIM error message; a domain failure has already rolled back."""

    @wraps(handler)
    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except SCIMException as exc:
            return scim_error(exc)
        except DomainError as exc:
            return scim_error(from_domain(exc))

    return wrapped


@scim_endpoint
async def method_not_allowed(request: Request) -> Response:
    """405 for a method the endpoint does not take (RFC 7644 §3.12), once authenticated."""
    async with provider_session(request):
        pass
    error = Error(status=405, detail=f"{request.method} is not supported here")
    return scim_json(error.model_dump(), status=405)


def base_url(request: Request) -> str:
    p = request.path_params
    return f"{str(request.base_url).rstrip('/')}/scim/v2/{p['tenant']}/{p['idp']}"


async def json_body(request: Request) -> Any:
    try:
        return await request.json()
    except ValueError:
        raise InvalidValueException(detail="the body is not JSON") from None


def _attribute_list(raw: str) -> list[str]:
    return [a.strip() for a in raw.split(",") if a.strip()]


def response_parameters(request: Request) -> ResponseParameters[Any]:
    """`attributes` / `excludedAttributes` from the query string."""
    q = request.query_params
    raw: dict[str, Any] = {}
    for name in ("attributes", "excludedAttributes"):
        if name in q:
            raw[name] = _attribute_list(q[name])
    try:
        return ResponseParameters.model_validate(raw, scim_ctx=Context.RESOURCE_QUERY_REQUEST)
    except SCIMException:
        raise
    except ValueError as exc:
        raise InvalidValueException(detail=str(exc).splitlines()[0]) from None
