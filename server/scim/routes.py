"""The SCIM endpoints, mounted at `/scim/v2/{tenant}/{idp}` (server/app.py).

Discovery endpoints need the provider's token too (RFC 7644 §4 lets a service require it):
without one, nothing tells a caller whether a tenant or provider exists.
"""

from __future__ import annotations

from scim2_models import NotFoundException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from server.scim import discovery, users
from server.scim.auth import provider_session
from server.scim.http import base_url, method_not_allowed, scim_endpoint
from server.scim.responses import scim_json

_WRITES = ["POST", "PUT", "PATCH", "DELETE"]


@scim_endpoint
async def service_provider_config(request: Request) -> Response:
    async with provider_session(request):
        pass
    return scim_json(discovery.service_provider_config(base_url(request)))


@scim_endpoint
async def resource_types(request: Request) -> Response:
    async with provider_session(request):
        pass
    name = request.path_params.get("name")
    base = base_url(request)
    if name is None:
        return scim_json(discovery.resource_types(base))
    return scim_json(discovery.resource_type(base, name))


@scim_endpoint
async def schemas(request: Request) -> Response:
    async with provider_session(request):
        pass
    schema_id = request.path_params.get("schema_id")
    base = base_url(request)
    if schema_id is None:
        return scim_json(discovery.schemas(base))
    return scim_json(discovery.schema(base, schema_id))


@scim_endpoint
async def unknown(request: Request) -> Response:
    async with provider_session(request):
        pass
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
