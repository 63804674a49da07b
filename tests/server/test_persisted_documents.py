"""Persisted documents on POST /graphql: automatic persisted queries per tenant, and
trusted documents only (STEWARD_TRUSTED_DOCUMENTS_ONLY), registered by the CLI."""

from __future__ import annotations

import hashlib
import json
import subprocess
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from server.settings import Settings, SettingsError, load_settings
from tenants.trusted_documents import (
    ManifestDocument,
    ManifestError,
    find_trusted_document,
    parse_manifest,
    register_documents,
)
from tests.conftest import TenantFactory, TokenFactory
from tests.processes import run_steward
from tests.support import post_raw, serving


def sha(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def fresh(document: str = "{ viewer { role tenant { slug } } }") -> str:
    """A document no other test has sent: the comment changes its hash, not its meaning."""
    return f"# {uuid.uuid4().hex}\n{document}"


async def post(
    client: httpx.AsyncClient,
    body: dict[str, Any],
    *,
    token: str | None,
    expect_status: int = 200,
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await client.post("/graphql", json=body, headers=headers)
    assert response.status_code == expect_status, response.text
    result: dict[str, Any] = response.json()
    return result


def persisted(sha256: str, query: str | None = None, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256}},
        **fields,
    }
    if query is not None:
        body["query"] = query
    return body


def code(body: dict[str, Any]) -> str:
    result: str = body["errors"][0]["extensions"]["code"]
    return result


@pytest.fixture
async def token(make_tenant: TenantFactory, make_token: TokenFactory) -> str:
    return await make_token(await make_tenant(), "viewer")


@pytest.fixture(scope="session")
async def trusted_url(settings: Settings, engine: AsyncEngine) -> AsyncIterator[str]:
    trusted = settings.model_copy(update={"trusted_documents_only": True})
    async with serving(trusted) as url:
        yield url


@pytest.fixture
async def trusted_client(trusted_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=trusted_url, timeout=30) as c:
        yield c


async def trust(engine: AsyncEngine, *documents: str) -> None:
    async with engine.connect() as conn, conn.begin():
        await register_documents(
            conn,
            documents=[ManifestDocument(sha(d), d) for d in documents],
            client_name="tests",
        )


# --- automatic persisted queries ---------------------------------------------------------


async def test_an_unknown_hash_gets_apollos_not_found_answer(
    client: httpx.AsyncClient, token: str
) -> None:
    response = await client.post(
        "/graphql",
        json=persisted(sha(fresh())),
        headers={"authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    assert response.json() == {
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ]
    }
    assert "no-cache" in response.headers["cache-control"]


async def test_a_document_sent_with_its_hash_is_registered_then_runs_by_hash(
    client: httpx.AsyncClient, token: str
) -> None:
    document = fresh("query($n: Int!) { clientOrganisations(first: $n) { totalCount } }")
    variables = {"n": 5}
    missed = await post(client, persisted(sha(document), variables=variables), token=token)
    assert code(missed) == "PERSISTED_QUERY_NOT_FOUND"
    registered = await post(
        client, persisted(sha(document), document, variables=variables), token=token
    )
    assert registered == {"data": {"clientOrganisations": {"totalCount": 0}}}
    hit = await post(client, persisted(sha(document), variables=variables), token=token)
    assert hit == registered


async def test_a_hash_that_is_not_the_documents_is_refused_and_not_registered(
    client: httpx.AsyncClient, token: str
) -> None:
    claimed = sha(fresh())
    refused = await post(client, persisted(claimed, fresh()), token=token, expect_status=400)
    assert code(refused) == "PERSISTED_QUERY_HASH_MISMATCH"
    assert refused["errors"][0]["message"] == "provided sha does not match query"
    assert code(await post(client, persisted(claimed), token=token)) == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(
    ("extension", "expected"),
    [
        ({"version": 2, "sha256Hash": "0" * 64}, "PERSISTED_QUERY_VERSION_UNSUPPORTED"),
        ({"version": 1, "sha256Hash": "not-a-hash"}, "BAD_REQUEST"),
        ("yes", "BAD_REQUEST"),
    ],
)
async def test_a_malformed_persisted_query_extension_is_a_400(
    client: httpx.AsyncClient, token: str, extension: object, expected: str
) -> None:
    body = {"extensions": {"persistedQuery": extension}}
    assert code(await post(client, body, token=token, expect_status=400)) == expected


