"""What each client-wide list reads: its table, how a row reaches its client, its order."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import GraphQLError
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, aliased

from schema.compiled.sql import Args, Page, Row
from schema.context import Info
from schema.feedback.resolvers import INCIDENT_ORDERING, REVIEW_ORDERING, incident_conditions
from schema.ids import parse_global_id
from schema.node_lists import Conditions, ListArgument, connection_field, unfiltered
from schema.pagination import Connection, Ordering, child_connection, paginate
from schema.processes.types import KPI_ORDERING
from tenants import models as m

# The root lists' first argument.
CLIENT_ORGANISATION = ListArgument(
    strawberry.ID | None,
    "Only this client organisation's (a ClientOrganisation id); null: every "
    "client you can see (a client principal sees only its own organisation's).",
)


def client_argument(value: str | None) -> uuid.UUID | None:
    """The uuid of `clientOrganisationId`; a GraphQL error naming it for any other id."""
    if value is None:
        return None
    parsed = parse_global_id(value)
    if parsed is None or parsed[0] != "ClientOrganisation":
        raise GraphQLError("`clientOrganisationId` must be the id of a ClientOrganisation")
    return parsed[1]


@dataclass(frozen=True)
class ClientList:
    """Rows of `model` whose `link` points at a `via` row (a process, a plan) of the client."""

    model: type[Any]
    via: type[Any]
    link: InstrumentedAttribute[Any]
    ordering: Ordering
    # Its `filter` argument's conditions (none for a list without one).
    filter: Conditions = unfiltered

    def _where(self, args: Args) -> Sequence[Any]:
        return self.filter(args.get("filter"))[0]

    def of_client(self, client: Any) -> Any:
        """SQL: the row belongs to `client` (a uuid, or the parent row's id column)."""
        via = aliased(self.via)
        return self.link.in_(select(via.id).where(via.client_id == client).correlate_except(via))

    def client_page(self) -> Page:
        """`ClientOrganisation.<list>` in SQL (schema/compiled)."""

        def of_parent(row: Row, parent: Row) -> list[Any]:
            via = aliased(self.via)
            link = getattr(row.entity, self.link.key)
            mine = select(via.id).where(via.client_id == parent.col("id")).correlate_except(via)
            return [link.in_(mine)]

        return Page(
            self.model,
            None,
            conditions=self._where,
            ordering=lambda _: self.ordering,
            parent_conditions=of_parent,
        )

    def root_page(self) -> Page:
        """The root `<list>(clientOrganisationId:)` in SQL (schema/compiled)."""
        return Page(
            self.model,
            None,
            conditions=lambda a: [
                *self.root_conditions(a.get("client_organisation_id")),
                *self._where(a),
            ],
            ordering=lambda _: self.ordering,
        )

    def root_conditions(self, client_organisation_id: str | None) -> list[Any]:
        client = client_argument(client_organisation_id)
        return [] if client is None else [self.of_client(client)]

    async def for_client(
        self,
        info: Info,
        client_id: uuid.UUID,
        first: int | None,
        after: str | None,
        to_node: Callable[[Any], Any],
        where: Sequence[Any] = (),
        where_key: Hashable = None,
    ) -> Connection[Any]:
        via = aliased(self.via)  # aliased: visibility subqueries read the plain table
        return await child_connection(
            info,
            self.model,
            via.client_id,
            client_id,
            where=where,
            where_key=where_key,
            ordering=self.ordering,
            first=first,
            after=after,
            to_node=to_node,
            through=(via, via.id == self.link),
        )

    async def across_tenant(
        self,
        info: Info,
        client_organisation_id: str | None,
        first: int | None,
        after: str | None,
        to_node: Callable[[Any], Any],
        where: Sequence[Any] = (),
    ) -> Connection[Any]:
        return await paginate(
            info,
            self.model,
            where=[*self.root_conditions(client_organisation_id), *where],
            ordering=self.ordering,
            first=first,
            after=after,
            to_node=to_node,
        )

    def client_field(
        self, description: str, node: type[Any], argument: ListArgument | None = None
    ) -> Any:
        """`ClientOrganisation.<list>`: `first`, `after`, then the `filter` if given."""

        async def resolve(
            root: Any, info: Info, first: int | None = 20, after: str | None = None, **given: Any
        ) -> Connection[Any]:
            where, key = self.filter(given.get("filter"))
            return await self.for_client(
                info, root.db_id, first, after, node.from_model, where, key
            )

        extra = [] if argument is None else [argument.parameter("filter")]
        return connection_field(description, self.client_page(), node, resolve, extra=extra)

    def root_field(
        self, description: str, node: type[Any], argument: ListArgument | None = None
    ) -> Any:
        """The root `<list>`: `clientOrganisationId`, `first`, `after`, then the `filter`."""

        async def resolve(
            root: Any,
            info: Info,
            client_organisation_id: str | None = None,
            first: int | None = 20,
            after: str | None = None,
            **given: Any,
        ) -> Connection[Any]:
            where, _ = self.filter(given.get("filter"))
            return await self.across_tenant(
                info, client_organisation_id, first, after, node.from_model, where
            )

        leading = [CLIENT_ORGANISATION.parameter("client_organisation_id")]
        extra = [] if argument is None else [argument.parameter("filter")]
        return connection_field(
            description, self.root_page(), node, resolve, leading=leading, extra=extra
        )


# The per-process lists' own orders (the per-plan order, position, means nothing across
# plans: milestones come oldest first).
INCIDENTS = ClientList(
    m.Incident, m.AIProcess, m.Incident.process_id, INCIDENT_ORDERING, incident_conditions
)
KPIS = ClientList(m.ProcessKpi, m.AIProcess, m.ProcessKpi.process_id, KPI_ORDERING)
REVIEWS = ClientList(m.ProcessReview, m.AIProcess, m.ProcessReview.process_id, REVIEW_ORDERING)
MILESTONES = ClientList(
    m.Milestone, m.ChangePlan, m.Milestone.plan_id, Ordering(m.Milestone.created_at)
)
