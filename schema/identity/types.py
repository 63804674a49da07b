"""The IdentityProvider node. The client secret is write-only: never shown, not even encrypted."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import strawberry
from sqlalchemy import Text, column, false, func, select
from sqlalchemy.dialects.postgresql import JSONB

from schema.common_fields import CHANGED, Versioned
from schema.compiled.encode import py_str_sql
from schema.compiled.sql import Expr, Related, Row, Source, lateral_row, sql
from schema.links import link
from schema.node import Node, node_type, register_node
from schema.viewer.types import RoleType
from tenants import models as m
from tenants.principals import Role

if TYPE_CHECKING:
    pass


@strawberry.type(description="One claim value and the role it gives.")
class ClaimRoleValue:
    value: str = strawberry.field(description="A claim value, matched exactly.")
    role: RoleType = strawberry.field(description="The role a first login with this value gets.")  # type: ignore[valid-type]


def _mapping_values(row: Row) -> Source:
    """`raw.get("values") or {}` as (value, role) rows in the dict's order (jsonb's)."""
    values = row.col("values")
    document = func.jsonb_typeof(values) == "object"
    pairs = (
        func.jsonb_each(values)
        .table_valued(column("key", Text), column("value", JSONB), with_ordinality="ord")
        .render_derived()
    )
    lat = (
        select(pairs.c.key.label("value"), pairs.c.value.label("role"), pairs.c.ord.label("ord"))
        .select_from(pairs)
        .where(document)
        .correlate_except(pairs)
        .lateral()
    )
    return Source(Row(lat), froms=[lat], order_by=[lat.c.ord])


def _mapping(row: Row) -> Source:
    """ClaimRoleMapping.from_json: null for no mapping or an empty one."""
    raw = row.col("claim_role_mapping")
    return lateral_row(
        py_str_sql(raw, "claim", "").label("claim"),
        raw["values"].label("values"),
        where=[func.jsonb_typeof(raw) == "object", raw != func.jsonb_build_object()],
    )


@strawberry.type(
    description="Which role a first login gets: the value of one top-level claim (a string "
    "or a list of strings) looked up in `values`; no match gives the default role."
)
class ClaimRoleMapping:
    claim: str = strawberry.field(description="The top-level ID-token claim read, e.g. groups.")
    values: list[ClaimRoleValue] = strawberry.field(
        description="Claim values and the role each gives; if several match, the most"
        " privileged role wins.",
        metadata=sql(Related(lambda row, _: _mapping_values(row))),
    )

    @classmethod
    def from_json(cls, raw: dict[str, Any] | None) -> ClaimRoleMapping | None:
        if not raw:
            return None
        values = raw.get("values") or {}
        return cls(
            claim=str(raw.get("claim", "")),
            values=[ClaimRoleValue(value=k, role=Role(v)) for k, v in values.items()],
        )


@node_type(
    "IdentityProvider",
    description="An OpenID provider members log in through: the tenant's staff provider "
    "(no client organisation) or a client organisation's. Only admins see providers.",
    stamps=CHANGED,
)
class IdentityProviderNode(Node, Versioned):
    client_db_id: strawberry.Private[uuid.UUID | None]
    name: str = strawberry.field(description="A label for admins and the sign-in page.")
    issuer: str = strawberry.field(
        description="Exactly as the provider's discovery document states it."
    )
    client_id: str = strawberry.field(
        description="The OAuth client id Steward is registered under at the provider."
    )
    has_client_secret: bool = strawberry.field(
        description="Whether a client secret is stored (it is write-only and never shown).",
        metadata=sql(
            Expr(
                lambda row, _: func.coalesce(
                    func.length(row.col("client_secret_encrypted")) > 0, false()
                )
            )
        ),
    )
    scopes: list[str] = strawberry.field(
        description="The OAuth scopes requested at login, e.g. openid email profile."
    )
    allowed_domains: list[str] = strawberry.field(
        description="E-mail domains a first login may come from (exact match)."
    )
    claim_role_mapping: ClaimRoleMapping | None = strawberry.field(
        description=(
            "How a first login's role is read from a claim; null: every first login"
            " gets defaultRole."
        ),
        metadata=sql(Related(lambda row, _: _mapping(row), column="claim_role_mapping")),
    )
    default_role: RoleType = strawberry.field(  # type: ignore[valid-type]
        description="The role of a first login no claim mapping matches."
    )
    email_claim: str = strawberry.field(description="The claim holding the e-mail.")
    name_claim: str = strawberry.field(description="The claim holding the display name.")
    require_email_verified: bool = strawberry.field(
        description="Whether a first login needs email_verified true."
    )

    FROM_MODEL = {
        "client_db_id": lambda o: o.client_organisation_id,
        "has_client_secret": lambda o: bool(o.client_secret_encrypted),
        "scopes": lambda o: list(o.scopes),
        "allowed_domains": lambda o: list(o.allowed_domains),
        "claim_role_mapping": lambda o: ClaimRoleMapping.from_json(o.claim_role_mapping),
    }

    @strawberry.field(
        description="True for the tenant's staff provider.",
        metadata=sql(Expr(lambda row, _: row.col("client_organisation_id").is_(None))),
    )
    def is_staff_provider(self) -> bool:
        return self.client_db_id is None

    client_organisation = link(
        m.ClientOrganisation,
        "client_organisation_id",
        "schema.clients.types:ClientOrganisationNode",
        "The client organisation whose members log in here; null for staff.",
        attr="client_db_id",
    )


register_node(IdentityProviderNode, m.IdentityProvider)
