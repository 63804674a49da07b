"""The demo engagement that `steward demo` seeds: one TOML file per client organisation.

`spec` declares the shapes once, `reading` reads a file into them, `loader` writes them
through the domain services, and `northwind.toml`, `harbor.toml` and `meridian.toml`
are the three clients (pure data; each opens with the gaps it holds on purpose). The
entry point is `tenants.demo_seed.seed_demo`.
"""

from pathlib import Path

from tenants.demo_data.reading import read_client
from tenants.demo_data.spec import ClientSpec

_HERE = Path(__file__).parent

CLIENTS: tuple[ClientSpec, ...] = tuple(
    read_client(_HERE / f"{name}.toml") for name in ("northwind", "harbor", "meridian")
)

__all__ = ["CLIENTS", "ClientSpec"]
