"""Persisted documents on POST /graphql: Apollo's automatic persisted queries, or only
trusted (registered) documents.

Runs after authentication and the rate limiter; a request without a principal is
left alone, so the GraphQL view answers 401. GET requests and other paths are
left alone too, and no response passing through is touched.

Automatic persisted queries (the default), as Apollo's protocol has them: a body
with `extensions.persistedQuery = {"version": 1, "sha256Hash": H}`

* and no `query` runs the document cached under H, or is answered 200
  `{"errors": [{"message": "PersistedQueryNotFound", "extensions": {"code":
  "PERSISTED_QUERY_NOT_FOUND"}}]}` (the client then resends it with the text);
* and a `query` whose SHA-256 is H registers it and runs it; another hash is a
  400 `PERSISTED_QUERY_HASH_MISMATCH` ("provided sha does not match query").

The cache is in Redis, one key per tenant and hash
(`<STEWARD_QUEUE_NAME>:apq:<tenant slug>:<hash>`), kept 24 hours from its last
registration, so no tenant learns which documents another one sends. A document is
at most the body limit (STEWARD_MAX_BODY_BYTES). With Redis down every lookup is a
miss and nothing is stored: clients fall back to sending the text, which runs.

Trusted documents (STEWARD_TRUSTED_DOCUMENTS_ONLY=true): only documents registered
with `steward documents register` run, sent as text or by hash as above; nothing is
registered by requests. Refusals are HTTP 400, before any GraphQL work:
`TRUSTED_DOCUMENT_REQUIRED` for a document that is not registered (or a body
without one), `TRUSTED_DOCUMENT_NOT_FOUND` for a hash that is not. What runs is
always the body this middleware checked, re-encoded.

Registered documents are kept in process memory (`TrustedDocumentCache`): a
document found is reused for 60 s, a hash not found is remembered for 10 s, so a
steady client costs one indexed lookup per document a minute, a document removed
by hand stops running within a minute and one registered after a refusal runs
within 10 s.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from typing import Any

import structlog
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Receive, Scope, Send

from server.middleware.request_body import read_body, replay
from server.responses import json_error
from tenants.trusted_documents import find_trusted_document

log = structlog.get_logger("steward.persisted_documents")

APQ_TTL_S = 24 * 3600
GRAPHQL_PATH = "/graphql"
_SHA256_HEX = re.compile(r"^[0-9a-fA-F]{64}$")
# Apollo sends this with its not-found answer, so no cache keeps the miss.
_NO_CACHE = {"Cache-Control": "private, no-cache, must-revalidate"}


class Refusal(Exception):
    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


class TrustedDocumentCache:
    """Registered documents by hash, in this process; bounded, entries expire."""

    def __init__(
        self,
        *,
        hit_ttl_s: float = 60.0,
        miss_ttl_s: float = 10.0,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.hit_ttl_s, self.miss_ttl_s = hit_ttl_s, miss_ttl_s
        self.max_entries = max_entries
        self.clock = clock
        self._entries: dict[str, tuple[float, str | None]] = {}

    async def get(self, engine: AsyncEngine, sha256: str) -> str | None:
        now = self.clock()
        entry = self._entries.get(sha256)
        if entry is not None and entry[0] > now:
            return entry[1]
        async with engine.connect() as conn:
            document = await find_trusted_document(conn, sha256=sha256)
        self._entries.pop(sha256, None)
        while len(self._entries) >= self.max_entries:  # the oldest entry goes first
            self._entries.pop(next(iter(self._entries)))
        ttl = self.hit_ttl_s if document is not None else self.miss_ttl_s
        self._entries[sha256] = (now + ttl, document)
        return document


def _is_json(scope: Scope) -> bool:
    # Looser than Strawberry's own test, so anything it would decode as JSON is seen here.
    for key, value in scope["headers"]:
        if key == b"content-type":
            return b"application/json" in value.lower()
    return False


def _with_length(scope: Scope, body: bytes) -> Scope:
    headers = [(k, v) for k, v in scope["headers"] if k != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    return {**scope, "headers": headers}  # the same `state` dict


def _encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


def _utf8(query: str) -> bytes:
    try:
        return query.encode()
    except UnicodeEncodeError:  # a lone surrogate, which JSON escapes can carry
        raise Refusal(400, "BAD_REQUEST", "`query` is not valid Unicode text") from None


class PersistedDocumentsMiddleware:
    """Pure ASGI: resolves persisted documents and enforces trusted-only mode."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        trusted_only: bool,
        max_document_bytes: int,
        namespace: str = "steward",
        apq_ttl_s: int = APQ_TTL_S,
    ) -> None:
        self.app = app
        self.trusted = TrustedDocumentCache() if trusted_only else None
        self.max_document_bytes = max_document_bytes
        self.namespace = namespace
        self.apq_ttl_s = apq_ttl_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or scope["path"] != GRAPHQL_PATH
            or scope.get("state", {}).get("principal") is None
            or not _is_json(scope)  # Strawberry refuses any other content type
        ):
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        try:
            forwarded = await self._resolve(scope, body)
        except Refusal as refusal:
            response = json_error(
                refusal.status, refusal.code, refusal.message, headers=refusal.headers
            )
            await response(scope, receive, send)
            return
        if forwarded is not body:
            scope = _with_length(scope, forwarded)
        await self.app(scope, replay(forwarded, receive), send)

    async def _resolve(self, scope: Scope, body: bytes) -> bytes:
        """The body to forward: `body` itself, or one with the document filled in."""
        if self.trusted is None and b"persistedQuery" not in body:
            return body  # the common case costs no decoding
        payload = self._decode(body)
        if payload is None:
            return body  # not ours to judge: Strawberry answers it itself
        query = payload.get("query")
        if query is not None and not isinstance(query, str):
            raise Refusal(400, "BAD_REQUEST", "`query` must be a string")
        extensions = payload.get("extensions")
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        if persisted is None:
            return await self._plain_query(scope, body, payload, query)
        sha256 = self._persisted_hash(persisted)
        if query is not None:
            return await self._query_with_hash(scope, body, payload, query, sha256)
        payload["query"] = await self._document_by_hash(scope, sha256)
        return _encode(payload)

    def _decode(self, body: bytes) -> dict[str, object] | None:
        """The body as a JSON object; None when Strawberry may answer it itself."""
        try:
            payload = json.loads(body)
        except ValueError:
            if self.trusted is None:
                return None  # Strawberry answers malformed JSON itself
            raise Refusal(400, "BAD_REQUEST", "the request body is not valid JSON") from None
        if isinstance(payload, dict):
            return payload
        if self.trusted is None:
            return None
        raise Refusal(
            400,
            "TRUSTED_DOCUMENT_REQUIRED",
            "only registered documents run here: send one JSON object with a registered "
            "document's `query` or its `extensions.persistedQuery.sha256Hash`",
        )

    async def _plain_query(
        self, scope: Scope, body: bytes, payload: dict[str, object], query: str | None
    ) -> bytes:
        """A request without `persistedQuery`: free unless only trusted documents run."""
        if self.trusted is None:
            return body
        if query is None:
            raise Refusal(
                400,
                "TRUSTED_DOCUMENT_REQUIRED",
                "only registered documents run here: send a registered document's "
                "`query` or its `extensions.persistedQuery.sha256Hash`",
            )
        await self._require_trusted(scope, hashlib.sha256(_utf8(query)).hexdigest())
        return _encode(payload)

    async def _query_with_hash(
        self, scope: Scope, body: bytes, payload: dict[str, object], query: str, sha256: str
    ) -> bytes:
        """APQ registration (or a trusted document sent in full): the hash must match."""
        encoded = _utf8(query)
        if len(encoded) > self.max_document_bytes:
            raise Refusal(
                400,
                "BAD_REQUEST",
                f"a persisted document may be at most {self.max_document_bytes} bytes",
            )
        if hashlib.sha256(encoded).hexdigest() != sha256:
            raise Refusal(400, "PERSISTED_QUERY_HASH_MISMATCH", "provided sha does not match query")
        if self.trusted is not None:
            await self._require_trusted(scope, sha256)
            return _encode(payload)
        await self._remember(scope, sha256, query)
        return body

    async def _document_by_hash(self, scope: Scope, sha256: str) -> str:
        """The document a hash names: a registered one, or one this tenant sent before."""
        if self.trusted is not None:
            document = await self.trusted.get(scope["state"]["engine"], sha256)
            if document is None:
                log.info("trusted_documents.unknown_hash", sha256=sha256)
                raise Refusal(
                    400,
                    "TRUSTED_DOCUMENT_NOT_FOUND",
                    f"no registered document has the hash {sha256}; register the client's "
                    "manifest with `steward documents register`",
                )
            return document
        document = await self._recall(scope, sha256)
        if document is None:
            raise Refusal(
                200, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound", headers=_NO_CACHE
            )
        return document

    @staticmethod
    def _persisted_hash(persisted: object) -> str:
        if not isinstance(persisted, dict):
            raise Refusal(400, "BAD_REQUEST", "`extensions.persistedQuery` must be an object")
        if persisted.get("version") != 1:
            raise Refusal(
                400,
                "PERSISTED_QUERY_VERSION_UNSUPPORTED",
                "Unsupported persisted query version: only version 1 is supported",
            )
        sha256 = persisted.get("sha256Hash")
        if not isinstance(sha256, str) or not _SHA256_HEX.fullmatch(sha256):
            raise Refusal(
                400,
                "BAD_REQUEST",
                "`extensions.persistedQuery.sha256Hash` must be a hex SHA-256 (64 digits)",
            )
        return sha256.lower()

    async def _require_trusted(self, scope: Scope, sha256: str) -> None:
        assert self.trusted is not None
        if await self.trusted.get(scope["state"]["engine"], sha256) is None:
            log.info("trusted_documents.refused", sha256=sha256)
            raise Refusal(
                400,
                "TRUSTED_DOCUMENT_REQUIRED",
                f"only registered documents run here, and this one (sha256 {sha256}) is not; "
                "register the client's manifest with `steward documents register`",
            )

    def _key(self, scope: Scope, sha256: str) -> str:
        slug: str = scope["state"]["principal"].tenant.slug
        return f"{self.namespace}:apq:{slug}:{sha256}"

    async def _recall(self, scope: Scope, sha256: str) -> str | None:
        redis = scope["state"].get("redis")
        if redis is None:
            return None
        try:
            found = await redis.get(self._key(scope, sha256))
        except (RedisError, OSError):
            log.warning("apq.redis_unavailable")
            return None
        if isinstance(found, bytes):
            found = found.decode()
        return found if isinstance(found, str) else None

    async def _remember(self, scope: Scope, sha256: str, document: str) -> None:
        redis = scope["state"].get("redis")
        if redis is None:
            return
        try:
            await redis.set(self._key(scope, sha256), document, ex=self.apq_ttl_s)
        except (RedisError, OSError):
            log.warning("apq.redis_unavailable")
