"""The payload a mutation answers with: the object written (or its id), then `errors`.

Nearly every payload has one shape: a field named after the type written, null when there
are errors, and `errors`. `written_payload` declares that shape on a class from the type
written and the mutations answering with it, so the API words it one way everywhere, and
`Payload.of` (the class's `payload_of`) wraps a write's result in it. A payload with more
fields (a one-time secret, a count) declares them itself, with `written_field` and
`errors_field` for the two it shares with the others.

The fields are set as annotations holding the types themselves, not strings: Strawberry
resolves string annotations in the namespace of the class's module, which would tie the
decorator to what each mutation module imports.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Self, TypeVar

import strawberry

from schema.errors import UserError
from schema.mutation_support import PayloadOf, payload_of

ERRORS = (
    "What went wrong, each naming its input field; empty on success. With "
    "errors nothing was written."
)

P = TypeVar("P", bound="Payload")


def written_description(type_name: str) -> str:
    return f"The {type_name} as written; null when there are errors."


def written_field(type_name: str) -> Any:
    """The field holding the object a mutation wrote, described by its GraphQL type name."""
    return strawberry.field(description=written_description(type_name))


def errors_field(description: str = ERRORS) -> Any:
    """A payload's last field: the expected failures, by input field."""
    return strawberry.field(description=description)


def result_of(*mutations: str) -> str:
    """A payload's description: which mutations answer with it."""
    return f"The result of {', '.join(mutations)}: the object written, or `errors`."


class Payload:
    """The base of a class `written_payload` declares: `of` builds it from a write's result."""

    _build: ClassVar[PayloadOf[Any]]

    @classmethod
    def of(cls, obj: Any, errors: list[UserError]) -> Self:
        """The object written (null when there are errors) and the errors."""
        built: Self = cls._build(obj, errors)
        return built


def written_payload(
    field: str,
    written: Any,
    *mutations: str,
    description: str | None = None,
    about: str | None = None,
    errors: str = ERRORS,
) -> Callable[[type[P]], type[P]]:
    """Make the class a Strawberry payload type: `<field>: <written> | None`, then `errors`.

    `written` is a node type, wrapped by its `from_model`, or `strawberry.ID` for a payload
    answering with the id of a row removed (the write returns it). The type's description
    is `result_of(*mutations)` unless `description` is given; the field's is
    `written_field`'s unless `about` is. Apply it to a class with an empty body.
    """
    if written is strawberry.ID:
        if about is None:
            raise TypeError(f"written_payload({field!r}): an id payload needs `about`")
        wrap: Callable[[Any], Any] = lambda removed_id: removed_id  # noqa: E731
    else:
        wrap = written.from_model
        about = about or written_description(written.__strawberry_definition__.name)

    def decorate(cls: type[P]) -> type[P]:
        cls.__annotations__ = {field: written | None, "errors": list[UserError]}
        for name, text in {field: about, "errors": errors}.items():
            setattr(cls, name, strawberry.field(description=text))
        typed = strawberry.type(cls, description=description or result_of(*mutations))
        typed._build = payload_of(typed, field, wrap)
        return typed

    return decorate
