import { GetKeysRequest, ListMembersRequest, MemberKind, RegisterRequest, SearchRequest } from "@ipfed/proto";
import type { GetKeysResponse, ListMembersResponse } from "@ipfed/proto";
import { expect, it } from "vitest";
import { failure, health, reflectedServices, search, unary } from "./conformance-client.js";
import { CONFORMANCE_MEMBER_ID } from "./conformance-fixture.js";
import type { ConformanceHarness } from "./conformance-harness.js";

/**
 * What every member serves whatever its data: the FederationService of a member that is not a
 * hub, its keys, health, reflection, and the token checks in front of every RPC.
 *
 * @example
 * ```ts
 * describe("cases", () => memberCases(() => harness));
 * ```
 */
export function memberCases(h: () => ConformanceHarness): void {
  it("GetKeys serves the member's public key, as messages and as a JWKS without private parts", async () => {
    const res = await unary<GetKeysResponse>((cb) => h().as().federation.getKeys(GetKeysRequest.fromPartial({}), cb));
    const key = h().memberKey;
    expect(res.keys.map((k) => [k.kid, k.alg, k.crv, k.x])).toEqual([[key.kid, "EdDSA", "Ed25519", key.publicJwk.x]]);
    expect(JSON.parse(res.jwks)).toEqual({ keys: [{ ...key.publicJwk, kid: key.kid, alg: "EdDSA", use: "sig" }] });
    expect(res.jwks).not.toContain('"d"');
  });

  it("ListMembers describes the member itself, with its gRPC address", async () => {
    const res = await unary<ListMembersResponse>((cb) => h().as().federation.listMembers(ListMembersRequest.fromPartial({}), cb));
    expect(res.members.map((m) => [m.id, m.kind, m.region, m.endpoints.map((e) => e.address)])).toEqual([
      [CONFORMANCE_MEMBER_ID, MemberKind.MEMBER_KIND_LIBRARY, "440300", [h().address]],
    ]);
  });

  it("Register, which only a hub answers, is UNIMPLEMENTED", async () => {
    const e = await failure(unary((cb) => h().as().federation.register(RegisterRequest.fromPartial({}), cb)));
    expect([e.code, e.status]).toEqual(["UNIMPLEMENTED", 12]);
  });

  it("serves grpc.health.v1 as SERVING for the server and every ipfed service", async () => {
    for (const service of ["", "ipfed.v1.CatalogueService", "ipfed.v1.SearchService", "ipfed.v1.ExchangeService", "ipfed.v1.FederationService"]) {
      expect([service, await health(h().address, service)]).toEqual([service, "SERVING"]);
    }
  });

  it("lists every service through server reflection", async () => {
    expect(await reflectedServices(h().address)).toEqual([
      "grpc.health.v1.Health",
      "ipfed.v1.CatalogueService",
      "ipfed.v1.ExchangeService",
      "ipfed.v1.FederationService",
      "ipfed.v1.SearchService",
    ]);
  });

  it("refuses an expired token, a token of an unknown issuer and a malformed one, as UNAUTHENTICATED", async () => {
    const req: Partial<SearchRequest> = { query: "*" };
    const expired = await failure(search(h().as(h().tokens.expired), req));
    expect([expired.code, expired.status]).toEqual(["TOKEN_EXPIRED", 16]);
    const stranger = await failure(search(h().as(h().tokens.stranger), req));
    expect([stranger.code, stranger.status]).toEqual(["TOKEN_ISSUER_UNKNOWN", 16]);
    const garbled = await failure(search(h().as("not.a.token"), req));
    expect(garbled.status).toBe(16);
  });
}
