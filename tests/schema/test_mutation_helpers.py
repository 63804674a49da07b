"""The declaring helpers of mutations: payload types, row inputs, and the usual writes.

The SDL tests hold what the helpers produce for the real schema; these hold the rules
each helper promises on its own, on a throwaway schema, with no database.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import strawberry

from schema.errors import UserError
from schema.mutation_support import row_input, updating
from schema.payloads import ERRORS, Payload, result_of, written_payload
from schema.row_writes import Ref, new_row, row_at_version
from tenants.errors import DomainError, ErrorCode
from tenants.global_ids import global_id


@strawberry.type(name="Thing", description="A thing.")
class ThingNode:
    name: str

    @classmethod
    def from_model(cls, row: Any) -> ThingNode:
        return cls(name=row["name"])


@written_payload("thing", ThingNode, "createThing", "updateThing")
class ThingPayload(Payload):
    pass


@written_payload("removed_thing_id", strawberry.ID, "removeThing", about="The id removed.")
class RemoveThingPayload(Payload):
    pass


@strawberry.input(description="A new thing.")
class CreateThingInput:
    name: str = strawberry.field(description="Its name.")
    size: int | None = strawberry.field(default=None, description="Its size; null: unknown.")


@strawberry.input(description="Omitted fields are unchanged.")
@updating(CreateThingInput, "Thing")
class UpdateThingInput:
    pass


@strawberry.input(description="Which thing to archive.")
@row_input("Thing", "archive")
class ArchiveThingInput:
    reason: str = strawberry.field(description="Why.")


@strawberry.type
class Query:
    thing: ThingPayload | None = None
    removed: RemoveThingPayload | None = None

    @strawberry.field
    def update(self, a: UpdateThingInput, b: ArchiveThingInput) -> int:
        return 0


SDL = str(strawberry.Schema(query=Query))


def _block(kind: str, name: str) -> str:
    start = SDL.index(f"{kind} {name} {{")
    return SDL[start : SDL.index("}", start)]


def test_a_payload_has_the_object_then_errors_described_by_the_mutations() -> None:
    block = _block("type", "ThingPayload")
    assert block.index("thing: Thing") < block.index("errors: [UserError!]!")
    assert "The Thing as written; null when there are errors." in block
    assert ERRORS in block
    described = SDL[: SDL.index("type ThingPayload {")].rsplit('"""', 2)[-2]
    assert described.strip() == result_of("createThing", "updateThing")


def test_of_wraps_the_object_and_nulls_it_when_there_are_errors() -> None:
    written = ThingPayload.of({"name": "a"}, [])
    assert written.thing == ThingNode(name="a")  # type: ignore[attr-defined]
    error = UserError(field="name", code=ErrorCode.VALIDATION, message="is required")
    refused = ThingPayload.of({"name": "a"}, [error])
    assert refused.thing is None and refused.errors == [error]  # type: ignore[attr-defined]


def test_an_id_payload_answers_with_the_id_and_needs_its_own_words() -> None:
    assert RemoveThingPayload.of("VGhpbmc6MQ==", []).removed_thing_id == "VGhpbmc6MQ=="  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="needs `about`"):
        written_payload("removed_id", strawberry.ID, "removeThing")


def test_row_and_update_inputs_put_id_and_version_first() -> None:
    update = _block("input", "UpdateThingInput")
    assert update.index("id: ID!") < update.index("version: Int!") < update.index("name: String")
    assert "The global id of the Thing to change." in update
    assert '"""The version you last saw."""' in update
    archive = _block("input", "ArchiveThingInput")
    assert archive.index("version: Int!") < archive.index("reason: String!")
    assert "The global id of the Thing to archive." in archive
    assert "a stale one is a CONFLICT" in archive


async def _call(db: Any, **arguments: Any) -> dict[str, Any]:
    """A service stand-in: what it was called with."""
    return arguments


async def test_row_at_version_passes_the_row_the_version_and_only_the_fields_given() -> None:
    thing = uuid.uuid4()
    input = UpdateThingInput(id=global_id("Thing", thing), version=3, size=None)  # type: ignore[call-arg]
    write = row_at_version(_call, Ref("Thing", "thing_id"))
    called = await write(None, input, None, "actor")  # type: ignore[arg-type]
    assert called == {"actor": "actor", "thing_id": thing, "expected_version": 3, "size": None}


async def test_new_row_reports_a_wrong_parent_id_on_its_api_name() -> None:
    @strawberry.input
    class AddPartInput:
        thing_id: strawberry.ID
        name: str

    write = new_row(_call, Ref("Thing", "thing_id", "thing_id"))
    with pytest.raises(DomainError) as refused:
        await write(None, AddPartInput(thing_id="nonsense", name="a"), None, "actor")  # type: ignore[arg-type]
    assert [e.field for e in refused.value.errors] == ["thingId"]
