"""The demo engagement that `steward demo` seeds: one module per client organisation.

`spec` holds the declarative shapes, `loader` writes them through the domain services,
and `northwind`, `harbor` and `meridian` are the three clients. The entry point is
`tenants.demo_seed.seed_demo`.
"""

from tenants.demo_data.harbor import HARBOR
from tenants.demo_data.meridian import MERIDIAN
from tenants.demo_data.northwind import NORTHWIND
from tenants.demo_data.spec import ClientSpec

CLIENTS: tuple[ClientSpec, ...] = (NORTHWIND, HARBOR, MERIDIAN)

__all__ = ["CLIENTS", "ClientSpec"]
