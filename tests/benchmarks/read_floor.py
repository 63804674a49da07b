"""The "floor" for `bench_read`: W1 answered by one SQL statement that builds the response.

Run by the benchmark as its own process, `python -m tests.benchmarks.read_floor`, configured
by environment variables (FLOOR_DSN, FLOOR_SCHEMA, FLOOR_ROLE, FLOOR_PORT,
FLOOR_TOKEN_SHA256, optional FLOOR_POOL_SIZE). A minimal Starlette app on uvicorn (the
same HTTP stack as `steward serve`) with an asyncpg pool:

* `POST /graphql` accepts only the W1 document (with or without `endCursor`), checks the
  bearer token against the hash it was given (in memory, no SQL), decodes the client's
  global id in Python, and runs ONE statement that builds the whole response body,
  `{"data":{"node":{...}}}`, in PostgreSQL. The text PostgreSQL returns is sent as the body
  unchanged: it is never decoded in Python.
* The JSON is built with `row_to_json` over column-aliased subqueries and
  `array_to_json(array_agg(...))`: unlike `json_build_object` / `json_agg` those print
  compact JSON (no spaces), so the body is byte-for-byte what Strawberry prints, not just
  equal once parsed. Keys come in selection order, global ids are
  base64("TypeName:uuid") with padding, enums are upper-cased values, dates ISO,
  `endCursor` is base64url (no padding) of the JSON text `json_build_array(name, id)`
  prints for the last edge, `["Process 049", "<uuid>"]` (schema/pagination.py
  `encode_cursor` since the compiled read path; before it, the same without the space).
* Tenant binding: the pool connects as the same login role as Steward (the benchmark uses
  the postgres superuser) and every request runs in its own transaction that takes
  `SET LOCAL ROLE <tenant role>`, as Steward's do, so PostgreSQL enforces the tenant
  boundary for the floor too. `BEGIN READ ONLY; SET LOCAL ROLE ...` goes as one simple
  query, then the statement, then `COMMIT`: three round trips a request (the pool's
  reset query on release is skipped, see `_no_reset`). The tables are
  schema-qualified with the tenant schema (no search_path).
* `GET /healthz` answers `{"status":"ok"}`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import asyncpg
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

W1_QUERY = (
    "query ProcessMap($id: ID!, $first: Int!) { node(id: $id) { ... on ClientOrganisation "
    "{ id name processes(first: $first) { totalCount pageInfo { hasNextPage endCursor } "
    "edges { node { id name lifecycleStage riskTier accountableOwner { id name title "
    "latestAssessment { assessedOn scores { score dimension { key } } } } } } } } } }"
)
W1_QUERY_NO_CURSOR = W1_QUERY.replace("hasNextPage endCursor", "hasNextPage")


def _gid(type_name: str, column: str) -> str:
    """SQL: the Relay global id base64("TypeName:uuid"), padded, without line breaks."""
    return (
        f"translate(encode(convert_to('{type_name}:' || {column}::text, 'UTF8'), 'base64'), "
        "E'\\n', '')"
    )


def w1_sql(schema: str, *, end_cursor: bool = True) -> str:
    """The one statement answering W1 for client $1, first $2, "today" $3.

    Mirrors the ordinary resolvers: processes not archived, by name then id, a page of
    first+1 rows (the extra one only sets hasNextPage); the accountable owner is the one
    of the accountable assignment in effect on $3 with the latest start; the latest
    assessment by assessed_on then created_at, newest first; scores in dimension
    (position, key) order.
    """
    s = '"' + schema.replace('"', '""') + '"'
    cursor = (
        """,
                (SELECT translate(encode(convert_to(
                            json_build_array(pg.name, pg.id::text)::text, 'UTF8'),
                            'base64'), E'+/=\\n', '-_')
                   FROM page pg WHERE pg.rn <= $2 ORDER BY pg.rn DESC LIMIT 1) AS "endCursor\""""
        if end_cursor
        else ""
    )
    return f"""
WITH page AS (
    SELECT p.id, p.name, p.lifecycle_stage, p.risk_tier,
           row_number() OVER (ORDER BY p.name, p.id) AS rn
      FROM {s}.ai_processes p
     WHERE p.client_id = $1 AND p.archived_at IS NULL
     ORDER BY p.name, p.id
     LIMIT $2 + 1
)
SELECT row_to_json(body)::text FROM (SELECT (
  SELECT row_to_json(d) FROM (SELECT (
    SELECT row_to_json(n) FROM (
      SELECT {_gid("ClientOrganisation", "c.id")} AS "id",
             c.name AS "name",
             (SELECT row_to_json(conn) FROM (
                SELECT (SELECT count(*) FROM {s}.ai_processes p
                         WHERE p.client_id = c.id AND p.archived_at IS NULL) AS "totalCount",
                       (SELECT row_to_json(pi) FROM (
                          SELECT coalesce((SELECT max(pg.rn) FROM page pg) > $2, false)
                                   AS "hasNextPage"{cursor}
                       ) pi) AS "pageInfo",
                       coalesce((
                          SELECT array_to_json(array_agg(edge.j ORDER BY edge.rn))
                            FROM (
                              SELECT pg.rn, (SELECT row_to_json(e) FROM (SELECT (
                                SELECT row_to_json(node) FROM (
                                  SELECT {_gid("AIProcess", "pg.id")} AS "id",
                                         pg.name AS "name",
                                         upper(pg.lifecycle_stage) AS "lifecycleStage",
                                         upper(pg.risk_tier) AS "riskTier",
                                         (SELECT row_to_json(ow) FROM (
                                            SELECT {_gid("Owner", "o.id")} AS "id",
                                                   o.name AS "name",
                                                   o.title AS "title",
                                                   (SELECT row_to_json(la) FROM (
                                                      SELECT a.assessed_on AS "assessedOn",
                                                             coalesce((
                                                               SELECT array_to_json(array_agg(
                                                                 (SELECT row_to_json(sc) FROM (
                                                                    SELECT cs.score AS "score",
                                                                      (SELECT row_to_json(dk) FROM
                                                                        (SELECT dm.key AS "key") dk
                                                                      ) AS "dimension"
                                                                  ) sc)
                                                                 ORDER BY dm.position, dm.key))
                                                                 FROM {s}.capability_scores cs
                                                                 JOIN {s}.capability_dimensions dm
                                                                   ON dm.id = cs.dimension_id
                                                                WHERE cs.assessment_id = a.id
                                                             ), '[]'::json) AS "scores"
                                                        FROM {s}.capability_assessments a
                                                       WHERE a.owner_id = o.id
                                                       ORDER BY a.assessed_on DESC,
                                                                a.created_at DESC
                                                       LIMIT 1
                                                   ) la) AS "latestAssessment"
                                              FROM {s}.ownership_assignments oa
                                              JOIN {s}.owners o ON o.id = oa.owner_id
                                             WHERE oa.process_id = pg.id
                                               AND oa.raci_role = 'accountable'
                                               AND oa.starts_on <= $3
                                               AND (oa.ends_on IS NULL OR oa.ends_on > $3)
                                             ORDER BY oa.starts_on DESC
                                             LIMIT 1
                                         ) ow) AS "accountableOwner"
                                ) node) AS "node") e) AS j
                                FROM page pg
                               WHERE pg.rn <= $2
                            ) edge
                       ), '[]'::json) AS "edges"
             ) conn) AS "processes"
        FROM {s}.client_organisations c
       WHERE c.id = $1
    ) n) AS "node"
  ) d) AS "data"
) body
"""


