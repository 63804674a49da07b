"""The discovery endpoints RFC 7644 §4 requires: ServiceProviderConfig, ResourceTypes, Schemas.

Generated from the scim2-models classes Steward serves, so what is announced is what the
endpoints accept. Filters are evaluated by scim2-models over the provider's scope (one
client organisation's members, or the staff), bounded by `MAX_RESULTS` a page.
"""

from __future__ import annotations

from typing import Any

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    ETag,
    Filter,
    ListResponse,
    Meta,
    NotFoundException,
    Patch,
    ResourceType,
    Schema,
    ServiceProviderConfig,
    Sort,
)

from server.scim.models import User

MAX_RESULTS = 200


def service_provider_config(base_url: str) -> dict[str, Any]:
    config = ServiceProviderConfig(
        documentation_uri=None,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=True),
        authentication_schemes=[
            AuthenticationScheme(
                type="oauthbearertoken",
                name="Bearer token",
                description="A token issued for this identity provider: steward idp scim-token",
                primary=True,
            )
        ],
        meta=Meta(
            resource_type="ServiceProviderConfig", location=f"{base_url}/ServiceProviderConfig"
        ),
    )
    return config.model_dump()


def _resource_type(base_url: str) -> ResourceType:
    resource_type = ResourceType.from_resource(User)
    resource_type.meta = Meta(
        resource_type="ResourceType", location=f"{base_url}/ResourceTypes/User"
    )
    return resource_type


def _schema(base_url: str) -> Schema:
    schema = User.to_schema()
    schema.meta = Meta(resource_type="Schema", location=f"{base_url}/Schemas/{schema.id}")
    return schema


def _single_page(item: ResourceType | Schema) -> dict[str, Any]:
    """The whole list of a kind Steward has one of: User's resource type, or its schema."""
    page = ListResponse[ResourceType | Schema](
        total_results=1, start_index=1, items_per_page=1, resources=[item]
    )
    return page.model_dump()


def resource_types(base_url: str) -> dict[str, Any]:
    return _single_page(_resource_type(base_url))


def resource_type(base_url: str, name: str) -> dict[str, Any]:
    if name != "User":
        raise NotFoundException(detail=f"no resource type {name}")
    return _resource_type(base_url).model_dump()


def schemas(base_url: str) -> dict[str, Any]:
    return _single_page(_schema(base_url))


def schema(base_url: str, schema_id: str) -> dict[str, Any]:
    if schema_id != User.__schema__:
        raise NotFoundException(detail=f"no schema {schema_id}")
    return _schema(base_url).model_dump()
