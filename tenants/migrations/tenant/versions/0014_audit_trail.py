"""an audit trail people read: diffs by API field, actors by label and id (issue 12)

`audit_events.before`/`after` (whole rows by column name, raw uuids) become `changes`,
`[{field, before, after}]` of only the fields that changed, by API field name, with
foreign keys as global ids; `actor_id` names the member, token or identity provider
that acted (the label was `member:<uuid>`); indexes serve the activity feed's filters
(client organisation, object type, actor), newest first.

Events written before this revision are converted with the rules below, frozen here
(the API's types may change later; a migration must not): enum values stay as they were
stored then (lowercase), an id column of unknown type is dropped, and an update that
changed nothing is deleted (it recorded nothing). A token's label lives in `public`,
which a tenant migration does not read: old token events name it "API token" (by id).

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-02
"""

import json
import re
import uuid
from base64 import b64encode
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

T = "audit_events"
# The activity feed reads newest first: a backward scan of each.
INDEXES = {
    "ix_audit_events_seq": ["seq"],
    "ix_audit_events_client_seq": ["client_id", "seq"],
    "ix_audit_events_type_seq": ["object_type", "seq"],
    "ix_audit_events_actor_seq": ["actor_id", "seq"],
    "ix_audit_events_actor_kind_seq": ["actor_kind", "seq"],
}
NOISE = {"id", "version", "created_at", "updated_at"}
# Foreign-key columns as of this revision: API field and node type of the id.
REFS = {
    "client_id": ("clientOrganisation", "ClientOrganisation"),
    "client_organisation_id": ("clientOrganisation", "ClientOrganisation"),
    "process_id": ("process", "AIProcess"),
    "process_ids": ("processes", "AIProcess"),
    "owner_id": ("owner", "Owner"),
    "plan_id": ("plan", "ChangePlan"),
    "member_id": ("member", "Member"),
    "identity_provider_id": ("identityProvider", "IdentityProvider"),
    "browser_session_id": ("browserSession", "BrowserSession"),
}
_LABEL = re.compile(r"^(member|api_token):([0-9a-f-]{36})$")
_SCIM = re.compile(r"^scim:(.*) \(([0-9a-f-]{36})\)$")


def _gid(type_name: str, value: Any) -> Any:
    if isinstance(value, list):
        return [_gid(type_name, v) for v in value]
    return None if value is None else b64encode(f"{type_name}:{value}".encode()).decode()


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def _api(object_type: str, values: dict[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in (values or {}).items():
        if key in NOISE:
            continue
        if key == "client_id" and object_type == "IdentityProvider":
            out["clientId"] = value  # the OAuth client id, not a client organisation
        elif key in REFS:
            field, type_name = REFS[key]
            out[field] = _gid(type_name, value)
        elif not key.endswith("_id") and not key.endswith("_ids"):
            out[_camel(key)] = value
    return out


def _changes(object_type: str, before: Any, after: Any) -> list[dict[str, Any]]:
    old, new = _api(object_type, before), _api(object_type, after)
    return [
        {"field": k, "before": old.get(k), "after": new.get(k)}
        for k in sorted(old.keys() | new.keys())
        if old.get(k) != new.get(k)
    ]


def _actor(label: str, kind: str, members: dict[str, str]) -> tuple[str, str, uuid.UUID | None]:
    if m := _LABEL.match(label):
        name = members.get(m[2], "member") if m[1] == "member" else "API token"
        return name, m[1], uuid.UUID(m[2])
    if m := _SCIM.match(label):
        return f"SCIM of {m[1]}", "scim", uuid.UUID(m[2])
    if label == "cli":
        return "steward command line", "cli", None
    if label == "system:demo-seed":
        return "demo seed", "system", None
    return label, kind, None


def _convert(conn: sa.Connection) -> None:
    members = {
        str(r.id): r.label
        for r in conn.execute(
            sa.text("SELECT id, coalesce(display_name, email) AS label FROM members")
        )
    }
    rows = conn.execute(
        sa.text(f"SELECT id, actor, actor_kind, action, object_type, before, after FROM {T}")  # noqa: S608
    ).all()
    for r in rows:
        changes = _changes(r.object_type, r.before, r.after)
        if r.action == "update" and r.before is not None and r.after is not None and not changes:
            conn.execute(sa.text(f"DELETE FROM {T} WHERE id = :id"), {"id": r.id})  # noqa: S608
            continue
        label, kind, actor_id = _actor(r.actor, r.actor_kind, members)
        conn.execute(
            sa.text(
                f"UPDATE {T} SET changes = CAST(:changes AS jsonb), actor = :label,"  # noqa: S608
                " actor_kind = :kind, actor_id = :actor_id WHERE id = :id"
            ),
            {
                "changes": json.dumps(changes),
                "label": label[:200],
                "kind": kind,
                "actor_id": actor_id,
                "id": r.id,
            },
        )


def upgrade() -> None:
    op.add_column(T, sa.Column("actor_id", sa.UUID(), nullable=True))
    op.add_column(
        T,
        sa.Column(
            "changes",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
    )
    _convert(op.get_bind())
    op.drop_column(T, "before")
    op.drop_column(T, "after")
    for name, columns in INDEXES.items():
        op.create_index(name, T, columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name=T)
    jsonb = postgresql.JSONB(astext_type=sa.Text())
    op.add_column(T, sa.Column("before", jsonb, nullable=True))
    op.add_column(T, sa.Column("after", jsonb, nullable=True))
    # Best effort: the changed fields on each side (whole rows are gone).
    op.execute(
        f"UPDATE {T} SET"  # noqa: S608
        " before = (SELECT jsonb_object_agg(c->>'field', c->'before')"
        " FROM jsonb_array_elements(changes) c),"
        " after = (SELECT jsonb_object_agg(c->>'field', c->'after')"
        " FROM jsonb_array_elements(changes) c)"
    )
    op.drop_column(T, "changes")
    op.drop_column(T, "actor_id")
