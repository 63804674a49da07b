"""The SCIM endpoints, mounted at `/scim/v2/{tenant}/{idp}` (server/app.py).

Discovery endpoints need the provider's token too (RFC 7644 §4 lets a service require it):
without one, nothing tells a caller whether a tenant or provider exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scim2_models import NotFoundException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from server.scim import discovery, users
from server.scim.auth import provider_session
from server.scim.http import Handler, base_url, method_not_allowed, scim_endpoint
from server.scim.responses import scim_json

_WRITES = ["POST", "PUT", "PATCH", "DELETE"]


async def _authenticate(request: Request) -> None:
    # Discovery reads nothing of the tenant, but only a provider's valid token may learn
    # that the tenant and provider exist (see the module docstring).
    async with provider_session(request):
        pass


@scim_endpoint
async def service_provider_config(request: Request) -> Response:
    await _authenticate(request)
    return scim_json(discovery.service_provider_config(base_url(request)))


def _listing_or_one(
    param: str,
    listing: Callable[[str], dict[str, Any]],
    one: Callable[[str, str], dict[str, Any]],
) -> Handler:
    """A discovery endpoint that lists every item, or the one its `param` names."""

    @scim_endpoint
    async def endpoint(request: Request) -> Response:
        await _authenticate(request)
        key = request.path_params.get(param)
        base = base_url(request)
        return scim_json(listing(base) if key is None else one(base, key))

    return endpoint


resource_types = _listing_or_one("name", discovery.resource_types, discovery.resource_type)
schemas = _listing_or_one("schema_id", discovery.schemas, discovery.schema)


@scim_endpoint
async def unknown(request: Request) -> Response:
    await _authenticate(request)
    raise NotFoundException(detail="no such SCIM endpoint")


def _read_only(path: str, endpoint: object) -> list[Route]:
    return [
        Route(path, endpoint, methods=["GET"]),  # type: ignore[arg-type]
        Route(path, method_not_allowed, methods=_WRITES),
    ]


scim_mount = Mount(
    "/scim/v2/{tenant}/{idp:uuid}",
    routes=[
        *_read_only("/ServiceProviderConfig", service_provider_config),
        *_read_only("/ResourceTypes", resource_types),
        *_read_only("/ResourceTypes/{name}", resource_types),
        *_read_only("/Schemas", schemas),
        *_read_only("/Schemas/{schema_id}", schemas),
        Route("/Users", users.list_users, methods=["GET"]),
        Route("/Users", users.create_user, methods=["POST"]),
        Route("/Users/.search", users.search_users, methods=["POST"]),
        # The root search covers every resource type: here, Users only.
        Route("/.search", users.search_users, methods=["POST"]),
        Route("/Users/{user_id}", users.get_user, methods=["GET"]),
        Route("/Users/{user_id}", users.replace_user, methods=["PUT"]),
        Route("/Users/{user_id}", users.patch_user, methods=["PATCH"]),
        Route("/Users/{user_id}", users.delete_user, methods=["DELETE"]),
        Route("/{rest:path}", unknown, methods=["GET", *_WRITES]),
    ],
)
