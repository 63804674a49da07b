"""The SignInAttempt node: one login attempt's outcome, for administrators (issue 10).

Tenant administration like identity providers (`ADMIN_ONLY` in schema/scoping.py):
consultants and client principals never see attempts, since they show who signed in
from where and which checks refused whom.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

import strawberry

from schema.enums import documented
from schema.links import link
from schema.node import Node, node_type, register_node
from tenants import models as m
from tenants.services.login_refusals import Refusal

if TYPE_CHECKING:
    pass

SignInOutcomeType = documented(
    m.SignInOutcome,
    "SUCCEEDED (a session was opened) or REFUSED (see `reason`).",
    {
        "SUCCEEDED": "The person signed in: a browser session was opened.",
        "REFUSED": "Steward refused the sign-in; `reason` says which check.",
    },
    name="SignInOutcome",
)
SignInRefusalReasonType = documented(
    Refusal,
    "Why a sign-in was refused: the same code, upper-cased, that the refusal page and the "
    "`login.refused` log event show (server/auth/PROVIDERS.md lists them).",
    {
        "TENANT_UNKNOWN": "No consultancy has this sign-in address.",
        "IDP_UNKNOWN": "The sign-in link names no identity provider of this tenant.",
        "INVALID_NEXT": "The page to return to was not a path on Steward (open redirect).",
        "IDP_ERROR": "The identity provider answered with an error instead of a code.",
        "DISCOVERY_FAILED": "The provider's discovery document or keys could not be read.",
        "IDP_MISCONFIGURED": "The provider's registration does not fit (redirect URI, client).",
        "STATE_MISSING": "The callback had no `state`.",
        "STATE_UNKNOWN": "The callback's `state` was never issued by Steward.",
        "STATE_EXPIRED": "The sign-in took longer than Steward waits for the callback.",
        "STATE_REPLAYED": "The callback was sent a second time.",
        "BROWSER_MISMATCH": "The callback came to another browser than the one that started.",
        "ISSUER_MISMATCH": "The callback's `iss` is not the provider it was sent to (mix-up).",
        "ISSUER_MISSING": "The provider sends `iss` in callbacks but this one had none.",
        "CODE_MISSING": "The callback had no authorization code.",
        "TOKEN_EXCHANGE_FAILED": "The provider refused to exchange the code for tokens.",
        "ID_TOKEN_MISSING": "The token response had no ID token.",
        "ID_TOKEN_MALFORMED": "The ID token was not a well-formed JWT.",
        "ALGORITHM_NOT_ALLOWED": "The ID token was signed with an algorithm Steward refuses.",
        "SIGNING_KEY_UNKNOWN": "No key of the provider's JWKS matches the ID token's.",
        "SIGNATURE_INVALID": "The ID token's signature did not verify.",
        "ID_TOKEN_ISSUER": "The ID token's `iss` is not the provider's issuer.",
        "ID_TOKEN_AUDIENCE": "The ID token is not meant for Steward's client id (`aud`).",
        "ID_TOKEN_AZP": "The ID token's `azp` is not Steward's client id.",
        "ID_TOKEN_EXPIRED": "The ID token had expired (`exp`).",
        "ID_TOKEN_IAT": "The ID token's issue time (`iat`) is missing or in the future.",
        "NONCE_MISMATCH": "The ID token's `nonce` is not the one this sign-in sent.",
        "CLAIMS_INVALID": "A claim Steward needs had the wrong type or form.",
        "USERINFO_FAILED": "The provider's UserInfo endpoint could not be read.",
        "USERINFO_SUBJECT_MISMATCH": "UserInfo described another subject than the ID token.",
        "EMAIL_MISSING": "Neither the ID token nor UserInfo had the e-mail claim.",
        "EMAIL_UNVERIFIED": "The provider does not vouch for the e-mail (`email_verified`).",
        "DOMAIN_NOT_ALLOWED": "The e-mail's domain is not one the provider may sign in.",
        "MEMBER_DEACTIVATED": "The member was deactivated (by an admin or SCIM).",
        "WRONG_ORGANISATION": "The member belongs to another organisation than the provider.",
        "EMAIL_CONFLICT": "Another member already has this e-mail address.",
    },
    name="SignInRefusalReason",
)


@node_type(
    "SignInAttempt",
    description="One attempt to sign in to this consultancy through one of its identity "
    "providers, kept for STEWARD_SIGNIN_ATTEMPT_RETENTION_DAYS (default 90). Admins only.",
)
class SignInAttemptNode(Node):
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

    FROM_MODEL = {
        "reason": lambda o: Refusal(o.reason) if o.reason else None,
    }

    identity_provider = link(
        m.IdentityProvider,
        "identity_provider_id",
        "schema.identity.types:IdentityProviderNode",
        "The provider signed in through; null when it was removed since, or the "
        "attempt named none that is configured.",
    )

    member = link(
        m.Member,
        "member_id",
        "schema.members.types:MemberNode",
        "The member who signed in or was refused; null when not known (yet) or deleted since.",
    )


register_node(SignInAttemptNode, m.SignInAttempt)
