"""Trusted documents: the GraphQL documents front-end builds may run, by SHA-256.

A front end's build writes a manifest of every document it sends; registering it
(`steward documents register`) stores each document in `public.trusted_documents`
(model in tenants/registry.py), once for every tenant. With
STEWARD_TRUSTED_DOCUMENTS_ONLY the API runs nothing else
(server/middleware/persisted_documents.py).

Two manifest formats are read, and every hash is checked against its document:

* Apollo's persisted query manifest (`generate-persisted-query-manifest`):
  `{"format": "apollo-persisted-query-manifest", "version": 1,
  "operations": [{"id": "<sha256>", "name": "...", "type": "query", "body": "..."}]}`
* a plain `{"<sha256>": "<document>"}` map, as graphql-codegen's client preset
  (`persistedDocuments: {hashAlgorithm: "sha256"}`) and Relay write them; a
  `sha256:` prefix on the keys is accepted.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from graphql import GraphQLError, parse
from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from tenants.registry import TrustedDocument

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
APOLLO_FORMAT = "apollo-persisted-query-manifest"
OPERATION_TYPES = ("query", "mutation", "subscription")
_INSERT_BATCH = 500


def document_hash(document: str) -> str:
    """The identifier of a document: the lowercase hex SHA-256 of its UTF-8 text."""
    return hashlib.sha256(document.encode()).hexdigest()


class ManifestError(ValueError):
    """A manifest that cannot be registered; the message names the bad entry."""


@dataclass(frozen=True, slots=True)
class ManifestDocument:
    sha256: str
    document: str
    operation_name: str | None = None


@dataclass(frozen=True, slots=True)
class Registered:
    added: int
    present: int


def _checked(where: str, raw_id: object, body: object, name: str | None) -> ManifestDocument:
    if not isinstance(raw_id, str):
        raise ManifestError(f"{where}: the id must be a string")
    if not isinstance(body, str) or not body.strip():
        raise ManifestError(f"{where}: the document must be a non-empty string")
    sha = raw_id.strip().lower().removeprefix("sha256:")
    if not SHA256_HEX.fullmatch(sha):
        raise ManifestError(f"{where}: the id {raw_id!r} is not a hex SHA-256")
    actual = document_hash(body)
    if sha != actual:
        raise ManifestError(
            f"{where}: the id is not the SHA-256 of the document (the document hashes to "
            f"{actual}); only SHA-256 ids are accepted"
        )
    try:
        parse(body, no_location=True)
    except GraphQLError as exc:
        raise ManifestError(f"{where}: the document is not valid GraphQL: {exc.message}") from None
    return ManifestDocument(sha, body, name)


def _apollo(manifest: dict[str, Any]) -> list[ManifestDocument]:
    if manifest.get("version") != 1:
        raise ManifestError(
            f"unsupported {APOLLO_FORMAT} version {manifest.get('version')!r} (1 is read)"
        )
    operations = manifest.get("operations")
    if not isinstance(operations, list):
        raise ManifestError("`operations` must be a list")
    documents = []
    for index, operation in enumerate(operations):
        if not isinstance(operation, dict):
            raise ManifestError(f"operation {index}: must be an object")
        name = operation.get("name")
        label = f"operation {index} ({name!r})" if isinstance(name, str) else f"operation {index}"
        kind = operation.get("type")
        if kind is not None and kind not in OPERATION_TYPES:
            raise ManifestError(f"{label}: unknown type {kind!r}")
        documents.append(
            _checked(
                label,
                operation.get("id"),
                operation.get("body"),
                name if isinstance(name, str) else None,
            )
        )
    return documents


def parse_manifest(manifest: object) -> list[ManifestDocument]:
    """The documents of a decoded manifest, each hash verified; duplicates once."""
    if not isinstance(manifest, dict):
        raise ManifestError("a manifest must be a JSON object")
    if "format" in manifest:
        if manifest["format"] != APOLLO_FORMAT:
            raise ManifestError(
                f"unknown manifest format {manifest['format']!r} (expected {APOLLO_FORMAT!r} "
                'or a plain {"<sha256>": "<document>"} map)'
            )
        documents = _apollo(manifest)
    else:
        documents = [
            _checked(f"document {key!r}", key, body, None) for key, body in manifest.items()
        ]
    if not documents:
        raise ManifestError("the manifest holds no documents")
    unique: dict[str, ManifestDocument] = {}
    for document in documents:
        unique.setdefault(document.sha256, document)
    return list(unique.values())


async def trusted_table_exists(conn: AsyncConnection) -> bool:
    """Whether the shared schema has been migrated far enough to hold trusted documents."""
    found = await conn.scalar(text("SELECT to_regclass('public.trusted_documents')"))
    return found is not None


async def register_documents(
    conn: AsyncConnection, *, documents: Sequence[ManifestDocument], client_name: str | None
) -> Registered:
    """Store `documents`, leaving those already present as they are (idempotent)."""
    added = 0
    for start in range(0, len(documents), _INSERT_BATCH):
        batch = documents[start : start + _INSERT_BATCH]
        statement = (
            insert(TrustedDocument)
            .values(
                [
                    {
                        "sha256": d.sha256,
                        "document": d.document,
                        "operation_name": d.operation_name,
                        "client_name": client_name,
                    }
                    for d in batch
                ]
            )
            .on_conflict_do_nothing(index_elements=["sha256"])
            .returning(TrustedDocument.sha256)
        )
        added += len((await conn.execute(statement)).all())
    return Registered(added=added, present=len(documents) - added)


async def find_trusted_document(conn: AsyncConnection, *, sha256: str) -> str | None:
    """The registered document with this hash, or None."""
    table = TrustedDocument.__table__
    found: str | None = await conn.scalar(select(table.c.document).where(table.c.sha256 == sha256))
    return found


@dataclass(frozen=True, slots=True)
class TrustedDocumentInfo:
    sha256: str
    operation_name: str | None
    client_name: str | None
    created_at: datetime
    size: int


async def list_trusted_documents(conn: AsyncConnection) -> list[TrustedDocumentInfo]:
    """Every registered document, newest first (without its text)."""
    table = TrustedDocument.__table__
    rows = await conn.execute(
        select(
            table.c.sha256,
            table.c.operation_name,
            table.c.client_name,
            table.c.created_at,
            func.octet_length(table.c.document),  # bytes, as the body limit counts them
        ).order_by(table.c.created_at.desc(), table.c.sha256)
    )
    return [TrustedDocumentInfo(*row) for row in rows]
