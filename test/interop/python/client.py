"""A Python client of an ipfed node, generated with Debian's protoc + grpc plugin.

Usage: client.py GEN_DIR ADDRESS [QUERY [ROOT_CERT_PEM]]
With ROOT_CERT_PEM the channel is TLS, trusting that certificate (a node's tls/cert.pem).
Prints one JSON object with what it learned; exits non-zero on any failure.
"""
import json
import sys

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
from grpc_health.v1 import health_pb2, health_pb2_grpc  # noqa: E402
from ipfed.v1 import federation_pb2, federation_pb2_grpc, search_pb2, search_pb2_grpc  # noqa: E402
from ipfed.v1 import error_pb2, record_pb2, tier_pb2  # noqa: E402


def main() -> None:
    address = sys.argv[2]
    out = {}
    if len(sys.argv) > 4:
        with open(sys.argv[4], "rb") as f:
            channel = grpc.secure_channel(address, grpc.ssl_channel_credentials(root_certificates=f.read()))
    else:
        channel = grpc.insecure_channel(address)
    with channel:
        health = health_pb2_grpc.HealthStub(channel)
        res = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=10)
        out["health"] = health_pb2.HealthCheckResponse.ServingStatus.Name(res.status)

        federation = federation_pb2_grpc.FederationServiceStub(channel)
        keys = federation.GetKeys(federation_pb2.GetKeysRequest(), timeout=10)
        out["keys"] = [{"kid": k.kid, "alg": k.alg, "crv": k.crv, "x": k.x} for k in keys.keys]
        out["jwks"] = json.loads(keys.jwks)

        members = federation.ListMembers(federation_pb2.ListMembersRequest(), timeout=10)
        out["members"] = [{"id": m.id, "region": m.region} for m in members.members]
        out["tls_fingerprints"] = [m.tls_fingerprint for m in members.members]

        search = search_pb2_grpc.SearchServiceStub(channel)
        try:
            events = list(search.Search(search_pb2.SearchRequest(query=sys.argv[3] if len(sys.argv) > 3 else "*"), timeout=10))
            out["search"] = {"events": [e.WhichOneof("event") for e in events]}
        except grpc.RpcError as err:  # an ipfed error: status plus the plain code trailer
            trailers = dict(err.trailing_metadata() or ())
            out["search"] = {"status": err.code().name, "code": trailers.get("ipfed-error-code"), "details": err.details()}

        try:
            list(search.Search(search_pb2.SearchRequest(query="ti:(graphene"), timeout=10))
            out["bad_query"] = "accepted"
        except grpc.RpcError as err:
            trailers = dict(err.trailing_metadata() or ())
            detail = error_pb2.ErrorDetail.FromString(trailers["ipfed-error-detail-bin"])
            out["bad_query"] = {"status": err.code().name, "code": trailers.get("ipfed-error-code"), "position": detail.position, "field": detail.field}

    # The tier options are visible to Python through the generated descriptors too.
    claims = record_pb2.Record.DESCRIPTOR.fields_by_name["claims"]
    out["claims_tier"] = tier_pb2.Tier.Name(claims.GetOptions().Extensions[tier_pb2.tier])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
