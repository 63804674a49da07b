"""SCIM responses: `application/scim+json` bodies and RFC 7644 §3.12 error messages."""

from __future__ import annotations

from typing import Any

import orjson
from scim2_models import (
    ForbiddenException,
    InvalidValueException,
    NotFoundException,
    SCIMException,
    UniquenessException,
)
from starlette.responses import Response

from schema.errors import shown_field
from tenants.errors import DomainError, ErrorCode

MEDIA_TYPE = "application/scim+json"


def scim_json(body: dict[str, Any], status: int = 200, etag: str | None = None) -> Response:
    headers = {"Cache-Control": "no-store"}
    if etag is not None:
        headers["ETag"] = etag
    return Response(orjson.dumps(body), status_code=status, media_type=MEDIA_TYPE, headers=headers)


def scim_error(exc: SCIMException) -> Response:
    error = exc.to_error()
    status = int(error.status or 500)
    response = scim_json(error.model_dump(), status=status)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="scim"'
    retry_after = getattr(exc, "retry_after", None)
    if status == 429 and isinstance(retry_after, int):
        response.headers["Retry-After"] = str(retry_after)
    return response


def from_domain(exc: DomainError) -> SCIMException:
    """The SCIM error for a domain failure: the first field error decides (they share a code
    in practice), and its field and message become the detail."""
    first = exc.errors[0]
    field = shown_field(first)
    detail = f"{field}: {first.message}" if field else first.message
    if first.code is ErrorCode.NOT_FOUND:
        return NotFoundException(detail=detail)
    if first.code is ErrorCode.CONFLICT:
        return UniquenessException(detail=detail)
    if first.code is ErrorCode.FORBIDDEN:
        return ForbiddenException(detail=detail)
    return InvalidValueException(detail=detail)
