"""Token interop with PyJWT (Debian's python3-jwt).

verify JWKS_JSON TOKEN AUDIENCE   -> verifies a node-issued token with the node's JWKS; prints the claims
sign PRIVATE_JWK_JSON ISSUER AUDIENCE -> prints a token signed in Python with a member's key
"""
import json
import sys
import time
import uuid

import jwt
from jwt.algorithms import OKPAlgorithm


def verify(jwks_text: str, token: str, audience: str) -> None:
    jwks = json.loads(jwks_text)
    kid = jwt.get_unverified_header(token)["kid"]
    jwk = next(k for k in jwks["keys"] if k["kid"] == kid)
    key = OKPAlgorithm.from_jwk(json.dumps(jwk))
    claims = jwt.decode(token, key, algorithms=["EdDSA"], audience=audience)
    print(json.dumps(claims))


def sign(private_jwk_text: str, issuer: str, audience: str) -> None:
    jwk = json.loads(private_jwk_text)
    key = OKPAlgorithm.from_jwk(json.dumps(jwk))
    now = int(time.time())
    claims = {
        "iss": issuer,
        "sub": "python-user",
        "aud": audience,
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "jti": str(uuid.uuid4()),
        "tier": "registered",
        "scope": "search read",
    }
    print(jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": jwk["kid"], "typ": "JWT"}))


if __name__ == "__main__":
    if sys.argv[1] == "verify":
        verify(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sign(sys.argv[2], sys.argv[3], sys.argv[4])
