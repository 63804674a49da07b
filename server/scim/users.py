"""`/Users`: list and search (filter, paging, attributes), create, read, replace, patch, delete."""

from __future__ import annotations

import uuid
from typing import Any

from scim2_models import (
    Context,
    InvalidValueException,
    ListResponse,
    NotFoundException,
    PatchOp,
    PreconditionFailedException,
    ResponseParameters,
    SCIMException,
    ScimFilter,
    SearchRequest,
)
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from server.scim import discovery
from server.scim.auth import provider_session
from server.scim.http import base_url, json_body, response_parameters, scim_endpoint
from server.scim.mapping import etag, parse_user, to_fields, to_user
from server.scim.models import User
from server.scim.responses import scim_json
from tenants.models import IdentityProvider
from tenants.services import scim as service


def _member_id(request: Request) -> uuid.UUID:
    try:
        return uuid.UUID(request.path_params["user_id"])
    except ValueError:
        raise NotFoundException(detail="user not found") from None


def _check_if_match(request: Request, current: service.ScimMember) -> None:
    wanted = request.headers.get("if-match")
    if wanted is not None and wanted.strip() != "*" and etag(current) not in wanted:
        raise PreconditionFailedException()


def _user_response(
    request: Request,
    item: service.ScimMember,
    *,
    status: int = 200,
    params: ResponseParameters[Any] | None = None,
) -> Response:
    user = to_user(item, base_url(request))
    ctx = Context.RESOURCE_CREATION_RESPONSE if status == 201 else Context.RESOURCE_QUERY_RESPONSE
    body = user.model_dump(scim_ctx=ctx, response_parameters=params)
    response = scim_json(body, status=status, etag=etag(item))
    if status == 201:
        response.headers["Location"] = f"{base_url(request)}/Users/{item.member.id}"
    return response


def _search_from_query(request: Request) -> dict[str, Any]:
    q = request.query_params
    raw: dict[str, Any] = {name: q[name] for name in ("filter", "startIndex", "count") if name in q}
    for name in ("attributes", "excludedAttributes"):
        if name in q:
            raw[name] = [a.strip() for a in q[name].split(",") if a.strip()]
    return raw


async def _search(request: Request, raw: dict[str, Any]) -> Response:
    raw_filter = raw.pop("filter", None)
    # A syntax error is scim2-models' invalidFilter error.
    matcher = ScimFilter[User](str(raw_filter)) if raw_filter else None
    try:
        search: SearchRequest[Any] = SearchRequest.model_validate(
            raw, scim_ctx=Context.SEARCH_REQUEST
        )
    except SCIMException:
        raise
    except ValueError as exc:
        raise InvalidValueException(detail=str(exc).splitlines()[0]) from None
    base = base_url(request)
    async with provider_session(request) as (db, provider):
        members = await service.list_scim_members(db, provider=provider)
    users = [to_user(item, base) for item in members]
    if matcher is not None:
        users = [u for u in users if matcher.match(u)]
    start = max(search.start_index or 1, 1)
    wanted = discovery.MAX_RESULTS if search.count is None else search.count
    page = users[start - 1 : start - 1 + min(max(wanted, 0), discovery.MAX_RESULTS)]
    body = ListResponse[User](
        total_results=len(users), start_index=start, items_per_page=len(page), resources=page
    ).model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=search)
    return scim_json(body)


@scim_endpoint
async def list_users(request: Request) -> Response:
    return await _search(request, _search_from_query(request))


@scim_endpoint
async def search_users(request: Request) -> Response:
    """POST /Users/.search (RFC 7644 §3.4.3): the query parameters in a body."""
    body = await json_body(request)
    if not isinstance(body, dict):
        raise InvalidValueException(detail="the body must be a SearchRequest")
    body.pop("schemas", None)
    return await _search(request, body)


@scim_endpoint
async def create_user(request: Request) -> Response:
    user = parse_user(await json_body(request), Context.RESOURCE_CREATION_REQUEST)
    fields = to_fields(user)
    async with provider_session(request) as (db, provider):
        item = await service.create_scim_member(db, provider=provider, fields=fields)
    return _user_response(request, item, status=201)


@scim_endpoint
async def get_user(request: Request) -> Response:
    member_id = _member_id(request)
    params = response_parameters(request)
    async with provider_session(request) as (db, provider):
        item = await service.get_scim_member(db, provider=provider, member_id=member_id)
    if request.headers.get("if-none-match") == etag(item):
        return Response(status_code=304, headers={"ETag": etag(item)})
    return _user_response(request, item, params=params)


async def _replace(
    request: Request, db: AsyncSession, provider: IdentityProvider, member_id: uuid.UUID, user: User
) -> service.ScimMember:
    return await service.replace_scim_member(
        db, provider=provider, member_id=member_id, fields=to_fields(user)
    )


@scim_endpoint
async def replace_user(request: Request) -> Response:
    member_id = _member_id(request)
    user = parse_user(await json_body(request), Context.RESOURCE_REPLACEMENT_REQUEST)
    async with provider_session(request) as (db, provider):
        current = await service.get_scim_member(db, provider=provider, member_id=member_id)
        _check_if_match(request, current)
        item = await _replace(request, db, provider, member_id, user)
    return _user_response(request, item)


def _patch_op(payload: Any) -> PatchOp[User]:
    try:
        return PatchOp[User].model_validate(payload, scim_ctx=Context.RESOURCE_PATCH_REQUEST)
    except SCIMException:
        raise
    except ValueError as exc:
        raise InvalidValueException(detail=str(exc).splitlines()[0]) from None


@scim_endpoint
async def patch_user(request: Request) -> Response:
    """PATCH applies the operations (scim2-models) to the current resource, then replaces it."""
    member_id = _member_id(request)
    patch = _patch_op(await json_body(request))
    async with provider_session(request) as (db, provider):
        current = await service.get_scim_member(db, provider=provider, member_id=member_id)
        _check_if_match(request, current)
        user = to_user(current, base_url(request))
        patch.patch(user)
        item = await _replace(request, db, provider, member_id, user)
    return _user_response(request, item)


@scim_endpoint
async def delete_user(request: Request) -> Response:
    member_id = _member_id(request)
    async with provider_session(request) as (db, provider):
        current = await service.get_scim_member(db, provider=provider, member_id=member_id)
        _check_if_match(request, current)
        await service.delete_scim_member(db, provider=provider, member_id=member_id)
    return Response(status_code=204)
