"""The SignInAttempt node: one login attempt's outcome, for administrators (issue 10).

Tenant administration like identity providers (`ADMIN_ONLY` in schema/scoping.py):
consultants and client principals never see attempts, since they show who signed in
from where and which checks refused whom.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry

from schema.compiled.sql import sql, to_one
from schema.context import Info
from schema.loaders import by_id
from schema.node import Node, node_or_none, register_node
from tenants import models as m
from tenants.services.login_refusals import Refusal

if TYPE_CHECKING:
    from schema.identity.types import IdentityProviderNode
    from schema.members.types import MemberNode

SignInOutcomeType = strawberry.enum(
    m.SignInOutcome,
    name="SignInOutcome",
    description="SUCCEEDED (a session was opened) or REFUSED (see `reason`).",
)
SignInRefusalReasonType = strawberry.enum(
    Refusal,
    name="SignInRefusalReason",
    description="Why a sign-in was refused: the same code, upper-cased, that the refusal "
    "page and the `login.refused` log event show (server/auth/PROVIDERS.md lists them), "
    "e.g. DOMAIN_NOT_ALLOWED, MEMBER_DEACTIVATED, STATE_EXPIRED, SIGNATURE_INVALID.",
)


@strawberry.type(
    name="SignInAttempt",
    description="One attempt to sign in to this consultancy through one of its identity "
    "providers, kept for STEWARD_SIGNIN_ATTEMPT_RETENTION_DAYS (default 90). Admins only.",
)
class SignInAttemptNode(Node):
    NODE_NAME: ClassVar[str] = "SignInAttempt"
    identity_provider_db_id: strawberry.Private[uuid.UUID | None]
    member_db_id: strawberry.Private[uuid.UUID | None]
    occurred_at: datetime = strawberry.field(description="When the attempt ended.")
    outcome: SignInOutcomeType = strawberry.field(  # type: ignore[valid-type]
        description="Whether the attempt opened a session."
    )
    reason: SignInRefusalReasonType | None = strawberry.field(  # type: ignore[valid-type]
        description="Why it was refused; null for a success."
    )
    identity_provider_name: str | None = strawberry.field(
        description="The provider's name when the attempt was made (kept after the provider "
        "is removed); null when the attempt named no configured provider."
    )
    email: str | None = strawberry.field(
        description="The member's e-mail, when the attempt got far enough to know the member; "
        "else null (see emailDomain)."
    )
    email_domain: str | None = strawberry.field(
        description="The domain of the e-mail the provider asserted, lower-case; null when "
        "the attempt was refused before the provider said who it was."
    )

    @classmethod
    def from_model(cls, obj: m.SignInAttempt) -> SignInAttemptNode:
        return cls(
            db_id=obj.id,
            identity_provider_db_id=obj.identity_provider_id,
            member_db_id=obj.member_id,
            occurred_at=obj.occurred_at,
            outcome=obj.outcome,
            reason=Refusal(obj.reason) if obj.reason else None,
            identity_provider_name=obj.identity_provider_name,
            email=obj.email,
            email_domain=obj.email_domain,
        )

    @strawberry.field(
        description="The provider signed in through; null when it was removed since, or the "
        "attempt named none that is configured.",
        metadata=sql(to_one(m.IdentityProvider, "identity_provider_id")),
    )
    async def identity_provider(
        self, info: Info
    ) -> Annotated[IdentityProviderNode, strawberry.lazy("schema.identity.types")] | None:
        from schema.identity.types import IdentityProviderNode

        if self.identity_provider_db_id is None:
            return None
        obj = await by_id(info, m.IdentityProvider).load(self.identity_provider_db_id)
        return node_or_none(IdentityProviderNode.from_model, obj)

    @strawberry.field(
        description="The member who signed in or was refused; null when not known (yet) or "
        "deleted since.",
        metadata=sql(to_one(m.Member, "member_id")),
    )
    async def member(
        self, info: Info
    ) -> Annotated[MemberNode, strawberry.lazy("schema.members.types")] | None:
        from schema.members.types import member_by_id

        return await member_by_id(info, self.member_db_id)


register_node(SignInAttemptNode, m.SignInAttempt)