async def test_a_hash_registered_by_one_tenant_is_a_miss_for_another(
    client: httpx.AsyncClient, make_tenant: TenantFactory, make_token: TokenFactory
) -> None:
    a = await make_token(await make_tenant())
    b = await make_token(await make_tenant())
    document = fresh()
    assert "data" in await post(client, persisted(sha(document), document), token=a)
    assert code(await post(client, persisted(sha(document)), token=b)) == (
        "PERSISTED_QUERY_NOT_FOUND"
    )
    assert "data" in await post(client, persisted(sha(document)), token=a)


async def test_an_unauthenticated_persisted_query_is_answered_401(
    client: httpx.AsyncClient,
) -> None:
    body = await post(client, persisted(sha(fresh())), token=None, expect_status=401)
    assert code(body) == "UNAUTHENTICATED"


async def test_without_redis_a_hash_is_a_miss_and_the_text_still_runs(
    settings: Settings, engine: AsyncEngine, token: str
) -> None:
    down = settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})
    document = fresh()
    async with serving(down) as url, httpx.AsyncClient(base_url=url, timeout=30) as c:
        assert code(await post(c, persisted(sha(document)), token=token)) == (
            "PERSISTED_QUERY_NOT_FOUND"
        )
        assert "data" in await post(c, persisted(sha(document), document), token=token)


# --- trusted documents only ---------------------------------------------------------------


async def test_trusted_mode_refuses_a_document_that_is_not_registered(
    trusted_client: httpx.AsyncClient, token: str
) -> None:
    body = await post(trusted_client, {"query": fresh()}, token=token, expect_status=400)
    assert code(body) == "TRUSTED_DOCUMENT_REQUIRED"
    assert "data" not in body


async def test_trusted_mode_does_not_register_documents_sent_with_their_hash(
    trusted_client: httpx.AsyncClient, token: str
) -> None:
    document = fresh()
    refused = await post(
        trusted_client, persisted(sha(document), document), token=token, expect_status=400
    )
    assert code(refused) == "TRUSTED_DOCUMENT_REQUIRED"
    again = await post(trusted_client, persisted(sha(document)), token=token, expect_status=400)
    assert code(again) == "TRUSTED_DOCUMENT_NOT_FOUND"


async def test_trusted_mode_runs_a_registered_document_by_hash_and_by_text(
    trusted_client: httpx.AsyncClient, engine: AsyncEngine, token: str
) -> None:
    document = fresh()
    await trust(engine, document)
    by_hash = await post(trusted_client, persisted(sha(document)), token=token)
    assert by_hash["data"]["viewer"]["role"] == "VIEWER"
    assert await post(trusted_client, {"query": document}, token=token) == by_hash
    assert await post(trusted_client, persisted(sha(document), document), token=token) == by_hash


@pytest.mark.parametrize(
    "raw", [b"[]", b'"{ viewer { role } }"', b"{not json", b'{"variables": {}}']
)
async def test_trusted_mode_refuses_bodies_without_a_document(
    trusted_client: httpx.AsyncClient, token: str, raw: bytes
) -> None:
    response = await post_raw(trusted_client, raw, token=token)
    assert response.status_code == 400
    assert code(response.json()) in ("TRUSTED_DOCUMENT_REQUIRED", "BAD_REQUEST")


def test_the_trusted_setting_is_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEWARD_ENV", "test")
    monkeypatch.setenv("STEWARD_TRUSTED_DOCUMENTS_ONLY", "maybe")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert "STEWARD_TRUSTED_DOCUMENTS_ONLY" in str(raised.value)


