"""Between a SCIM User and a Steward member.

The member row is authoritative for what Steward uses: the e-mail address (`userName`
when it is one, else the primary e-mail), the display name and whether the member is
active. Everything else the provider sent is kept as it was sent (`ScimUser.attributes`),
so the resource a provider reads back is the one it wrote.
"""

from __future__ import annotations

from typing import Any

from scim2_models import Context, InvalidValueException, Meta

from server.scim.models import User
from tenants.models import MemberStatus
from tenants.services.scim import ScimMember, UserFields, user_name_of

# Set from the member and the link row on every read, never from stored attributes;
# a password is never stored (Steward has none: members sign in at their provider).
_SERVER_OWNED = ("id", "meta", "schemas", "displayName", "active", "externalId", "password")


def etag(item: ScimMember) -> str:
    """A weak validator that changes with every write to the member or its SCIM side."""
    side = item.resource.version if item.resource is not None else 0
    return f'W/"{item.member.version}.{side}"'


def to_user(item: ScimMember, base_url: str) -> User:
    member, resource = item.member, item.resource
    stored: dict[str, Any] = dict(resource.attributes) if resource is not None else {}
    modified = member.updated_at
    if resource is not None and resource.updated_at > modified:
        modified = resource.updated_at
    body = {key: value for key, value in stored.items() if key not in _SERVER_OWNED} | {
        "schemas": [User.__schema__],
        "id": str(member.id),
        "userName": user_name_of(item),
        "active": member.status is not MemberStatus.DEACTIVATED,
    }
    if "emails" not in body:
        body["emails"] = [{"value": member.email, "primary": True}]
    if member.display_name is not None:
        body["displayName"] = member.display_name
    if resource is not None and resource.external_id is not None:
        body["externalId"] = resource.external_id
    body["meta"] = Meta(
        resource_type="User",
        created=member.created_at,
        last_modified=modified,
        location=f"{base_url}/Users/{member.id}",
        version=etag(item),
    ).model_dump(scim_ctx=None, exclude_none=True, by_alias=True, mode="json")
    try:
        return User.model_validate(body)
    except ValueError:
        # An address Steward accepts but pydantic's EmailStr does not (a special-use domain
        # such as .local): the member stays readable, without the emails attribute.
        body.pop("emails", None)
        return User.model_validate(body)


def _email_of(user: User) -> str:
    if user.user_name is not None and "@" in user.user_name:
        return user.user_name
    emails = user.emails or []
    primary = [e for e in emails if e.primary] or emails
    if primary and primary[0].value:
        return str(primary[0].value)
    raise InvalidValueException(
        detail="userName: must be an e-mail address, or the user needs an e-mail in emails"
    )


def to_fields(user: User) -> UserFields:
    """What a create or replace asks of the member, and the attributes to keep."""
    if not user.user_name:
        raise InvalidValueException(detail="userName: is required")
    kept = user.model_dump(scim_ctx=None, exclude_none=True, by_alias=True, mode="json")
    for key in _SERVER_OWNED:
        kept.pop(key, None)
    return UserFields(
        user_name=user.user_name,
        email=_email_of(user),
        display_name=user.display_name,
        active=user.active is not False,
        external_id=user.external_id,
        attributes=kept,
    )


def parse_user(payload: Any, ctx: Context) -> User:
    """A User from a request body in `ctx`; a body that is not one is an invalidValue error
    naming the attribute."""
    try:
        return User.model_validate(payload, scim_ctx=ctx)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise InvalidValueException(detail=_first_problem(exc)) from None


def _first_problem(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        items = errors()
        if items:
            where = ".".join(str(p) for p in items[0].get("loc", ()))
            return f"{where}: {items[0].get('msg', 'invalid')}"
    return str(exc)
