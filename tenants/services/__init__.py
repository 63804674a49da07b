"""Domain operations on a tenant schema, shared by GraphQL resolvers, jobs and the CLI.

Conventions every service function follows:

- keyword-only arguments, an `actor` for anything that writes;
- all input problems are collected and raised together as one `DomainError`, with
  field names as the GraphQL input names them (camelCase), before anything is written;
- referenced ids must exist in the session's tenant schema, belong to the same client
  and not be archived (`NOT_FOUND` / `VALIDATION` on e.g. `ownerId`);
- updates take `expected_version` and raise `CONFLICT` on `version` when it is stale;
  optional update arguments default to `UNSET` (leave as is); `None` clears a nullable field;
- every write records an `AuditEvent` and flushes; the caller owns the transaction
  and must roll it back when a `DomainError` escapes;
- archiving an already archived object is a `VALIDATION` error on `id` (so a client
  retrying blindly learns the state instead of writing a second audit row).
"""