def client_uuid(global_id: Any) -> uuid.UUID | None:
    """The uuid of a ClientOrganisation global id, or None (the query then answers null)."""
    if not isinstance(global_id, str):
        return None
    try:
        type_name, _, raw = base64.b64decode(global_id, validate=True).decode().partition(":")
        return uuid.UUID(raw) if type_name == "ClientOrganisation" else None
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


async def _no_reset(conn: asyncpg.Connection) -> None:
    """Nothing to reset: requests leave no session state (SET LOCAL only, no LISTEN, no
    advisory locks, no cursors), so asyncpg's default reset query (a round trip of
    `pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL` on every release) is
    skipped. asyncpg still rolls back a connection released inside a transaction."""


def make_app(dsn: str, schema: str, role: str, token_sha256: str, pool_size: int = 10) -> Starlette:
    statements = {W1_QUERY: w1_sql(schema), W1_QUERY_NO_CURSOR: w1_sql(schema, end_cursor=False)}
    begin = 'BEGIN READ ONLY; SET LOCAL ROLE "' + role.replace('"', '""') + '"'
    expected = f"Bearer-sha256 {token_sha256}".encode()
    pool: asyncpg.Pool | None = None
    null_node = b'{"data":{"node":null}}'

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        nonlocal pool
        pool = await asyncpg.create_pool(
            dsn,
            min_size=1,
            max_size=pool_size,
            server_settings={"application_name": "floor"},
            reset=_no_reset,
        )
        try:
            yield
        finally:
            await pool.close()

    async def graphql(request: Request) -> Response:
        header = request.headers.get("authorization", "")
        token = header[7:] if header.startswith("Bearer ") else ""
        seen = f"Bearer-sha256 {hashlib.sha256(token.encode()).hexdigest()}".encode()
        if not hmac.compare_digest(seen, expected):
            return JSONResponse({"errors": [{"message": "unauthenticated"}]}, status_code=401)
        body = json.loads(await request.body())
        sql = statements.get(body.get("query"))
        if sql is None:
            return JSONResponse({"errors": [{"message": "the floor answers W1 only"}]}, 400)
        variables = body.get("variables") or {}
        client_id = client_uuid(variables.get("id"))
        if client_id is None:
            return Response(null_node, media_type="application/json")
        assert pool is not None
        async with pool.acquire() as conn:
            await conn.execute(begin)
            try:
                text = await conn.fetchval(sql, client_id, int(variables["first"]), date.today())
            finally:
                if conn.is_in_transaction():  # COMMIT of a failed transaction rolls it back
                    await conn.execute("COMMIT")
        return Response(text.encode() if text else null_node, media_type="application/json")

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )


def main() -> None:
    env = os.environ
    app = make_app(
        env["FLOOR_DSN"],
        env["FLOOR_SCHEMA"],
        env["FLOOR_ROLE"],
        env["FLOOR_TOKEN_SHA256"],
        int(env.get("FLOOR_POOL_SIZE", "10")),
    )
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(env["FLOOR_PORT"]),
        log_config=None,
        access_log=False,
        server_header=False,
        proxy_headers=False,
        lifespan="on",
    )


if __name__ == "__main__":
    main()
