"""The cookies of browser login, in one place so their flags cannot drift apart.

- `steward_session`: the session secret. HttpOnly (no script reads it),
  SameSite=Lax (not sent on cross-site POSTs), Secure outside development and
  test, Path=/, Max-Age = the idle timeout, re-sent whenever the session is renewed.
- `steward_csrf`: the session's CSRF token, readable by the front end's script
  on purpose; it must echo it in the `X-Steward-CSRF` header (server/auth/csrf.py).
- `steward_login`: a random browser-binding value for login attempts in flight,
  HttpOnly, scoped to /auth/, gone after the attempt lifetime.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import Literal

from starlette.requests import cookie_parser

SESSION_COOKIE = "steward_session"
CSRF_COOKIE = "steward_csrf"
LOGIN_COOKIE = "steward_login"
CSRF_HEADER = "x-steward-csrf"


def cookie_header(
    name: str,
    value: str,
    *,
    max_age: int,
    secure: bool,
    http_only: bool = True,
    path: str = "/",
    same_site: Literal["lax", "strict"] = "lax",
) -> str:
    """A `Set-Cookie` value; `max_age=0` deletes the cookie."""
    cookie: SimpleCookie = SimpleCookie()
    cookie[name] = value
    morsel = cookie[name]
    morsel["max-age"] = max_age
    morsel["path"] = path
    morsel["samesite"] = same_site.capitalize()
    if http_only:
        morsel["httponly"] = True
    if secure:
        morsel["secure"] = True
    return morsel.OutputString()


def session_cookies(secret: str, csrf_token: str, *, max_age: int, secure: bool) -> list[str]:
    return [
        cookie_header(SESSION_COOKIE, secret, max_age=max_age, secure=secure),
        cookie_header(CSRF_COOKIE, csrf_token, max_age=max_age, secure=secure, http_only=False),
    ]


def cleared_session_cookies(*, secure: bool) -> list[str]:
    return [
        cookie_header(SESSION_COOKIE, "", max_age=0, secure=secure),
        cookie_header(CSRF_COOKIE, "", max_age=0, secure=secure, http_only=False),
    ]


def login_cookie(value: str, *, max_age: int, secure: bool) -> str:
    return cookie_header(LOGIN_COOKIE, value, max_age=max_age, secure=secure, path="/auth/")


def read_cookie(headers: list[tuple[bytes, bytes]], name: str) -> str | None:
    """The value of cookie `name` in raw ASGI headers, or None."""
    for key, value in headers:
        if key == b"cookie":
            found = cookie_parser(value.decode("latin-1")).get(name)
            if found:
                return found
    return None


def read_header(headers: list[tuple[bytes, bytes]], name: str) -> str | None:
    wanted = name.encode("latin-1")
    for key, value in headers:
        if key == wanted:
            return value.decode("latin-1")
    return None
