"""The compiled read path: a query operation as one SQL statement per root field.

`documents` parses and validates once per document hash; `planner` turns a
validated operation into SQL that builds the response JSON inside PostgreSQL,
from the same Strawberry types the ordinary executor runs (a field's SQL is
declared beside it with `schema.compiled.sql`); `runner` executes it in the
principal's tenant transaction and splices the JSON text into the response.
Anything the planner cannot compile raises `NotCompilable`, and the whole
operation runs on the ordinary executor instead.
"""
