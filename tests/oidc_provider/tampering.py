"""Ways the provider can misbehave, each a knob set through `POST /_control`.

Knobs on the id token (applied when the code is exchanged):

- `alg`: "none" (unsigned) or "HS256-public-key" (HMAC keyed with the PEM of the
  provider's public key, the classic algorithm-confusion attack);
- `iss`, `aud`, `azp`, `nonce`: replace the claim;
- `expired`: true issues a token that expired two minutes ago;
- `iat_offset`: seconds added to `iat` (a token from the future or the past);
- `unknown_kid`: sign with a fresh key the JWKS does not publish;
- `forged_signature`: sign with a fresh key but claim the published kid;
- `drop_claims`: list of claims to remove.

Knobs on the authorization response: `omit_iss` (no RFC 9207 `iss` parameter),
`iss_param` (a different value for it), `error` (answer with that error).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

from joserfc import jws, jwt
from joserfc.jwk import RSAKey

from tests.oidc_provider.state import ProviderState, new_signing_key


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _hs256_with_public_key(header: dict[str, Any], claims: dict[str, Any], key: RSAKey) -> str:
    secret = key.as_bytes(private=False)  # the PEM of the public key
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    mac = hmac.new(secret, signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(mac)}"


def _claims_with_knobs(claims: dict[str, Any], knobs: dict[str, Any]) -> dict[str, Any]:
    out = dict(claims)
    now = int(time.time())
    for name in ("iss", "aud", "azp", "nonce"):
        if name in knobs:
            out[name] = knobs[name]
    if knobs.get("expired"):
        out["iat"], out["exp"] = now - 600, now - 120
    if "iat_offset" in knobs:
        out["iat"] = now + int(knobs["iat_offset"])
    for name in knobs.get("drop_claims", []):
        out.pop(name, None)
    return out


def tamper(raw: str, knobs: dict[str, Any], state: ProviderState) -> str:
    """The id token authlib issued, rewritten as the knobs say (unchanged without knobs)."""
    id_token_knobs = {
        k: v
        for k, v in knobs.items()
        if k not in ("omit_iss", "iss_param", "error", "discovery_issuer")
    }
    if not id_token_knobs:
        return raw
    claims = json.loads(jws.extract_compact(raw.encode()).payload or b"{}")
    claims = _claims_with_knobs(claims, id_token_knobs)
    key = state.signing_key
    alg = id_token_knobs.get("alg")
    if alg == "none":
        header = {"alg": "none", "typ": "JWT"}
        return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}."
    if alg == "HS256-public-key":
        return _hs256_with_public_key({"alg": "HS256", "typ": "JWT", "kid": key.kid}, claims, key)
    kid = key.kid
    if id_token_knobs.get("unknown_kid"):
        key = new_signing_key()
        kid = key.kid
    elif id_token_knobs.get("forged_signature"):
        key = new_signing_key()
    return jwt.encode({"alg": "RS256", "kid": kid}, claims, key, algorithms=["RS256"])
