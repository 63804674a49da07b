"""Encoding the GraphQL responses Python still builds, with orjson.

orjson writes the same compact JSON as Strawberry's `json.dumps(data,
separators=(",", ":"))`, several times faster, straight to the bytes the
response sends. It refuses what it cannot represent exactly (an integer beyond
64 bits, which a custom scalar could produce); the standard library encodes
those, so a response never fails for the encoder's sake.
"""

from __future__ import annotations

import json

import orjson


def encode_json(data: object) -> bytes | str:
    """`data` as compact JSON: bytes from orjson, or a str from the standard library."""
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:
        return json.dumps(data, separators=(",", ":"))
