"""JSON error responses shaped like GraphQL errors, for failures outside GraphQL."""

from __future__ import annotations

from starlette.responses import JSONResponse


def json_error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=status,
        headers=headers,
    )


def unauthenticated() -> JSONResponse:
    return json_error(
        401,
        "UNAUTHENTICATED",
        "valid credentials required: send Authorization: Bearer <token> or log in",
        headers={"WWW-Authenticate": 'Bearer realm="steward"'},
    )
