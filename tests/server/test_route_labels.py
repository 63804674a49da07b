"""HTTP metrics label each route family by name, and nothing a caller chooses."""

from __future__ import annotations

import pytest

from server.observability.metrics import route_label


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/graphql", "graphql"),
        ("/auth/session", "auth_session"),
        ("/auth/acme", "auth_signin_page"),
        ("/auth/acme/", "auth_signin_page"),
        ("/auth/acme/login", "auth_login"),
        ("/auth/acme/callback", "auth_callback"),
        ("/auth/acme/signed-in", "auth_signed_in"),
        ("/auth/acme/signed-out", "auth_signed_out"),
        ("/auth/acme/backchannel-logout/1b4e28ba", "auth_backchannel_logout"),
        ("/auth/acme/backchannel-logout", "other"),
        ("/auth/acme/anything/else", "other"),
        ("/reports/readiness/1b4e28ba.pdf", "reports"),
        ("/exports/clients/1b4e28ba/processes.csv", "exports"),
        ("/scim/v2/acme/1b4e28ba/Users", "scim"),
        ("/wp-admin", "other"),
    ],
)
def test_route_label(path: str, label: str) -> None:
    assert route_label(path) == label
