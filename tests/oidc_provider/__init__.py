"""A small OpenID provider for the login tests, built on authlib's server side.

Run as its own process (`python -m tests.oidc_provider --port N --issuer URL`),
so the relying party talks to it over real HTTP exactly as to Okta or Entra ID.
It approves every authorization for the user set through `POST /_control` and
can be told to misbehave (see tests/oidc_provider/tampering.py).
"""
