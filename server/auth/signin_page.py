"""`GET /auth/{tenant}`: the sign-in page, and home-realm discovery by work e-mail.

Client staff used to need an `?idp=<uuid>` link that only the CLI printed. The
page lists the tenant's providers by name, each a link to its login, and a
"work e-mail" form: the e-mail's domain picks the provider whose
`allowed_domains` hold it (the same list the login itself enforces), so the
browser goes straight there. The e-mail is used for that lookup only: it is not
stored, logged or echoed into the redirect.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from urllib.parse import urlencode

from server.auth.refusal_log import email_domain
from tenants.models import IdentityProvider

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to {tenant}</title></head>
<body><h1>Sign in to {tenant}</h1>{notice}
<form method="get" action="/auth/{slug}"><label>Your work e-mail
<input type="email" name="email" autocomplete="email" required></label>{hidden}
<button type="submit">Continue</button></form>
<h2>Or choose your organisation</h2><ul>{providers}</ul></body></html>
"""


def login_link(slug: str, idp: IdentityProvider, next_value: str | None) -> str:
    """The login URL of one provider, carrying `next` (checked by the login itself)."""
    params = {"idp": str(idp.id)} | ({"next": next_value} if next_value else {})
    return f"/auth/{slug}/login?{urlencode(params)}"


def providers_for_email(
    providers: Sequence[IdentityProvider], email: str
) -> list[IdentityProvider]:
    """The providers whose allowed domains hold this e-mail's domain."""
    domain = email_domain(email.strip())
    if domain is None:
        return []
    return [p for p in providers if domain in {d.lower() for d in p.allowed_domains}]


def render_signin_page(
    *,
    slug: str,
    tenant_name: str,
    providers: Sequence[IdentityProvider],
    next_value: str | None,
    notice: str | None = None,
) -> str:
    """The page's HTML; every value from the request or the database is escaped."""
    items = "".join(
        f'<li><a href="{escape(login_link(slug, p, next_value))}">{escape(p.name)}</a></li>'
        for p in providers
    )
    hidden = f'<input type="hidden" name="next" value="{escape(next_value)}">' if next_value else ""
    return _PAGE.format(
        tenant=escape(tenant_name),
        slug=escape(slug),
        notice=f"<p>{escape(notice)}</p>" if notice else "",
        hidden=hidden,
        providers=items or "<li>No sign-in is configured yet.</li>",
    )
