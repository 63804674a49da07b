"""Fetching JSON from identity providers: no redirects, bounded size, https in production."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx

from tenants.services.login_refusals import LoginRefused, Refusal

MAX_DOCUMENT_BYTES = 512 * 1024


class FetchError(Exception):
    """The document could not be fetched or is not a JSON object; the message says why."""


@contextmanager
def refused_unless_fetched(reason: Refusal, message: str) -> Iterator[None]:
    """A sign-in step that needs a provider's document: a FetchError inside refuses the
    login as `reason`, with `message` for the person and the error as the log's detail."""
    try:
        yield
    except FetchError as exc:
        raise LoginRefused(reason, message, detail=str(exc)) from exc


def check_url(url: object, *, require_https: bool, what: str) -> str:
    """An absolute URL we may call: https, or http when the setting allows it."""
    if not isinstance(url, str):
        raise FetchError(f"{what} is missing")
    parts = urlsplit(url)
    allowed = ("https",) if require_https else ("https", "http")
    if parts.scheme not in allowed or not parts.hostname or parts.fragment:
        rule = " (plain http is refused when STEWARD_ENV=production)" if require_https else ""
        raise FetchError(f"{what} must be an absolute {' or '.join(allowed)} URL{rule}")
    return url


async def fetch_json(
    http: httpx.AsyncClient, url: str, *, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """GET `url` and return its JSON object. Redirects are not followed: a provider's
    documents are at the URLs it publishes, and following one would let a hijacked
    endpoint point us anywhere."""
    try:
        async with http.stream(
            "GET",
            url,
            headers={"accept": "application/json", **(headers or {})},
            follow_redirects=False,
        ) as response:
            if response.status_code != 200:
                raise FetchError(f"{url} answered HTTP {response.status_code}")
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body.extend(chunk)
                if len(body) > MAX_DOCUMENT_BYTES:
                    raise FetchError(f"{url} sent more than {MAX_DOCUMENT_BYTES} bytes")
    except httpx.HTTPError as exc:
        raise FetchError(f"{url} could not be fetched: {type(exc).__name__}") from exc
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise FetchError(f"{url} did not return JSON") from exc
    if not isinstance(document, dict):
        raise FetchError(f"{url} did not return a JSON object")
    return document
