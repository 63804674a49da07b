"""Why a login was refused: one code per check, shown to the browser and written to the audit.

The codes are stable API (tests and front ends match on them); the messages
are for people and say what to do, never which secret value was wrong.
"""

from __future__ import annotations

from enum import StrEnum

# The refusal codes name token checks; none of them is a secret.
# ruff: noqa: S105


class Refusal(StrEnum):
    TENANT_UNKNOWN = "tenant_unknown"
    IDP_UNKNOWN = "idp_unknown"
    INVALID_NEXT = "invalid_next"
    IDP_ERROR = "idp_error"
    DISCOVERY_FAILED = "discovery_failed"
    IDP_MISCONFIGURED = "idp_misconfigured"
    STATE_MISSING = "state_missing"
    STATE_UNKNOWN = "state_unknown"
    STATE_EXPIRED = "state_expired"
    STATE_REPLAYED = "state_replayed"
    BROWSER_MISMATCH = "browser_mismatch"
    ISSUER_MISMATCH = "issuer_mismatch"
    ISSUER_MISSING = "issuer_missing"
    CODE_MISSING = "code_missing"
    TOKEN_EXCHANGE_FAILED = "token_exchange_failed"
    ID_TOKEN_MISSING = "id_token_missing"
    ID_TOKEN_MALFORMED = "id_token_malformed"
    ALGORITHM_NOT_ALLOWED = "algorithm_not_allowed"
    SIGNING_KEY_UNKNOWN = "signing_key_unknown"
    SIGNATURE_INVALID = "signature_invalid"
    ID_TOKEN_ISSUER = "id_token_issuer"
    ID_TOKEN_AUDIENCE = "id_token_audience"
    ID_TOKEN_AZP = "id_token_azp"
    ID_TOKEN_EXPIRED = "id_token_expired"
    ID_TOKEN_IAT = "id_token_iat"
    NONCE_MISMATCH = "nonce_mismatch"
    CLAIMS_INVALID = "claims_invalid"
    USERINFO_FAILED = "userinfo_failed"
    USERINFO_SUBJECT_MISMATCH = "userinfo_subject_mismatch"
    EMAIL_MISSING = "email_missing"
    EMAIL_UNVERIFIED = "email_unverified"
    DOMAIN_NOT_ALLOWED = "domain_not_allowed"
    MEMBER_DEACTIVATED = "member_deactivated"
    WRONG_ORGANISATION = "wrong_organisation"
    EMAIL_CONFLICT = "email_conflict"
    # Each member's name is its code upper-cased (the GraphQL SignInRefusalReason); the
    # shorter names the code used first stay as aliases.
    TOKEN_ISSUER = "id_token_issuer"
    TOKEN_AUDIENCE = "id_token_audience"
    TOKEN_AZP = "id_token_azp"
    TOKEN_EXPIRED = "id_token_expired"
    TOKEN_IAT = "id_token_iat"
    USERINFO_SUBJECT = "userinfo_subject_mismatch"


# Refusals that are decisions about the person rather than protocol failures.
FORBIDDEN = frozenset(
    {
        Refusal.EMAIL_MISSING,
        Refusal.EMAIL_UNVERIFIED,
        Refusal.DOMAIN_NOT_ALLOWED,
        Refusal.MEMBER_DEACTIVATED,
        Refusal.WRONG_ORGANISATION,
        Refusal.EMAIL_CONFLICT,
    }
)
NOT_FOUND = frozenset({Refusal.TENANT_UNKNOWN, Refusal.IDP_UNKNOWN})
UPSTREAM = frozenset({Refusal.DISCOVERY_FAILED, Refusal.IDP_MISCONFIGURED, Refusal.USERINFO_FAILED})


class LoginRefused(Exception):
    """A login stopped at one check; nothing was created but the audit entry."""

    def __init__(self, reason: Refusal, message: str, *, detail: str | None = None) -> None:
        super().__init__(f"{reason.value}: {message}")
        self.reason = reason
        self.message = message
        # For the audit trail and logs only (e.g. the IdP's error text), never the browser.
        self.detail = detail

    @property
    def status(self) -> int:
        if self.reason in FORBIDDEN:
            return 403
        if self.reason in NOT_FOUND:
            return 404
        if self.reason in UPSTREAM:
            return 502
        return 400
