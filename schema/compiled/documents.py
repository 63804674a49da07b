"""Parsed and validated documents, cached by the hash of their text.

The same limits the ordinary executor applies (tokens, depth, aliases, field
counts, introspection) run here, before any SQL: the validation rules come
from the schema's own extension factories, so the two paths cannot drift.
A document that fails anything is not cached as valid; the ordinary executor
then answers it with its own errors.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import (
    ASTValidationRule,
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    parse,
    specified_rules,
)
from strawberry.extensions import AddValidationRules, MaxTokensLimiter
from strawberry.schema.schema import validate_document


@dataclass(frozen=True, slots=True)
class Document:
    """A valid document: its operations and fragments by name."""

    digest: str
    operations: dict[str | None, OperationDefinitionNode]
    fragments: dict[str, FragmentDefinitionNode]

    def is_query(self, name: str | None) -> bool:
        operation = self.operation(name)
        return operation is not None and operation.operation.value == "query"

    def operation(self, name: str | None) -> OperationDefinitionNode | None:
        if name is None and len(self.operations) == 1:
            return next(iter(self.operations.values()))
        return self.operations.get(name)


def document_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class DocumentCache:
    """A bounded LRU of validated documents; invalid ones are remembered as None."""

    def __init__(
        self, schema: strawberry.Schema, extensions: Sequence[Callable[[], Any]], size: int = 512
    ) -> None:
        self.schema = schema
        self.graphql_schema = schema._schema
        self.size = size
        self.max_tokens: int | None = None
        rules: list[type[ASTValidationRule]] = list(specified_rules)
        for factory in extensions:
            extension = factory()
            if isinstance(extension, AddValidationRules):
                rules.extend(extension.validation_rules)
            elif isinstance(extension, MaxTokensLimiter):
                self.max_tokens = extension.max_token_count
        self.rules = rules
        self._entries: OrderedDict[str, Document | None] = OrderedDict()

    def get(self, text: str) -> Document | None:
        digest = document_hash(text)
        if digest in self._entries:
            self._entries.move_to_end(digest)
            return self._entries[digest]
        document = self._load(text, digest)
        self._entries[digest] = document
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return document

    def _load(self, text: str, digest: str) -> Document | None:
        try:
            ast: DocumentNode = parse(text, max_tokens=self.max_tokens)
        except GraphQLError:
            return None
        # Strawberry's own entry point: it adds its @oneOf and Maybe rules to ours.
        if validate_document(self.graphql_schema, ast, tuple(self.rules)):
            return None
        operations: dict[str | None, OperationDefinitionNode] = {}
        fragments: dict[str, FragmentDefinitionNode] = {}
        for definition in ast.definitions:
            if isinstance(definition, OperationDefinitionNode):
                operations[definition.name.value if definition.name else None] = definition
            elif isinstance(definition, FragmentDefinitionNode):
                fragments[definition.name.value] = definition
        return Document(digest, operations, fragments)
