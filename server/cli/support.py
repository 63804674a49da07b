"""Helpers shared by the CLI commands: engine, ids as GraphQL shows them, one-line errors."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

import typer
from rich.console import Console
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.errors import shown_field
from schema.ids import parse_global_id, with_article
from server.runtime import resolved_settings
from server.settings import Settings, load_settings
from tenants.engine import make_engine
from tenants.errors import DomainError
from tenants.registry import TenantRef, get_tenant
from tenants.services.audit import Actor, AuditActorKind

T = TypeVar("T")
# soft_wrap: an id, token or URL is never cut or folded to the terminal's width.
err = Console(stderr=True, soft_wrap=True)


# Who the audit trail names for a write made from the command line.
CLI_ACTOR = Actor("steward command line", AuditActorKind.CLI)


class CliError(Exception):
    """Bad input or a refused request: one line on stderr, exit code 2."""


async def with_engine(settings: Settings, work: Callable[[AsyncEngine], Awaitable[T]]) -> T:
    assert settings.database_url is not None
    engine = make_engine(
        settings.database_url, statement_timeout_ms=settings.statement_timeout_ms * 20
    )
    try:
        return await work(engine)
    finally:
        await engine.dispose()


async def tenant_ref(engine: AsyncEngine, slug: str) -> TenantRef:
    async with engine.connect() as conn:
        ref = await get_tenant(conn, slug)
    if ref is None:
        raise CliError(f"tenant {slug!r} does not exist")
    return ref


def public_origin(settings: Settings) -> str:
    """The origin the server builds its redirect URI from: STEWARD_PUBLIC_URL, else the
    address browsers reach it at (it then uses the request's own), i.e. host and port."""
    return settings.public_url or f"http://{settings.host}:{settings.port}"


def parse_id(value: str, type_name: str, option: str) -> uuid.UUID:
    """A raw UUID, or the global id GraphQL shows for a `type_name`; CliError otherwise."""
    try:
        return uuid.UUID(value)
    except ValueError:
        parsed = parse_global_id(value)
        if parsed is None or parsed[0] != type_name:
            raise CliError(
                f"{option} {value!r} is neither a UUID nor the id of {with_article(type_name)}"
            ) from None
        return parsed[1]


def fail(message: str) -> typer.Exit:
    err.print(f"error: {message}")
    return typer.Exit(2)


def domain_error_line(exc: DomainError) -> str:
    """A refusal's errors on one line, each field named as the API names it (`-` for none)."""
    return "; ".join(f"{shown_field(e) or '-'}: {e.message}" for e in exc.errors)


def run_with_settings(work: Callable[[Settings, AsyncEngine], Awaitable[None]]) -> None:
    """Run `work` with the settings and an engine; refusals become one line and exit 2."""
    try:
        with resolved_settings(load_settings()) as settings:
            asyncio.run(with_engine(settings, lambda engine: work(settings, engine)))
    except DomainError as exc:
        raise fail(domain_error_line(exc)) from None
    except (CliError, ValueError) as exc:
        raise fail(str(exc)) from None


def plain_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell and never squeezed to the terminal: ids stay whole."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    lines = [headers, *rows]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )
