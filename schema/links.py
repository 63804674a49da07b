"""A field for the object a foreign key points at, declared in one line.

Every `xxx: Other | None` link of a node is the same resolver: load the other node by
the id this one keeps (batched, visibility applied) and answer null when the key is
unset or the object is not visible; and the same compiled SQL, `to_one(model, fk)`.
"""

from __future__ import annotations

import importlib
from typing import Any

import strawberry
from strawberry.types.lazy_type import LazyType

from schema.compiled.sql import sql, to_one
from schema.context import Info
from schema.node import load_node
from tenants.base import TenantBase


def link(
    model: type[TenantBase] | type[Any],
    fk: str,
    target: str,
    description: str,
    *,
    attr: str | None = None,
) -> Any:
    """The `target` node ("module:ClassName") that column `fk` of `model` points at.

    The node keeps the id in its private `attr`, by default `<fk less _id>_db_id`.
    """
    module, name = target.split(":")
    key = attr or fk.removesuffix("_id") + "_db_id"

    async def resolve(root: Any, info: Info) -> Any:
        cls = getattr(importlib.import_module(module), name)
        return await load_node(info, cls, getattr(root, key))

    resolve.__annotations__ = {"root": Any, "info": Info, "return": LazyType(name, module) | None}
    return strawberry.field(
        resolver=resolve, description=description, metadata=sql(to_one(model, fk))
    )
