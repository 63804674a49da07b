"""an audit trail people read: diffs by API field, actors by label and id (issue 12) (2026-12-02)

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
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0014"
down_revision = "0013"

T = "audit_events"
# The activity feed reads newest first: a backward scan of each.
INDEXES = {
    "ix_audit_events_seq": ["seq"],
    "ix_audit_events_client_seq": ["client_id", "seq"],
    "ix_audit_events_type_seq": ["object_type", "seq"],
    "ix_audit_events_actor_seq": ["actor_id", "seq"],
    "ix_audit_events_actor_kind_seq": ["actor_kind", "seq"],
}
# Foreign-key columns as of this revision: API field and node type of the id.
REFS = """(VALUES
    ('client_id', 'clientOrganisation', 'ClientOrganisation'),
    ('client_organisation_id', 'clientOrganisation', 'ClientOrganisation'),
    ('process_id', 'process', 'AIProcess'),
    ('process_ids', 'processes', 'AIProcess'),
    ('owner_id', 'owner', 'Owner'),
    ('plan_id', 'plan', 'ChangePlan'),
    ('member_id', 'member', 'Member'),
    ('identity_provider_id', 'identityProvider', 'IdentityProvider'),
    ('browser_session_id', 'browserSession', 'BrowserSession')
) AS r(key, field, node)"""


def _gid(node: str, value: str) -> str:
    """SQL: the global id (base64 of `Type:uuid`, one line) of a JSON string."""
    raw = f"convert_to({node} || ':' || ({value} #>> '{{}}'), 'UTF8')"
    return f"to_jsonb(replace(encode({raw}, 'base64'), E'\\n', ''))"


def _api_value(value: str) -> str:
    """SQL: a stored JSON value with a foreign key's uuid(s) as global ids (r.node set)."""
    return (
        f"CASE WHEN r.node IS NULL OR jsonb_typeof({value}) = 'null' THEN {value}"  # noqa: S608
        f" WHEN jsonb_typeof({value}) = 'array' THEN (SELECT coalesce(jsonb_agg("
        f"{_gid('r.node', 'x')} ORDER BY o), '[]'::jsonb)"
        f" FROM jsonb_array_elements({value}) WITH ORDINALITY AS t(x, o))"
        f" ELSE {_gid('r.node', value)} END"
    )


# camelCase the way Strawberry does: last_reviewed_at -> lastReviewedAt.
_CAMEL = "lower(left(k.key, 1)) || substr(replace(initcap(replace(k.key, '_', ' ')), ' ', ''), 2)"

# Each old event's fields (noise out; an id column of unknown type out), by API name,
# compared as JSON (a missing key and a JSON null are the same: null).
CONVERT = f"""
UPDATE audit_events e SET changes = coalesce((
    SELECT jsonb_agg(jsonb_build_object('field', f.field, 'before', f.b, 'after', f.a)
                     ORDER BY f.field COLLATE "C")
    FROM (
        SELECT
            CASE WHEN k.key = 'client_id' AND e.object_type = 'IdentityProvider'
                 THEN 'clientId' ELSE coalesce(r.field, {_CAMEL}) END AS field,
            {_api_value("coalesce(e.before -> k.key, 'null'::jsonb)")} AS b,
            {_api_value("coalesce(e.after -> k.key, 'null'::jsonb)")} AS a
        FROM (SELECT jsonb_object_keys(coalesce(e.before, '{{}}') || coalesce(e.after, '{{}}'))
              AS key) k
        LEFT JOIN {REFS}
            ON r.key = k.key AND NOT (k.key = 'client_id' AND e.object_type = 'IdentityProvider')
        WHERE k.key NOT IN ('id', 'version', 'created_at', 'updated_at')
          AND (r.key IS NOT NULL OR k.key !~ '_ids?$'
               OR (k.key = 'client_id' AND e.object_type = 'IdentityProvider'))
    ) f
    WHERE f.b IS DISTINCT FROM f.a
), '[]'::jsonb)
"""  # noqa: S608  (constant SQL: no input reaches it)
# The label was `member:<uuid>`, `api_token:<uuid>`, `scim:<name> (<uuid>)`, `cli`, ….
ACTORS = r"""
UPDATE audit_events SET actor_id = CAST(substring(actor from '([0-9a-f-]{36})$') AS uuid),
    actor = coalesce((SELECT coalesce(m.display_name, m.email) FROM members m
                      WHERE m.id = CAST(substring(actor from 8) AS uuid)), 'member')
    WHERE actor ~ '^member:[0-9a-f-]{36}$';
UPDATE audit_events SET actor_id = CAST(substring(actor from 11) AS uuid), actor = 'API token'
    WHERE actor ~ '^api_token:[0-9a-f-]{36}$';
UPDATE audit_events SET actor_id = CAST(substring(actor from '\(([0-9a-f-]{36})\)$') AS uuid),
    actor = 'SCIM of ' || substring(actor from '^scim:(.*) \([0-9a-f-]{36}\)$')
    WHERE actor ~ '^scim:.* \([0-9a-f-]{36}\)$';
UPDATE audit_events SET actor = 'steward command line', actor_kind = 'cli' WHERE actor = 'cli';
UPDATE audit_events SET actor = 'demo seed' WHERE actor = 'system:demo-seed';
UPDATE audit_events SET actor = 'Steward' WHERE actor = 'steward' AND actor_kind = 'system';
"""


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
    # Plain SQL: new tenant schemas are created from this history rendered offline.
    op.execute(CONVERT)
    op.execute(
        "DELETE FROM audit_events WHERE action = 'update' AND changes = '[]'::jsonb"
        " AND before IS NOT NULL AND after IS NOT NULL"
    )
    for statement in filter(str.strip, ACTORS.split(";")):
        op.execute(statement)
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
