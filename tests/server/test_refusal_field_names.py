"""A refusal names its fields as the API does wherever a person reads it.

Converted services (clients first) name fields in Python (`engagement_end`); GraphQL
payloads, the CLI's one error line and SCIM error details all pass them through
schema.errors.shown_field, so each says `engagementEnd`.
"""

from __future__ import annotations

from datetime import date

import pytest

from schema.errors import UserError
from server.cli.support import domain_error_line
from server.scim.responses import from_domain
from tenants.errors import DomainError, ErrorCode, FieldError
from tenants.services.clients import CLIENT_CHANGES


def _engagement_out_of_order() -> DomainError:
    """The clients service's own refusal of an engagement that ends before it starts."""
    values = {
        "name": "Northwind",
        "engagement_start": date(2026, 5, 1),
        "engagement_end": date(2026, 1, 1),
    }
    with pytest.raises(DomainError) as caught:
        CLIENT_CHANGES.checked_or_raise(values)
    assert [e.field for e in caught.value.errors] == ["engagement_end"]  # a Python name
    return caught.value


def test_the_cli_error_line_names_a_snake_case_field_in_camel_case() -> None:
    line = domain_error_line(_engagement_out_of_order())
    assert line == "engagementEnd: must not be before the start date"


def test_the_cli_error_line_keeps_every_error_and_marks_one_about_no_field() -> None:
    exc = DomainError(
        [
            FieldError("scores[0].evidence_url", ErrorCode.VALIDATION, "is not a URL"),
            FieldError(None, ErrorCode.FORBIDDEN, "you may not do this"),
        ]
    )
    assert domain_error_line(exc) == "scores[0].evidenceUrl: is not a URL; -: you may not do this"


def test_scim_and_graphql_name_the_field_as_the_cli_does() -> None:
    exc = _engagement_out_of_order()
    assert from_domain(exc).to_error().detail == (
        "engagementEnd: must not be before the start date"
    )
    assert UserError.of(exc.errors[0]).field == "engagementEnd"
