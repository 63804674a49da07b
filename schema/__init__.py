"""The GraphQL schema: domain packages merged into one Query and one Mutation."""

from __future__ import annotations

from functools import partial

import strawberry
from strawberry.extensions import ParserCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from schema.audit.queries import AuditQuery
from schema.branding.mutations import ReportBrandingMutation
from schema.branding.queries import ReportBrandingQuery
from schema.capability.mutations import CapabilityMutation
from schema.capability.queries import CapabilityQuery
from schema.change_plans.mutations import ChangePlanMutation
from schema.client_lists.queries import ClientListsQuery
from schema.clients.mutations import ClientOrganisationMutation
from schema.clients.queries import ClientOrganisationQuery
from schema.exports.mutations import ExportMutation
from schema.exports.queries import ExportQuery
from schema.feedback.mutations import FeedbackMutation
from schema.frameworks.mutations import FrameworkMutation
from schema.identity.mutations import IdentityProviderMutation
from schema.identity.queries import IdentityProviderQuery
from schema.identity.scim import ScimTokenMutation
from schema.limits import SchemaLimits, limit_extensions
from schema.masking import MaskUnexpectedErrors
from schema.members.mutations import MemberMutation
from schema.members.queries import MemberQuery
from schema.node import NodeQuery
from schema.owners.assignment_mutations import AssignmentMutation
from schema.owners.mutations import OwnerMutation
from schema.page_window import add_backward_pagination
from schema.processes.kpi_mutations import KpiMutation
from schema.processes.mutations import AIProcessMutation
from schema.report_schedule.mutations import ReportScheduleMutation
from schema.report_schedule.queries import ReportScheduleQuery
from schema.reports.mutations import ReportMutation
from schema.reports.queries import ReportQuery
from schema.restore.mutations import RestoreMutation
from schema.sign_in.queries import SignInAttemptQuery
from schema.tokens.mutations import ApiTokenMutation
from schema.tokens.queries import ApiTokenQuery
from schema.transaction import TenantTransaction
from schema.vendors.mutations import VendorAgreementMutation
from schema.viewer.queries import ViewerQuery

# Each domain package contributes one Query and one Mutation class.
QUERIES: tuple[type, ...] = (
    ViewerQuery,
    NodeQuery,
    ClientOrganisationQuery,
    ClientListsQuery,
    AuditQuery,
    CapabilityQuery,
    ReportQuery,
    MemberQuery,
    IdentityProviderQuery,
    SignInAttemptQuery,
    ApiTokenQuery,
    ReportScheduleQuery,
    ReportBrandingQuery,
    ExportQuery,
)
MUTATIONS: tuple[type, ...] = (
    ClientOrganisationMutation,
    ChangePlanMutation,
    VendorAgreementMutation,
    FeedbackMutation,
    AIProcessMutation,
    KpiMutation,
    OwnerMutation,
    AssignmentMutation,
    CapabilityMutation,
    ReportMutation,
    MemberMutation,
    IdentityProviderMutation,
    ScimTokenMutation,
    ApiTokenMutation,
    ReportScheduleMutation,
    ReportBrandingMutation,
    FrameworkMutation,
    RestoreMutation,
    ExportMutation,
)


class StewardSchema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None):  # type: ignore[no-untyped-def]
        # MaskUnexpectedErrors logs unexpected errors with their id; request
        # errors (syntax, limits) need no stack trace in the log.
        return None


def _described(merged: type, description: str) -> type:
    """`merge_types` takes no description; the root types get theirs here."""
    merged.__strawberry_definition__.description = description  # type: ignore[attr-defined]
    return merged


def build_schema(limits: SchemaLimits | None = None) -> strawberry.Schema:
    """The schema with its limits; `schema/schema.graphql` is generated from it."""
    schema = _build(limits or SchemaLimits())
    # Every connection pages backward too (`last`/`before`): found in the built schema.
    if add_backward_pagination(schema._schema):
        schema = _build(limits or SchemaLimits())
    return schema


def _build(limits: SchemaLimits) -> strawberry.Schema:
    query = _described(
        merge_types("Query", QUERIES),
        "Reads. Every list is a connection of at most 100 per page; what a principal sees is"
        " confined to its tenant, and for a client principal to its client organisation.",
    )
    mutation = _described(
        merge_types("Mutation", MUTATIONS),
        "Writes. Each takes one `input` and returns a payload whose `errors` say what failed;"
        " a mutation with errors has written nothing.",
    )
    return StewardSchema(
        query=query,
        mutation=mutation,
        extensions=[
            *limit_extensions(limits),
            # Documents the compiled read path does not answer (mutations, fallbacks)
            # are parsed once per text; validation is not cached here because the
            # depth limiter makes a new rule class per request (schema/compiled caches
            # both for the reads it answers).
            partial(ParserCache, maxsize=512),
            TenantTransaction,
            MaskUnexpectedErrors,
        ],
        config=StrawberryConfig(
            auto_camel_case=True, disable_field_suggestions=not limits.suggestions
        ),
    )
