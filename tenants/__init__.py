"""Everything that lives in and manages tenant schemas.

Nothing here imports `server`, `schema` or `jobs`.
"""
