"""Steward as an import string, for servers that build the app in each worker process.

`uvicorn.run("server.asgi:app_from_env", factory=True, workers=N)` spawns processes
that import this module afresh: the settings object of the parent cannot travel
with them, so each worker reads the environment (and `.env`) as the CLI did. The
CLI exports the URLs of embedded servers before spawning (server/serving.py).
"""

from __future__ import annotations

from starlette.applications import Starlette

from server.app import create_app
from server.observability.tracing import configure_tracing
from server.settings import load_settings


def app_from_env() -> Starlette:
    """The app for the settings in the environment; DATABASE_URL and REDIS_URL must be set."""
    settings = load_settings()
    configure_tracing(settings, "steward-api")  # a process of its own: its own provider
    return create_app(settings)
