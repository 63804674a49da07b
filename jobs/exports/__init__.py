"""Exports: a whole tenant as JSON lines for offboarding, read back by `steward tenants import`."""
