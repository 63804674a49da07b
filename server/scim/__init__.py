"""SCIM 2.0 provisioning (RFC 7643 resources, RFC 7644 protocol), one service per identity provider.

`/scim/v2/{tenant}/{idp}/` is the base URL an identity provider's SCIM client is given,
with a bearer token issued for that provider (`steward idp scim-token`). The provider can
read and write only the members of its own scope: its client organisation's, or the
staff for the tenant's staff provider. Users only: Steward's roles are one per member
and come from the provider's default role or claim mapping at login, so SCIM Groups
would be a second, conflicting way to set them and are not offered.
"""
