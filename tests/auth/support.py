"""Helpers for the login suites: provider processes, a browser that follows redirects."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
from cryptography.fernet import Fernet

from tests.support import free_port

REPO = Path(__file__).resolve().parents[2]
# STEWARD_SECRET_KEY of the login suites' server, so fixtures can encrypt as it does.
SECRET_KEY = Fernet.generate_key().decode()
REDIRECTS = (301, 302, 303, 307, 308)


@dataclass
class Provider:
    """A test OpenID provider running as a separate process."""

    name: str
    issuer: str
    process: subprocess.Popen[bytes]

    async def control(self, **body: Any) -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=10) as http:
            response = await http.post(f"{self.issuer}/_control", json=body)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    async def register_client(
        self,
        client_id: str,
        secret: str,
        redirect_uri: str,
        *,
        post_logout_redirect_uri: str | None = None,
        backchannel_logout_uri: str | None = None,
    ) -> None:
        await self.control(
            client={
                "client_id": client_id,
                "client_secret": secret,
                "redirect_uris": [redirect_uri],
                "post_logout_redirect_uris": [post_logout_redirect_uri]
                if post_logout_redirect_uri
                else [],
                "backchannel_logout_uri": backchannel_logout_uri,
            }
        )

    async def backchannel_logout(self, **options: Any) -> dict[str, Any]:
        """Make the provider post a logout token to the client; the client's answer."""
        sent: dict[str, Any] = (await self.control(backchannel_logout=options))[
            "backchannel_logout"
        ]
        return sent

    async def next_user(self, **claims: Any) -> None:
        await self.control(next_user=claims)

    async def knobs(self, **knobs: Any) -> None:
        await self.control(knobs=knobs)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover
            self.process.kill()
            self.process.wait(timeout=5)


async def start_provider(name: str, *, end_session: bool = True) -> Provider:
    """Start `python -m tests.oidc_provider` on a free port and wait for its discovery."""
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    flags = [] if end_session else ["--no-end-session"]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.oidc_provider",
            "--port",
            str(port),
            "--issuer",
            issuer,
            *flags,
        ],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    async with httpx.AsyncClient(timeout=2) as http:
        for _ in range(200):
            if process.poll() is not None:
                raise RuntimeError(f"provider {name} exited with {process.returncode}")
            try:
                response = await http.get(f"{issuer}/.well-known/openid-configuration")
                if response.status_code == 200:
                    return Provider(name, issuer, process)
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    process.terminate()
    raise RuntimeError(f"provider {name} did not start")


@dataclass(frozen=True)
class SsoTenant:
    tenant: Any  # TenantRef
    staff_idp_id: uuid.UUID
    client_idp_id: uuid.UUID | None
    client_org_id: uuid.UUID | None


@dataclass(frozen=True)
class World:
    auth_url: str
    a: SsoTenant
    b: SsoTenant
    providers: dict[str, Provider]


def person(domain: str = "consultancy.test", **claims: Any) -> dict[str, Any]:
    """A unique user at a provider (sub and e-mail never collide between tests)."""
    local = f"u{uuid.uuid4().hex[:10]}"
    return {
        "sub": f"sub-{local}",
        "email": f"{local}@{domain}",
        "email_verified": True,
        "name": f"User {local}",
        **claims,
    }


@dataclass
class Browser:
    """An httpx client with a cookie jar that follows redirects itself, like a browser,
    so a test can stop at any hop (e.g. just before the callback)."""

    http: httpx.AsyncClient
    base: str
    history: list[httpx.Response] = field(default_factory=list)

    def _ours(self, url: str) -> bool:
        return url.startswith(self.base)

    async def go(self, url: str, *, stop_before_callback: bool = False) -> httpx.Response:
        """GET `url` and follow redirects until a non-redirect, a redirect out of the
        login flow (to the `next` page, returned unfollowed), or the callback."""
        url = urljoin(self.base + "/", url)
        while True:
            response = await self.http.get(url, headers={"accept": "application/json"})
            self.history.append(response)
            if response.status_code not in REDIRECTS:
                return response
            location = urljoin(str(response.url), response.headers["location"])
            path = urlsplit(location).path
            # Past the login flow: the `next` page, or the signed-in page when there was none.
            if self._ours(location) and (
                not path.startswith("/auth/") or path.endswith("/signed-in")
            ):
                return response
            if stop_before_callback and "/callback" in urlsplit(location).path:
                return response
            url = location

    async def login(
        self, tenant_slug: str, idp_id: uuid.UUID | None = None, *, next_path: str | None = None
    ) -> httpx.Response:
        params = {}
        if idp_id is not None:
            params["idp"] = str(idp_id)
        if next_path is not None:
            params["next"] = next_path
        url = f"/auth/{tenant_slug}/login"
        if params:
            url += f"?{httpx.QueryParams(params)}"
        return await self.go(url)

    @property
    def csrf(self) -> str | None:
        return self.http.cookies.get("steward_csrf")

    async def graphql(
        self, query: str, *, csrf: str | None = "cookie", content_type: str = "application/json"
    ) -> httpx.Response:
        headers = {"content-type": content_type}
        token = self.csrf if csrf == "cookie" else csrf
        if token is not None:
            headers["x-steward-csrf"] = token
        return await self.http.post(
            f"{self.base}/graphql", content=json.dumps({"query": query}), headers=headers
        )


def callback_params(response: httpx.Response) -> dict[str, str]:
    """The query of a redirect to the callback."""
    query = parse_qs(urlsplit(response.headers["location"]).query)
    return {k: v[0] for k, v in query.items()}


def refusal_reason(response: httpx.Response) -> str:
    body = response.json()
    error = body["errors"][0]
    assert error["extensions"]["code"] == "LOGIN_REFUSED", body
    reason: str = error["extensions"]["reason"]
    return reason


async def sign_in(
    browser: Browser, world: World, user: dict[str, Any] | None = None
) -> dict[str, Any]:
    """`user` (a new person unless given) signs in to tenant A through its staff provider,
    successfully; their claims."""
    user = user or person()
    await world.providers["staff"].next_user(**user)
    assert (await browser.login(world.a.tenant.slug)).status_code == 303
    return user
