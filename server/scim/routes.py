"""The SCIM endpoints, mounted at `/scim/v2/{tenant}/{idp}` (server/app.py)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from scim2_models import (
    Context,
    InvalidValueException,
    ListResponse,
    NotFoundException,
    PatchOp,
    PreconditionFailedException,
    SCIMException,
    ScimFilter,
    SearchRequest,
    UniquenessException,
    User,
)
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from server.scim import discovery
from server.scim.auth import provider_session
from server.scim.mapping import etag, parse_user, to_fields, to_user
from server.scim.responses import from_domain, scim_error, scim_json
from tenants.errors import DomainError
from tenants.models import IdentityProvider
from tenants.services import scim as service

Handler = Callable[[Request], Awaitable[Response]]


def _scim(handler: Handler) -> Handler:
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


def _base_url(request: Request) -> str:
    p = request.path_params
    return f"{str(request.base_url).rstrip('/')}/scim/v2/{p['tenant']}/{p['idp']}"


async def _body(request: Request) -> Any:
    try:
        return await request.json()
    except ValueError:
        raise InvalidValueException(detail="the body is not JSON") from None


def _member_id(request: Request) -> uuid.UUID:
    try:
        return uuid.UUID(request.path_params["user_id"])
    except ValueError:
        raise NotFoundException(detail="user not found") from None


def _check_if_match(request: Request, current: service.ScimMember) -> None:
    wanted = request.headers.get("if-match")
    if wanted is not None and wanted.strip() != "*" and etag(current) not in wanted:
        raise PreconditionFailedException()


def _user_response(request: Request, item: service.ScimMember, status: int = 200) -> Response:
    user = to_user(item, _base_url(request))
    ctx = Context.RESOURCE_CREATION_RESPONSE if status == 201 else Context.RESOURCE_QUERY_RESPONSE
    response = scim_json(user.model_dump(scim_ctx=ctx), status=status, etag=etag(item))
    if status == 201:
        response.headers["Location"] = f"{_base_url(request)}/Users/{item.member.id}"
    return response


async def _unique_user_name(
    db: Any, provider: IdentityProvider, user_name: str, base: str, skip: uuid.UUID | None
) -> None:
    """userName is unique per service provider (RFC 7643 §4.1.1), case-insensitively."""
    for item in await service.list_scim_members(db, provider=provider):
        if item.member.id == skip:
            continue
        if (to_user(item, base).user_name or "").casefold() == user_name.casefold():
            raise UniquenessException(detail="userName: is already taken")


def _search_request(request: Request) -> SearchRequest[Any]:
    q = request.query_params
    raw: dict[str, Any] = {}
    for name in ("startIndex", "count"):
        if name in q:
            raw[name] = q[name]
    for name in ("attributes", "excludedAttributes"):
        if name in q:
            raw[name] = [a.strip() for a in q[name].split(",") if a.strip()]
    try:
        return SearchRequest.model_validate(raw, scim_ctx=Context.SEARCH_REQUEST)
    except SCIMException:
        raise
    except ValueError as exc:
        raise InvalidValueException(detail=str(exc).splitlines()[0]) from None


@_scim
async def list_users(request: Request) -> Response:
    search = _search_request(request)
    base = _base_url(request)
    raw_filter = request.query_params.get("filter")
    # A syntax error is an invalidFilter error (scim2-models raises it so).
    matcher = ScimFilter[User[Any]](raw_filter) if raw_filter else None
    async with provider_session(request) as (db, provider):
        users = [
            to_user(item, base) for item in await service.list_scim_members(db, provider=provider)
        ]
    if matcher is not None:
        users = [u for u in users if matcher.match(u)]
    start = max(search.start_index or 1, 1)
    count = (
        discovery.MAX_RESULTS
        if search.count is None
        else min(max(search.count, 0), discovery.MAX_RESULTS)
    )
    page = users[start - 1 : start - 1 + count]
    body = ListResponse[User[Any]](
        total_results=len(users), start_index=start, items_per_page=len(page), resources=page
    ).model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=search)
    return scim_json(body)


@_scim
async def create_user(request: Request) -> Response:
    user = parse_user(await _body(request), Context.RESOURCE_CREATION_REQUEST)
    fields = to_fields(user)
    async with provider_session(request) as (db, provider):
        await _unique_user_name(db, provider, str(user.user_name), _base_url(request), None)
        item = await service.create_scim_member(db, provider=provider, fields=fields)
    return _user_response(request, item, status=201)


@_scim
async def get_user(request: Request) -> Response:
    member_id = _member_id(request)
    async with provider_session(request) as (db, provider):
        item = await service.get_scim_member(db, provider=provider, member_id=member_id)
    if request.headers.get("if-none-match") == etag(item):
        return Response(status_code=304, headers={"ETag": etag(item)})
    return _user_response(request, item)


async def _replace(
    request: Request, member_id: uuid.UUID, user: User[Any], db: Any, provider: IdentityProvider
) -> service.ScimMember:
    await _unique_user_name(db, provider, str(user.user_name), _base_url(request), member_id)
    return await service.replace_scim_member(
        db, provider=provider, member_id=member_id, fields=to_fields(user)
    )


@_scim
async def replace_user(request: Request) -> Response:
    member_id = _member_id(request)
    user = parse_user(await _body(request), Context.RESOURCE_REPLACEMENT_REQUEST)
    async with provider_session(request) as (db, provider):
        current = await service.get_scim_member(db, provider=provider, member_id=member_id)
        _check_if_match(request, current)
        item = await _replace(request, member_id, user, db, provider)
    return _user_response(request, item)


@_scim
async def patch_user(request: Request) -> Response:
    member_id = _member_id(request)
    try:
        patch = PatchOp[User[Any]].model_validate(
            await _body(request), scim_ctx=Context.RESOURCE_PATCH_REQUEST
        )
    except SCIMException:
        raise
    except ValueError as exc:
        raise InvalidValueException(detail=str(exc).splitlines()[0]) from None
    async with provider_session(request) as (db, provider):
        current = await service.get_scim_member(db, provider=provider, member_id=member_id)
        _check_if_match(request, current)
        user = to_user(current, _base_url(request))
        patch.patch(user)
        item = await _replace(request, member_id, user, db, provider)
    return _user_response(request, item)


@_scim
async def delete_user(request: Request) -> Response:
    member_id = _member_id(request)
    async with provider_session(request) as (db, provider):
        current = await service.get_scim_member(db, provider=provider, member_id=member_id)
        _check_if_match(request, current)
        await service.delete_scim_member(db, provider=provider, member_id=member_id)
    return Response(status_code=204)


@_scim
async def service_provider_config(request: Request) -> Response:
    async with provider_session(request):
        pass
    return scim_json(discovery.service_provider_config(_base_url(request)))


@_scim
async def resource_types(request: Request) -> Response:
    async with provider_session(request):
        pass
    name = request.path_params.get("name")
    base = _base_url(request)
    return scim_json(
        discovery.resource_types(base) if name is None else discovery.resource_type(base, name)
    )


@_scim
async def schemas(request: Request) -> Response:
    async with provider_session(request):
        pass
    schema_id = request.path_params.get("schema_id")
    base = _base_url(request)
    return scim_json(
        discovery.schemas(base) if schema_id is None else discovery.schema(base, schema_id)
    )


@_scim
async def unknown(request: Request) -> Response:
    async with provider_session(request):
        pass
    raise NotFoundException(detail="no such SCIM endpoint")


scim_mount = Mount(
    "/scim/v2/{tenant}/{idp:uuid}",
    routes=[
        Route("/ServiceProviderConfig", service_provider_config, methods=["GET"]),
        Route("/ResourceTypes", resource_types, methods=["GET"]),
        Route("/ResourceTypes/{name}", resource_types, methods=["GET"]),
        Route("/Schemas", schemas, methods=["GET"]),
        Route("/Schemas/{schema_id}", schemas, methods=["GET"]),
        Route("/Users", list_users, methods=["GET"]),
        Route("/Users", create_user, methods=["POST"]),
        Route("/Users/{user_id}", get_user, methods=["GET"]),
        Route("/Users/{user_id}", replace_user, methods=["PUT"]),
        Route("/Users/{user_id}", patch_user, methods=["PATCH"]),
        Route("/Users/{user_id}", delete_user, methods=["DELETE"]),
        Route("/{rest:path}", unknown, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
    ],
)
