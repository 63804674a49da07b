"""Limits every operation passes before any resolver or SQL runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from graphql import ASTValidationRule
from graphql.validation import MaxIntrospectionDepthRule, NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from schema.field_limits import field_limit_rules

MAX_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class SchemaLimits:
    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 3000
    max_fields: int = 500
    introspection: bool = True
    # "Did you mean ...?" hints map the schema for an attacker; development only.
    suggestions: bool = True


ExtensionFactory = Callable[[], SchemaExtension]


def limit_extensions(limits: SchemaLimits) -> list[ExtensionFactory]:
    """Factories, so each request gets fresh extension instances (Strawberry #4369)."""
    # graphql-core's recommended rule: the depth limiter skips `__schema`, so a
    # circular introspection query (fields > type > fields ...) needs its own cap.
    rules: list[type[ASTValidationRule]] = [
        MaxIntrospectionDepthRule,
        *field_limit_rules(limits.max_fields),
    ]
    if not limits.introspection:
        rules.append(NoSchemaIntrospectionCustomRule)
    extensions: list[ExtensionFactory] = [
        partial(MaxTokensLimiter, max_token_count=limits.max_tokens),
        partial(QueryDepthLimiter, max_depth=limits.max_depth),
        partial(MaxAliasesLimiter, max_alias_count=limits.max_aliases),
    ]
    extensions.append(partial(AddValidationRules, rules))
    return extensions
