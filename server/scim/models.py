"""The SCIM User Steward serves: RFC 7643's core User, with `emails` required.

A member needs an e-mail address (it links their first login), so Steward publishes
`emails` as required in its /Schemas; a `userName` that is itself an address is used
when it is one, the primary e-mail otherwise (server/scim/mapping.py).
"""

from __future__ import annotations

from typing import Annotated, Any

import scim2_models
from pydantic import EmailStr
from scim2_models import Required
from scim2_models.resources.user import Email


class WorkEmail(Email):
    """An e-mail entry must carry its address."""

    value: Annotated[EmailStr | None, Required.true] = None


class User(scim2_models.User[Any]):
    """Named `User` because scim2-models names the published schema after the class."""

    emails: Annotated[list[WorkEmail] | None, Required.true] = None  # type: ignore[assignment]
