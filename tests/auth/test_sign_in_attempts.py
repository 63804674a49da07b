"""Sign-in attempts: every login that reached a tenant is recorded for its admins, then pruned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from jobs.sweeper import prune_tenant_sign_ins
from tenants.models import SignInAttempt, SignInOutcome
from tenants.principals import Role
from tenants.session import tenant_session
from tests.auth.graphql_support import bearer_gql, member_by_email, token
from tests.auth.support import Browser, World, person, sign_in
from tests.support import data

ATTEMPTS = """query($outcome: SignInOutcome, $idp: ID, $since: DateTime) {
  signInAttempts(first: 100, outcome: $outcome, identityProviderId: $idp, since: $since) {
    totalCount
    edges { node { id occurredAt outcome reason email emailDomain identityProviderName
      identityProvider { id name } member { id email } } }
  }
}"""


def _gid(type_name: str, raw: object) -> str:
    from schema.ids import global_id

    return global_id(type_name, str(raw))


async def _attempts(world: World, secret: str, **variables: object) -> dict[str, object]:
    body = await bearer_gql(world.auth_url, secret, ATTEMPTS, variables)
    result: dict[str, object] = data(body)["signInAttempts"]
    return result


async def test_a_success_names_the_member_and_a_refusal_only_the_e_mail_domain(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    since = datetime.now(UTC).isoformat()
    ok, refused = person(), person("elsewhere.test")
    await sign_in(browser, world, ok)
    await world.providers["staff"].next_user(**refused)
    assert (await browser.login(world.a.tenant.slug)).status_code == 403  # domain_not_allowed
    member = await member_by_email(engine, world.a.tenant, ok["email"])
    admin = await token(engine, world.a.tenant, Role.ADMIN)
    found = await _attempts(
        world, admin, since=since, idp=_gid("IdentityProvider", world.a.staff_idp_id)
    )
    nodes = [e["node"] for e in found["edges"]]  # type: ignore[index, union-attr]
    assert [n["outcome"] for n in nodes] == ["REFUSED", "SUCCEEDED"]  # newest first
    refusal, success = nodes
    assert refusal["reason"] == "DOMAIN_NOT_ALLOWED"
    assert refusal["email"] is None and refusal["member"] is None
    assert refusal["emailDomain"] == "elsewhere.test"
    assert success["reason"] is None and success["email"] == ok["email"]
    assert success["member"] == {"id": _gid("Member", member.id), "email": ok["email"]}
    assert success["identityProvider"]["id"] == _gid("IdentityProvider", world.a.staff_idp_id)
    assert success["identityProviderName"] == success["identityProvider"]["name"]
    only_refused = await _attempts(world, admin, since=since, outcome="REFUSED")
    assert [e["node"]["id"] for e in only_refused["edges"]] == [refusal["id"]]  # type: ignore[index, union-attr]


async def test_a_refusal_before_the_provider_answers_is_recorded_without_anyone(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    since = datetime.now(UTC).isoformat()
    response = await browser.go(f"/auth/{world.a.tenant.slug}/login?next=https://evil.test/")
    assert response.status_code == 400
    admin = await token(engine, world.a.tenant, Role.ADMIN)
    found = await _attempts(world, admin, since=since, outcome="REFUSED")
    nodes = [e["node"] for e in found["edges"]]  # type: ignore[index, union-attr]
    assert [n["reason"] for n in nodes] == ["INVALID_NEXT"]
    assert nodes[0]["emailDomain"] is None and nodes[0]["member"] is None


async def test_a_failed_member_check_names_the_known_member(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    user = await sign_in(browser, world)
    since = datetime.now(UTC).isoformat()
    await world.providers["staff"].next_user(**user)
    await world.providers["staff"].knobs(aud="someone-else")
    assert (await browser.login(world.a.tenant.slug)).status_code == 400
    admin = await token(engine, world.a.tenant, Role.ADMIN)
    nodes = [e["node"] for e in (await _attempts(world, admin, since=since))["edges"]]  # type: ignore[index, union-attr]
    # The id token failed before anyone was known: no member, no domain.
    assert [(n["reason"], n["member"], n["emailDomain"]) for n in nodes] == [
        ("ID_TOKEN_AUDIENCE", None, None)
    ]


async def test_only_admins_see_sign_in_attempts(
    browser: Browser, world: World, engine: AsyncEngine
) -> None:
    await sign_in(browser, world)
    assert (await _attempts(world, await token(engine, world.a.tenant, Role.ADMIN)))["totalCount"]
    for role in (Role.CONSULTANT, Role.VIEWER):
        secret = await token(engine, world.a.tenant, role)
        assert await _attempts(world, secret) == {"totalCount": 0, "edges": []}
    other = await token(engine, world.b.tenant, Role.ADMIN)
    mine = await _attempts(world, other, idp=_gid("IdentityProvider", world.a.staff_idp_id))
    assert mine == {"totalCount": 0, "edges": []}


async def test_the_sweeper_prunes_attempts_older_than_the_retention(
    world: World, engine: AsyncEngine
) -> None:
    now = datetime.now(UTC)
    tenant = world.b.tenant
    async with tenant_session(engine, tenant) as session:
        old = SignInAttempt(
            outcome=SignInOutcome.REFUSED,
            reason="state_unknown",
            occurred_at=now - timedelta(days=91),
        )
        edge = SignInAttempt(outcome=SignInOutcome.SUCCEEDED, occurred_at=now - timedelta(days=89))
        session.add_all([old, edge])
        await session.flush()
        old_id, edge_id = old.id, edge.id
    assert await prune_tenant_sign_ins(engine, tenant, now, 90) >= 1
    async with tenant_session(engine, tenant) as session:
        left = set(
            await session.scalars(
                select(SignInAttempt.id).where(SignInAttempt.id.in_([old_id, edge_id]))
            )
        )
    assert left == {edge_id}
    assert await prune_tenant_sign_ins(engine, tenant, now, 90) == 0
