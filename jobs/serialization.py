"""msgpack for arq: whoever can write to Redis must not be able to run code (pickle)."""

from __future__ import annotations

from typing import Any

import msgpack


def serialize(value: dict[str, Any]) -> bytes:
    return msgpack.packb(value, datetime=False)  # type: ignore[no-any-return]


def deserialize(data: bytes) -> dict[str, Any]:
    return msgpack.unpackb(data, raw=False, strict_map_key=False)  # type: ignore[no-any-return]
