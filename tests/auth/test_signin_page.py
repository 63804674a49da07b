"""`/auth/{tenant}`: the providers by name, and the work e-mail that finds the right one."""

from __future__ import annotations

import httpx

from tests.auth.support import Browser, World, person


async def _page(world: World, query: str = "") -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.get(f"{world.auth_url}/auth/{world.a.tenant.slug}{query}")


async def test_the_page_lists_every_provider_of_the_tenant_with_its_login_link(
    world: World,
) -> None:
    page = await _page(world)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    for idp_id in (world.a.staff_idp_id, world.a.client_idp_id):
        assert f"/auth/{world.a.tenant.slug}/login?idp={idp_id}" in page.text
    assert 'name="email"' in page.text


async def test_a_work_e_mail_goes_to_the_provider_whose_domains_hold_it(world: World) -> None:
    client = await _page(world, "?email=Someone@GLOBEX.test&next=/app")
    assert client.status_code == 303
    location = client.headers["location"]
    assert location == f"/auth/{world.a.tenant.slug}/login?idp={world.a.client_idp_id}&next=%2Fapp"
    assert "someone" not in location.lower()  # the e-mail itself goes nowhere
    staff = await _page(world, "?email=a@consultancy.test")
    assert staff.headers["location"].endswith(f"idp={world.a.staff_idp_id}")


async def test_an_unknown_domain_gets_the_list_and_a_notice_not_an_error(world: World) -> None:
    page = await _page(world, "?email=x@nowhere.test")
    assert page.status_code == 200
    assert "No organisation here signs in with that e-mail domain" in page.text
    assert str(world.a.staff_idp_id) in page.text


async def test_the_discovered_provider_signs_the_browser_in(browser: Browser, world: World) -> None:
    await world.providers["client"].next_user(**person(domain="globex.test", groups=["ai-owners"]))
    response = await browser.go(f"/auth/{world.a.tenant.slug}?email=owner@globex.test")
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/auth/{world.a.tenant.slug}/signed-in"


async def test_an_unknown_tenant_is_refused_and_a_neighbours_providers_never_show(
    world: World,
) -> None:
    async with httpx.AsyncClient() as http:
        missing = await http.get(f"{world.auth_url}/auth/no_such_tenant")
        other = await http.get(f"{world.auth_url}/auth/{world.b.tenant.slug}")
    assert missing.status_code == 404
    assert str(world.a.staff_idp_id) not in other.text
    assert str(world.b.staff_idp_id) in other.text


async def test_next_and_names_are_escaped_in_the_page(world: World) -> None:
    page = await _page(world, '?next=/x"><script>')
    assert "<script>" not in page.text
