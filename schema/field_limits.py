"""Validation rules against cheap-to-send, expensive-to-run documents.

Depth and alias limits do not stop a flat document that repeats one field five
hundred times, or a fragment spread many times over: these rules count fields
with fragments expanded, before any resolver runs.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
)

MAX_REPEATS = 3


def _selection_count(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str] = frozenset(),
) -> int:
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            total += 1 + _selection_count(selection.selection_set, fragments, seen)
        elif isinstance(selection, InlineFragmentNode):
            total += _selection_count(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:  # cycles are refused elsewhere
                total += _selection_count(fragment.selection_set, fragments, seen | {name})
    return total


def field_limit_rules(max_fields: int) -> list[type[ASTValidationRule]]:
    class RepeatedFieldRule(ASTValidationRule):
        """The same field (same response key) at most MAX_REPEATS times in one selection."""

        def enter_selection_set(self, node: SelectionSetNode, *_: Any) -> None:
            keys = Counter(
                (s.alias or s.name).value for s in node.selections if isinstance(s, FieldNode)
            )
            for key, count in keys.items():
                if count > MAX_REPEATS:
                    self.report_error(
                        GraphQLError(
                            f"field '{key}' is selected {count} times in one selection; "
                            f"at most {MAX_REPEATS} allowed",
                            node,
                        )
                    )
                    return

    class MaxFieldsRule(ASTValidationRule):
        """At most `max_fields` field selections per operation, fragments expanded."""

        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            document = context.document
            fragments = {
                d.name.value: d
                for d in document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }
            for definition in document.definitions:
                if isinstance(definition, OperationDefinitionNode):
                    count = _selection_count(definition.selection_set, fragments)
                    if count > max_fields:
                        self.report_error(
                            GraphQLError(
                                f"the operation selects {count} fields; "
                                f"at most {max_fields} allowed",
                                definition,
                            )
                        )

    return [RepeatedFieldRule, MaxFieldsRule]
