"""The `steward` command."""

from __future__ import annotations

import asyncio
import sys

import typer

from server.cli.documents import documents_app
from server.cli.exports import export  # noqa: F401  (adds `steward tenants export|import`)
from server.cli.idp import idp_app
from server.cli.scim import scim_token  # noqa: F401  (adds `steward idp scim-token`)
from server.cli.tenants import tenants_app
from server.cli.tokens import tokens_app
from server.runtime import resolved_settings
from server.settings import load_settings

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Steward: who owns each AI process.",
)
app.add_typer(tenants_app, name="tenants")
app.add_typer(tokens_app, name="tokens")
app.add_typer(idp_app, name="idp")
app.add_typer(documents_app, name="documents")


@app.command()
def serve(
    workers: int = typer.Option(
        1, "--workers", min=1, help="Processes sharing the port, each with its own DB pool"
    ),
) -> None:
    """Serve the API (HTTP on STEWARD_HOST:STEWARD_PORT)."""
    from server.serving import serve as serve_api

    with resolved_settings(load_settings()) as settings:
        serve_api(settings, workers=workers)


@app.command()
def worker(
    check: bool = typer.Option(
        False,
        "--check",
        help="Do not run: exit 0 if this host's worker is alive (its health key in Redis "
        "is fresh), 1 otherwise. For container health checks.",
    ),
) -> None:
    """Run the arq worker: readiness reports and scheduled health reports."""
    if check:
        from server.worker_check import check_worker

        raise typer.Exit(check_worker(load_settings()))
    from server.serving import run_worker

    with resolved_settings(load_settings()) as settings:
        asyncio.run(run_worker(settings))


@app.command()
def demo() -> None:
    """Embedded servers, a seeded `demo` tenant, the API and the worker, together."""
    from server.demo import run_demo

    run_demo(load_settings(STEWARD_ENV="development"))


def main() -> None:
    try:
        app()
    except Exception as exc:  # never a traceback: one line says what failed
        first = (str(exc).splitlines() or [""])[0][:300]
        print(f"error: {type(exc).__name__}: {first}", file=sys.stderr)
        raise SystemExit(1) from None
