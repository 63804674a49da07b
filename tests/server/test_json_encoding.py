"""The response encoder writes the JSON Strawberry's default encoder would."""

from __future__ import annotations

import json

import pytest

from server.json_encoding import encode_json

RESPONSES = [
    {"data": {"viewer": {"name": "Ada", "role": "ADMIN", "tenant": {"slug": "acme"}}}},
    {"data": None, "errors": [{"message": "`first` must be between 0 and 100", "path": ["x"]}]},
    {"data": {"n": [1, 2.5, -3, True, False, None], "s": 'é 🙂 "quoted" \\ </script>'}},
    [{"data": {"a": 1}}, {"data": {"b": []}}],
]


@pytest.mark.parametrize("response", RESPONSES)
def test_the_encoding_decodes_to_the_same_value_as_json_dumps(response: object) -> None:
    encoded = encode_json(response)
    assert json.loads(encoded) == json.loads(json.dumps(response, separators=(",", ":")))


def test_the_encoding_is_compact_utf8_bytes() -> None:
    assert encode_json({"data": {"name": "Zoë", "ids": [1, 2]}}) == (
        '{"data":{"name":"Zoë","ids":[1,2]}}'.encode()
    )


def test_an_integer_beyond_64_bits_falls_back_to_the_standard_library() -> None:
    assert encode_json({"big": 2**70}) == '{"big":1180591620717411303424}'
