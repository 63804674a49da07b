"""HTTP routes outside GraphQL."""
