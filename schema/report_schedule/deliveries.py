"""`webhookDeliveries(first, after)`: every attempt to deliver a webhook event; admins only.

Like identity providers and API tokens, deliveries are tenant administration
(`ADMIN_ONLY` in schema/scoping.py): for anyone else they do not exist.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from jobs.enqueue import HEALTH_CREATED, READINESS_FAILED, READINESS_SUCCEEDED
from schema.node import Node, node_type, register_node
from schema.node_lists import NodeList
from schema.pagination import Ordering
from tenants import models as m


@strawberry.enum(
    name="WebhookEvent",
    description="A webhook event Steward sends. Each value maps to the Standard Webhooks event "
    "type string the payload carries as `type` (named on each value).",
)
class WebhookEvent(Enum):
    READINESS_REPORT_SUCCEEDED = strawberry.enum_value(
        READINESS_SUCCEEDED,
        description="A readiness report SUCCEEDED; payload type `readiness_report.succeeded`.",
    )
    READINESS_REPORT_FAILED = strawberry.enum_value(
        READINESS_FAILED,
        description="A readiness report FAILED; payload type `readiness_report.failed`.",
    )
    HEALTH_REPORT_CREATED = strawberry.enum_value(
        HEALTH_CREATED,
        description="An engagement health report was stored; payload type `health_report.created`.",
    )


NEWEST_FIRST = Ordering(m.WebhookDelivery.attempted_at, descending=True)


@node_type(
    "WebhookDelivery",
    description="One attempt to deliver one webhook event (Standard Webhooks) to the tenant's "
    "endpoint; retries of one event share its messageId.",
)
class WebhookDeliveryNode(Node):
    event: WebhookEvent = strawberry.field(
        description="The event delivered. The payload's `type` (the Standard Webhooks event "
        "type) is readiness_report.succeeded, readiness_report.failed or "
        "health_report.created for READINESS_REPORT_SUCCEEDED, READINESS_REPORT_FAILED and "
        "HEALTH_REPORT_CREATED."
    )
    message_id: str = strawberry.field(description="The `webhook-id` header sent.")
    attempt: int = strawberry.field(
        description="1 for the first try, then 2, 3, ... for retries of the same event."
    )
    url: str = strawberry.field(description="The endpoint it was sent to.")
    status_code: int | None = strawberry.field(description="The HTTP answer; null if none.")
    error: str | None = strawberry.field(
        description=("Why it failed (HTTP status or connection error); null when it succeeded.")
    )
    succeeded: bool = strawberry.field(description="Whether the endpoint answered 2xx.")
    attempted_at: datetime = strawberry.field(description="When it was sent.")

    FROM_MODEL = {
        "event": lambda o: WebhookEvent(o.event),
    }


register_node(WebhookDeliveryNode, m.WebhookDelivery)
DELIVERIES = NodeList(
    m.WebhookDelivery, None, NEWEST_FIRST, "schema.report_schedule.deliveries:WebhookDeliveryNode"
)


@strawberry.type
class WebhookDeliveryQuery:
    webhook_deliveries = DELIVERIES.field(
        "Every webhook delivery attempt, newest first (attemptedAt, then id); "
        "admins only, anyone else gets an empty connection."
    )
