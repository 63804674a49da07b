"""What each client-wide list reads: its table, how a row reaches its client, its order."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, aliased

from schema.compiled.sql import Args, Page, Row
from schema.context import Info
from schema.feedback.resolvers import INCIDENT_ORDERING, REVIEW_ORDERING, incident_conditions
from schema.ids import parse_global_id
from schema.pagination import Connection, Ordering, child_connection, paginate
from schema.processes.types import KPI_ORDERING
from tenants import models as m

Conditions = Callable[[Args], Sequence[Any]]


def no_conditions(_: Args) -> Sequence[Any]:
    return ()


def incident_where(args: Args) -> Sequence[Any]:
    """The incident filter's conditions, as the compiled path reads the arguments."""
    return incident_conditions(args.get("filter"))[0]


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

    def of_client(self, client: Any) -> Any:
        """SQL: the row belongs to `client` (a uuid, or the parent row's id column)."""
        via = aliased(self.via)
        return self.link.in_(select(via.id).where(via.client_id == client).correlate_except(via))

    def client_page(self, conditions: Conditions = no_conditions) -> Page:
        """`ClientOrganisation.<list>` in SQL (schema/compiled)."""

        def of_parent(row: Row, parent: Row) -> list[Any]:
            via = aliased(self.via)
            link = getattr(row.entity, self.link.key)
            mine = select(via.id).where(via.client_id == parent.col("id")).correlate_except(via)
            return [link.in_(mine)]

        return Page(
            self.model,
            None,
            conditions=conditions,
            ordering=lambda _: self.ordering,
            parent_conditions=of_parent,
        )

    def root_page(self, conditions: Conditions = no_conditions) -> Page:
        """The root `<list>(clientOrganisationId:)` in SQL (schema/compiled)."""
        return Page(
            self.model,
            None,
            conditions=lambda a: [
                *self.root_conditions(a.get("client_organisation_id")),
                *conditions(a),
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


# The per-process lists' own orders (the per-plan order, position, means nothing across
# plans: milestones come oldest first).
INCIDENTS = ClientList(m.Incident, m.AIProcess, m.Incident.process_id, INCIDENT_ORDERING)
KPIS = ClientList(m.ProcessKpi, m.AIProcess, m.ProcessKpi.process_id, KPI_ORDERING)
REVIEWS = ClientList(m.ProcessReview, m.AIProcess, m.ProcessReview.process_id, REVIEW_ORDERING)
MILESTONES = ClientList(
    m.Milestone, m.ChangePlan, m.Milestone.plan_id, Ordering(m.Milestone.created_at)
)
