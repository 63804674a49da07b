"""Expected failures as payload errors: the one place DomainError becomes GraphQL."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import strawberry

from schema.context import Info
from schema.enums import documented
from tenants.errors import DomainError, ErrorCode, FieldError

ErrorCodeType = documented(
    ErrorCode,
    "Why a mutation failed.",
    {
        "VALIDATION": "A value is not acceptable; `field` names it. Fix the input and retry.",
        "NOT_FOUND": "An id names nothing you may see.",
        "CONFLICT": "Stale `version`, or a uniqueness rule: reload and retry.",
        "FORBIDDEN": "Your role may not do this.",
        "UNAVAILABLE": "Try again later (e.g. a rate limit; the message says when).",
    },
    name="ErrorCode",
)


@strawberry.type(description="An expected failure: validation, not found, conflict or forbidden.")
class UserError:
    field: str | None = strawberry.field(
        description="The input field at fault (camelCase), or null for the whole input."
    )
    code: ErrorCodeType = strawberry.field(description="What kind of failure; branch on it.")  # type: ignore[valid-type]
    message: str = strawberry.field(description="What is wrong, for people (English).")

    @classmethod
    def of(cls, error: FieldError) -> UserError:
        return cls(field=shown_field(error), code=error.code, message=error.message)


_SNAKE_JOINT = re.compile(r"_([a-z0-9])")


def api_field_path(path: str) -> str:
    """A service's field path in Python names (`scores[0].evidence_url`) as the API names it
    (`scores[0].evidenceUrl`): the one place the two namings meet. Paths already in camelCase
    pass unchanged."""
    return _SNAKE_JOINT.sub(lambda m: m.group(1).upper(), path)


def shown_field(error: FieldError) -> str | None:
    """`error`'s field as every user-facing exit shows it (GraphQL payloads, the CLI's error
    line, SCIM error details): in the API's names, so a person reads one name for one field
    wherever it is reported. None for an error about no field."""
    return None if error.field is None else api_field_path(error.field)


def payload_errors(error: DomainError) -> list[UserError]:
    return [UserError.of(e) for e in error.errors]


class MutationOutcome:
    """Collects the DomainError of a mutation body run under `atomic`."""

    def __init__(self) -> None:
        self.error: DomainError | None = None

    @property
    def errors(self) -> list[UserError]:
        return payload_errors(self.error) if self.error else []


@asynccontextmanager
async def atomic(info: Info) -> AsyncIterator[MutationOutcome]:
    """Run a mutation body in a SAVEPOINT; a DomainError undoes every write it made.

    Usage::

        async with atomic(info) as outcome:
            obj = await service(...)
        return Payload(obj=None if outcome.error else obj, errors=outcome.errors)
    """
    outcome = MutationOutcome()
    savepoint = await info.context.db.begin_nested()
    try:
        yield outcome
        await info.context.db.flush()
    except DomainError as exc:
        outcome.error = exc
        await savepoint.rollback()
        return
    except BaseException:
        await savepoint.rollback()
        raise
    await savepoint.commit()
