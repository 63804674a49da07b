"""Invite members, change their role, deactivate them (admins only, schema/permissions.py).

Deactivation ends the member's browser sessions and revokes their API tokens in
the same transaction; a role change reaches their live sessions at once and revokes
their API tokens (a token keeps the role it was issued with).
"""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from schema.context import Info
from schema.errors import UserError, atomic
from schema.ids import decode_id
from schema.members.types import MemberNode
from schema.permissions import actor_of, authorize
from schema.viewer.types import RoleType
from tenants import models as m
from tenants.services import members as service
from tenants.services.member_sessions import end_member_session, end_member_sessions
from tenants.services.validation import UNSET


def _client_id(value: strawberry.ID | None) -> uuid.UUID | None:
    if value is None or value is strawberry.UNSET:
        return None
    return decode_id(value, "ClientOrganisation", "clientOrganisationId")


@strawberry.input(
    description="Pre-provision a member: their first login through the right provider, "
    "from an allowed domain, links them."
)
class InviteMemberInput:
    email: str = strawberry.field(
        description="The e-mail the member logs in with (matched case-insensitively)."
    )
    role: RoleType = strawberry.field(description="What the member may do.")  # type: ignore[valid-type]
    client_organisation_id: strawberry.ID | None = strawberry.field(
        default=None, description="Required for client roles, forbidden for staff roles."
    )
    display_name: str | None = strawberry.field(
        default=None, description="The name shown; null: the e-mail is shown."
    )


@strawberry.input(
    description="Moving between staff and client roles changes the organisation. The member's"
    " sessions take the new role at once; their API tokens are revoked."
)
class UpdateMemberRoleInput:
    id: strawberry.ID = strawberry.field(
        description="The global id of the Member whose role changes."
    )
    version: int = strawberry.field(description="The version you last saw.")
    role: RoleType = strawberry.field(description="The new role.")  # type: ignore[valid-type]
    client_organisation_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Omitted: unchanged; null: none (a staff role).",
    )


@strawberry.input(
    description=("Which member to deactivate: their sessions end and API tokens are revoked.")
)
class DeactivateMemberInput:
    id: strawberry.ID = strawberry.field(description="The global id of the Member to deactivate.")
    version: int = strawberry.field(
        description="The version you last saw; a stale one is a CONFLICT."
    )


@strawberry.input(description="End every browser session of a member (they must sign in again).")
class EndMemberSessionsInput:
    member_id: strawberry.ID = strawberry.field(description="The global id of a Member.")


@strawberry.input(
    description="End one browser session of a member (that browser must sign in again); "
    "admins only."
)
class EndMemberSessionInput:
    session_id: strawberry.ID = strawberry.field(
        description="The MemberSession's id (Member.sessions). One already ended or expired "
        "is a VALIDATION error on this field; nothing changes."
    )


@strawberry.type(description="The member whose session was ended, or errors.")
class EndMemberSessionPayload:
    member: MemberNode | None = strawberry.field(
        description="The session's member; null when there are errors."
    )
    errors: list[UserError] = strawberry.field(
        description="What went wrong, each naming its input field; empty on success. With "
        "errors nothing was written."
    )


@strawberry.type(description="The result of endMemberSessions: the object written, or `errors`.")
class EndMemberSessionsPayload:
    member: MemberNode | None = strawberry.field(
        description="The Member as written; null when there are errors."
    )
    sessions_ended: int = strawberry.field(description="How many live sessions were ended.")
    errors: list[UserError] = strawberry.field(
        description=(
            "What went wrong, each naming its input field; empty on success. With "
            "errors nothing was written."
        )
    )


@strawberry.type(
    description=(
        "The result of inviteMember, updateMemberRole, deactivateMember: the "
        "object written, or `errors`."
    )
)
class MemberPayload:
    member: MemberNode | None = strawberry.field(
        description="The Member as written; null when there are errors."
    )
    errors: list[UserError] = strawberry.field(
        description=(
            "What went wrong, each naming its input field; empty on success. With "
            "errors nothing was written."
        )
    )


def _payload(obj: m.Member | None, errors: list[UserError]) -> MemberPayload:
    node = MemberNode.from_model(obj) if obj is not None and not errors else None
    return MemberPayload(member=node, errors=errors)


@strawberry.type
class MemberMutation:
    @strawberry.mutation(
        description=(
            "Pre-provision a member by e-mail; they become ACTIVE at their first "
            "login. Admins only."
        )
    )
    async def invite_member(
        self,
        info: Info,
        input: Annotated[
            InviteMemberInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> MemberPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.invite_member(
                info.context.db,
                actor=actor_of(info.context.principal),
                email=input.email,
                role=input.role,
                client_organisation_id=_client_id(input.client_organisation_id),
                display_name=input.display_name,
            )
        return _payload(obj, outcome.errors)

    @strawberry.mutation(description="Change a member's role (and organisation). Admins only.")
    async def update_member_role(
        self,
        info: Info,
        input: Annotated[
            UpdateMemberRoleInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> MemberPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            client = (
                UNSET
                if input.client_organisation_id is strawberry.UNSET
                else _client_id(input.client_organisation_id)
            )
            obj = await service.update_member_role(
                info.context.db,
                actor=actor_of(info.context.principal),
                member_id=decode_id(input.id, "Member", "id"),
                expected_version=input.version,
                role=input.role,
                client_organisation_id=client,
            )
        return _payload(obj, outcome.errors)

    @strawberry.mutation(
        description=(
            "Stop a member logging in; their sessions end and tokens are revoked. Admins only."
        )
    )
    async def deactivate_member(
        self,
        info: Info,
        input: Annotated[
            DeactivateMemberInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> MemberPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj = await service.deactivate_member(
                info.context.db,
                actor=actor_of(info.context.principal),
                member_id=decode_id(input.id, "Member", "id"),
                expected_version=input.version,
            )
        return _payload(obj, outcome.errors)

    @strawberry.mutation(description="Sign a member out everywhere. Admins only.")
    async def end_member_sessions(
        self,
        info: Info,
        input: Annotated[
            EndMemberSessionsInput,
            strawberry.argument(
                description=(
                    "What to write; each error names its field within it (e.g. `name`, "
                    "`scores[0].score`)."
                )
            ),
        ],
    ) -> EndMemberSessionsPayload:
        obj, ended = None, 0
        async with atomic(info) as outcome:
            await authorize(info)
            obj, ended = await end_member_sessions(
                info.context.db,
                actor=actor_of(info.context.principal),
                member_id=decode_id(input.member_id, "Member", "memberId"),
            )
        node = MemberNode.from_model(obj) if obj is not None and not outcome.errors else None
        return EndMemberSessionsPayload(
            member=node, sessions_ended=0 if outcome.errors else ended, errors=outcome.errors
        )

    @strawberry.mutation(
        description="End one of a member's browser sessions, audited (end_session); the "
        "member's other sessions and API tokens stay. Admins only."
    )
    async def end_member_session(
        self,
        info: Info,
        input: Annotated[
            EndMemberSessionInput,
            strawberry.argument(description="The session to end (from Member.sessions)."),
        ],
    ) -> EndMemberSessionPayload:
        obj = None
        async with atomic(info) as outcome:
            await authorize(info)
            obj, _ = await end_member_session(
                info.context.db,
                actor=actor_of(info.context.principal),
                tenant=info.context.principal.tenant,
                session_id=decode_id(input.session_id, "MemberSession", "sessionId"),
            )
        node = MemberNode.from_model(obj) if obj is not None and not outcome.errors else None
        return EndMemberSessionPayload(member=node, errors=outcome.errors)