# --- manifests and the CLI ----------------------------------------------------------------


def apollo_manifest(*operations: tuple[str, str]) -> dict[str, Any]:
    return {
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [
            {"id": sha(body), "name": name, "type": "query", "body": body}
            for name, body in operations
        ],
    }


def steward(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return run_steward(settings, *args, COLUMNS="250")


async def test_the_cli_registers_an_apollo_manifest_once(
    settings: Settings,
    trusted_client: httpx.AsyncClient,
    token: str,
    tmp_path: Path,
) -> None:
    viewer, clients = (
        fresh("query Viewer { viewer { role } }"),
        fresh("query Clients { clientOrganisations(first: 1) { totalCount } }"),
    )
    manifest = tmp_path / "persisted-query-manifest.json"
    manifest.write_text(json.dumps(apollo_manifest(("Viewer", viewer), ("Clients", clients))))
    first = steward(settings, "documents", "register", str(manifest), "--name", "web@1.0.0")
    assert first.returncode == 0, first.stderr
    assert "2 added, 0 already present" in first.stdout
    again = steward(settings, "documents", "register", str(manifest))
    assert again.returncode == 0, again.stderr
    assert "0 added, 2 already present" in again.stdout
    listed = steward(settings, "documents", "list")
    row = next(line for line in listed.stdout.splitlines() if sha(viewer) in line)
    assert "Viewer" in row and "web@1.0.0" in row
    ran = await post(trusted_client, persisted(sha(viewer)), token=token)
    assert ran == {"data": {"viewer": {"role": "VIEWER"}}}


async def test_the_cli_registers_a_plain_hash_map(
    settings: Settings, engine: AsyncEngine, tmp_path: Path
) -> None:
    document = fresh()
    manifest = tmp_path / "persisted-documents.json"
    manifest.write_text(json.dumps({f"sha256:{sha(document)}": document}))
    result = steward(settings, "documents", "register", str(manifest))
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stdout
    async with engine.connect() as conn:
        assert await find_trusted_document(conn, sha256=sha(document)) == document


async def test_a_bad_manifest_names_the_operation_and_registers_nothing(
    settings: Settings, engine: AsyncEngine, tmp_path: Path
) -> None:
    good, bad = fresh(), fresh("query Broken { viewer { role } }")
    manifest = apollo_manifest(("Good", good), ("Broken", bad))
    manifest["operations"][1]["id"] = sha(good + " ")
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    result = steward(settings, "documents", "register", str(path))
    assert result.returncode == 2
    assert "operation 1 ('Broken')" in result.stderr
    assert "not the SHA-256 of the document" in result.stderr
    async with engine.connect() as conn:
        assert await find_trusted_document(conn, sha256=sha(good)) is None


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ({"format": "relay", "operations": []}, "unknown manifest format"),
        ({"format": "apollo-persisted-query-manifest", "version": 2}, "version 2"),
        ({}, "no documents"),
        ({"abc": "{ viewer { role } }"}, "not a hex SHA-256"),
        ({sha("{ viewer { role }"): "{ viewer { role }"}, "not valid GraphQL"),
        (
            {
                "format": "apollo-persisted-query-manifest",
                "version": 1,
                "operations": [{"id": sha("{ a }"), "name": "A", "type": "fetch", "body": "{ a }"}],
            },
            "operation 0 ('A'): unknown type",
        ),
    ],
)
def test_manifest_errors_say_what_is_wrong(manifest: object, message: str) -> None:
    with pytest.raises(ManifestError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_manifest(manifest)


def test_a_manifest_listing_a_document_twice_yields_it_once() -> None:
    body = "{ viewer { role } }"
    documents = parse_manifest(apollo_manifest(("A", body), ("A", body)))
    assert documents == [ManifestDocument(sha(body), body, "A")]
