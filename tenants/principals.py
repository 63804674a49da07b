"""Who is asking: resolved by the server from a credential, handed to every layer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from tenants.registry import TenantRef


class Role(StrEnum):
    ADMIN = "admin"
    CONSULTANT = "consultant"
    VIEWER = "viewer"
    CLIENT_OWNER = "client_owner"
    CLIENT_VIEWER = "client_viewer"


STAFF_ROLES = frozenset({Role.ADMIN, Role.CONSULTANT, Role.VIEWER})
WRITER_ROLES = frozenset({Role.ADMIN, Role.CONSULTANT})


class PrincipalKind(StrEnum):
    API_TOKEN = "api_token"  # noqa: S105  (a kind, not a secret)
    MEMBER = "member"


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller bound to exactly one tenant."""

    kind: PrincipalKind
    id: uuid.UUID
    name: str
    role: Role
    tenant: TenantRef
    client_organisation_id: uuid.UUID | None = None
    scopes: tuple[str, ...] = ()
    # The member behind the credential: the member of a browser session, the
    # member an API token was issued to (None for a plain service token).
    member_id: uuid.UUID | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def can_write(self) -> bool:
        return self.role in WRITER_ROLES

    @property
    def label(self) -> str:
        """How the principal appears in log lines (the audit trail names it by
        `schema.permissions.actor_of`: its name, kind and id)."""
        return f"{self.kind.value}:{self.id}"
