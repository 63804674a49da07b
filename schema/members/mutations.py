"""Invite members, change their role, deactivate them (admins only, schema/permissions.py).

Deactivation ends the member's browser sessions and revokes their API tokens in
the same transaction; a role change reaches their live sessions at once and revokes
their API tokens (a token keeps the role it was issued with).
"""

from __future__ import annotations

import uuid

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from schema.context import Info
from schema.errors import UserError
from schema.ids import decode_id
from schema.input_fields import global_id_of, omittable, optional
from schema.members.types import MemberNode
from schema.mutation_support import SEEN, row_input, write_mutation
from schema.payloads import Payload, errors_field, result_of, written_field, written_payload
from schema.row_writes import Ref, new_row, row_at_version
from schema.viewer.types import RoleType
from tenants import models as m
from tenants.services import members as service
from tenants.services.audit import Actor
from tenants.services.member_sessions import end_member_session, end_member_sessions


def _client_id(value: strawberry.ID) -> uuid.UUID:
    return decode_id(value, "ClientOrganisation", "clientOrganisationId")


# Member inputs name their organisation by global id; the services take its UUID.
_CONVERT = {"client_organisation_id": _client_id}


@strawberry.input(
    description="Pre-provision a member: their first login through the right provider, "
    "from an allowed domain, links them."
)
class InviteMemberInput:
    email: str = strawberry.field(
        description="The e-mail the member logs in with (matched case-insensitively)."
    )
    role: RoleType = strawberry.field(description="What the member may do.")  # type: ignore[valid-type]
    client_organisation_id: strawberry.ID | None = optional(
        "Required for client roles, forbidden for staff roles."
    )
    display_name: str | None = optional("The name shown; null: the e-mail is shown.")


@strawberry.input(
    description="Moving between staff and client roles changes the organisation. The member's"
    " sessions take the new role at once; their API tokens are revoked."
)
@row_input("Member", "change", id="The global id of the Member whose role changes.", version=SEEN)
class UpdateMemberRoleInput:
    role: RoleType = strawberry.field(description="The new role.")  # type: ignore[valid-type]
    client_organisation_id: strawberry.ID | None = omittable(
        "Omitted: unchanged; null: none (a staff role)."
    )


@strawberry.input(
    description=("Which member to deactivate: their sessions end and API tokens are revoked.")
)
@row_input("Member", "deactivate")
class DeactivateMemberInput:
    pass


@strawberry.input(description="End every browser session of a member (they must sign in again).")
class EndMemberSessionsInput:
    member_id: strawberry.ID = global_id_of("Member")


@strawberry.input(
    description="End one browser session of a member (that browser must sign in again); "
    "admins only."
)
class EndMemberSessionInput:
    session_id: strawberry.ID = strawberry.field(
        description="The MemberSession's id (Member.sessions). One already ended or expired "
        "is a VALIDATION error on this field; nothing changes."
    )


@written_payload(
    "member",
    MemberNode,
    description="The member whose session was ended, or errors.",
    about="The session's member; null when there are errors.",
)
class EndMemberSessionPayload(Payload):
    pass


@strawberry.type(description=result_of("endMemberSessions"))
class EndMemberSessionsPayload:
    member: MemberNode | None = written_field("Member")
    sessions_ended: int = strawberry.field(description="How many live sessions were ended.")
    errors: list[UserError] = errors_field()


@written_payload("member", MemberNode, "inviteMember", "updateMemberRole", "deactivateMember")
class MemberPayload(Payload):
    pass


_MEMBER = Ref("Member", "member_id")


def _sessions_payload(
    ended: tuple[m.Member, int] | None, errors: list[UserError]
) -> EndMemberSessionsPayload:
    member, count = ended if ended is not None and not errors else (None, 0)
    node = MemberNode.from_model(member) if member is not None else None
    return EndMemberSessionsPayload(member=node, sessions_ended=count, errors=errors)


async def _end_sessions(
    info: Info, input: EndMemberSessionsInput, db: AsyncSession, actor: Actor
) -> tuple[m.Member, int]:
    member_id = decode_id(input.member_id, "Member", "memberId")
    return await end_member_sessions(db, actor=actor, member_id=member_id)


async def _session_member(
    info: Info, input: EndMemberSessionInput, db: AsyncSession, actor: Actor
) -> m.Member:
    member, _ = await end_member_session(
        db,
        actor=actor,
        tenant=info.context.principal.tenant,
        session_id=decode_id(input.session_id, "MemberSession", "sessionId"),
    )
    return member


@strawberry.type
class MemberMutation:
    invite_member = write_mutation(
        InviteMemberInput,
        MemberPayload,
        new_row(service.invite_member, convert=_CONVERT),
        description=(
            "Pre-provision a member by e-mail; they become ACTIVE at their first "
            "login. Admins only."
        ),
    )
    update_member_role = write_mutation(
        UpdateMemberRoleInput,
        MemberPayload,
        row_at_version(service.update_member_role, _MEMBER, convert=_CONVERT),
        description="Change a member's role (and organisation). Admins only.",
    )
    deactivate_member = write_mutation(
        DeactivateMemberInput,
        MemberPayload,
        row_at_version(service.deactivate_member, _MEMBER),
        description=(
            "Stop a member logging in; their sessions end and tokens are revoked. Admins only."
        ),
    )
    end_member_sessions = write_mutation(
        EndMemberSessionsInput,
        EndMemberSessionsPayload,
        _end_sessions,
        description="Sign a member out everywhere. Admins only.",
        answer=lambda info, input: _sessions_payload,
    )
    end_member_session = write_mutation(
        EndMemberSessionInput,
        EndMemberSessionPayload,
        _session_member,
        description="End one of a member's browser sessions, audited (end_session); the "
        "member's other sessions and API tokens stay. Admins only.",
        argument=strawberry.argument(description="The session to end (from Member.sessions)."),
    )
