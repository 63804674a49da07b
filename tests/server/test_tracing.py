"""Traces through the SDK's in-memory exporter: HTTP, GraphQL and SQL spans, into a job."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.redis import RedisInstrumentor
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs import tracing as job_tracing
from schema.ids import global_id
from server.observability.tracing import configure_tracing
from server.settings import Settings
from tests.conftest import TenantFactory, TokenFactory
from tests.jobs.seed import seed_client
from tests.jobs.workers import make_worker, new_queue, run_burst
from tests.support import data, gql, serving


@pytest.fixture(scope="module")
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    configure_tracing(
        Settings(STEWARD_ENV="test"),  # type: ignore[call-arg]
        "steward-test",
        span_processor=SimpleSpanProcessor(exporter),
    )
    yield exporter
    # The rest of the run does not trace: nothing records, nothing is kept.
    job_tracing.enable(False)
    RedisInstrumentor().uninstrument()
    HTTPXClientInstrumentor().uninstrument()
    exporter.shutdown()


@pytest.fixture
async def traced(
    spans: InMemorySpanExporter, settings: Settings
) -> AsyncIterator[tuple[str, Settings]]:
    """The app, created once tracing is on, on a queue of its own."""
    own = settings.model_copy(
        update={"read_path": "compiled", "read_path_diff_log": None, "queue_name": new_queue()}
    )
    async with serving(own) as url:
        spans.clear()
        yield url, own


@contextmanager
def calling() -> Iterator[None]:
    """A traced caller: this suite's httpx client is instrumented too, and its request
    span, alone in no trace, is not recorded (so the server would follow it, unsampled)."""
    with trace.get_tracer("test").start_as_current_span("caller"):
        yield


def _of_trace(spans: InMemorySpanExporter, trace_id: int) -> list[ReadableSpan]:
    return [s for s in spans.get_finished_spans() if s.context and s.context.trace_id == trace_id]


async def test_a_request_has_http_graphql_and_sql_spans_with_tenant_and_request_id(
    traced: tuple[str, Settings],
    spans: InMemorySpanExporter,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    url, _settings = traced
    tenant = await make_tenant()
    token = await make_token(tenant, "admin")
    request_id = f"trace-{uuid.uuid4().hex[:12]}"
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        spans.clear()
        with calling():
            response = await client.post(
                "/graphql?code=secret-code",
                json={"query": "query Traced { clientOrganisations { totalCount } }"},
                headers={"authorization": f"Bearer {token}", "x-request-id": request_id},
            )
    assert response.status_code == 200, response.text
    servers = [s for s in spans.get_finished_spans() if s.kind is SpanKind.SERVER]
    assert len(servers) == 1
    server = servers[0]
    assert server.context is not None
    assert server.name == "POST graphql"
    attributes = dict(server.attributes or {})
    assert attributes.get("steward.tenant") == tenant.slug, attributes
    assert attributes["steward.request_id"] == request_id
    # No query string (sign-in callbacks carry codes there), no client address.
    assert "secret-code" not in repr(attributes)
    assert not {"net.peer.ip", "client.address"} & set(attributes)

    in_trace = _of_trace(spans, server.context.trace_id)
    graphql = [s for s in in_trace if s.name == "graphql query Traced"]
    assert len(graphql) == 1
    assert (graphql[0].attributes or {})["steward.read_path"] == "compiled"
    assert (graphql[0].attributes or {})["graphql.operation.name"] == "Traced"
    sql = [s for s in in_trace if s.name.startswith("SELECT compiled")]
    assert sql and all(s.parent and s.parent.span_id == graphql[0].context.span_id for s in sql)  # type: ignore[union-attr]
    for span in [*graphql, *sql]:
        assert (span.attributes or {})["steward.tenant"] == tenant.slug
        assert (span.attributes or {})["steward.request_id"] == request_id
    assert token not in repr([s.to_json() for s in in_trace])


async def test_a_report_job_span_belongs_to_the_request_that_queued_it(
    traced: tuple[str, Settings],
    spans: InMemorySpanExporter,
    engine: AsyncEngine,
    make_tenant: TenantFactory,
    make_token: TokenFactory,
) -> None:
    url, settings = traced
    tenant = await make_tenant()
    token = await make_token(tenant, "consultant")
    seeded = await seed_client(engine, tenant, processes=2)
    mutation = """mutation Request($input: RequestReadinessReportInput!) {
      requestReadinessReport(input: $input) { readinessReport { id } errors { code } }
    }"""
    variables = {
        "input": {"clientOrganisationId": global_id("ClientOrganisation", seeded.client_id)}
    }
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        spans.clear()
        with calling():
            body = data(await gql(client, mutation, variables, token=token))
    assert body["requestReadinessReport"]["errors"] == []
    (server,) = [s for s in spans.get_finished_spans() if s.kind is SpanKind.SERVER]
    assert server.context is not None
    request_trace = server.context.trace_id
    # The ordinary path's SQL (SQLAlchemy's instrumentation) and the enqueue (Redis).
    in_request = _of_trace(spans, request_trace)
    assert any((s.attributes or {}).get("db.system") == "postgresql" for s in in_request)
    assert any(s.name.startswith("enqueue build_readiness_report") for s in in_request)
    assert any((s.attributes or {}).get("db.system") == "redis" for s in in_request)
    # Statement text with placeholders only: no value of the request in any attribute.
    shown = repr([dict(s.attributes or {}) for s in in_request])
    assert variables["input"]["clientOrganisationId"] not in shown
    assert str(seeded.client_id) not in shown and token not in shown

    await run_burst(make_worker(settings, settings.queue_name))
    jobs = [s for s in spans.get_finished_spans() if s.name == "job build_readiness_report"]
    assert len(jobs) == 1
    job = jobs[0]
    assert job.kind is SpanKind.CONSUMER and job.context is not None
    assert job.context.trace_id == request_trace
    assert (job.attributes or {})["steward.tenant"] == tenant.slug
    assert (job.attributes or {})["steward.job.outcome"] == "succeeded"
    # The job's own SQL is in the same trace, under the job span.
    job_sql = [
        s
        for s in _of_trace(spans, request_trace)
        if s.parent is not None and s.parent.span_id == job.context.span_id
    ]
    assert job_sql


def test_client_spans_outside_any_request_or_job_are_not_recorded(
    spans: InMemorySpanExporter,
) -> None:
    tracer = trace.get_tracer("test")
    with tracer.start_as_current_span("orphan", kind=SpanKind.CLIENT) as orphan:
        assert not orphan.is_recording()  # a worker's queue poll, a metrics sample
    with tracer.start_as_current_span("job", kind=SpanKind.CONSUMER) as job:
        assert job.is_recording()
        with tracer.start_as_current_span("SELECT", kind=SpanKind.CLIENT) as child:
            assert child.is_recording()
