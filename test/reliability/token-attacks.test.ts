import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { status } from "@grpc/grpc-js";
import type { Client } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claims, forgeToken, strangerKey } from "../helpers/forge-token.js";
import type { PrivateJwk } from "../helpers/forge-token.js";
import { importCorpus } from "../helpers/network.js";
import { initNode, ipfed, startNode, tempDir } from "../helpers/node-process.js";
import type { RunningNode } from "../helpers/node-process.js";
import { nodeKey } from "./load-driver.js";
import { ALL_RPCS, politeCall, rawClient } from "./raw-calls.js";
import type { RpcInfo } from "./raw-calls.js";
import { record } from "./record.js";

// The attack table of test/e2e/trust.test.ts (there against Search), here against every RPC
// of every service. Member A serves; member B is another member A trusts up to REGISTERED.
const A = "sc-regional";
const B = "scu-tisc";
const NETWORK = "ipfed";
let root: { path: string; remove(): Promise<void> };
let node: RunningNode;
let client: Client;
let keyA: PrivateJwk;
let keyB: PrivateJwk;

/** The scope each RPC needs (null: none), as the protocol documents it. */
const NEEDS: { [rpc: string]: string | null } = {
  "CatalogueService.ListDatasets": "read",
  "CatalogueService.GetDataset": "read",
  "CatalogueService.ListServices": "read",
  "CatalogueService.WatchCatalogue": "read",
  "SearchService.Search": "search",
  "SearchService.GetRecord": "read",
  "ExchangeService.Export": "export",
  "ExchangeService.Harvest": "export",
  "ExchangeService.Publish": "publish",
  "FederationService.Register": null,
  "FederationService.Heartbeat": "admin",
  "FederationService.ListMembers": null,
  "FederationService.GetNetworkConfig": null,
  "FederationService.GetKeys": null,
};

/** A small, well-formed request of each RPC. */
const REQUESTS: { [rpc: string]: object } = {
  "CatalogueService.GetDataset": { id: "cn" },
  "SearchService.Search": { query: "电池", pageSize: 1 },
  "SearchService.GetRecord": { id: "CN-0-A" },
  "ExchangeService.Export": { datasetId: "cn", batchSize: 10 },
  "ExchangeService.Harvest": { datasetId: "cn", limit: 10 },
  "ExchangeService.Publish": { datasetId: "cn" },
};

/** `STATUS/CODE` of a call, `OPEN` for a watch still streaming when its short deadline passed. */
async function outcome(rpc: RpcInfo, token: string): Promise<string> {
  const watch = rpc.name === "CatalogueService.WatchCatalogue";
  const o = await politeCall(client, rpc, rpc.encode(REQUESTS[rpc.name] ?? {}), { token, deadlineMs: watch ? 1500 : 15_000 });
  if (watch && o.code === status.DEADLINE_EXCEEDED) return "OPEN";
  return o.code === status.OK ? "OK" : `${status[o.code]}/${o.ipfedCode}`;
}

/** Outcomes of every RPC with one token. */
async function allRpcs(token: string): Promise<{ [rpc: string]: string }> {
  const out: { [rpc: string]: string } = {};
  for (const rpc of ALL_RPCS) out[rpc.name] = await outcome(rpc, token);
  return out;
}

let baseline: { [rpc: string]: string };

beforeAll(async () => {
  root = await tempDir("ipfed-attacks-");
  const a = join(root.path, "a");
  const b = join(root.path, "b");
  await initNode(a, { id: A, kind: "regional", region: "510000" });
  await initNode(b, { id: B, kind: "tisc", region: "510000" });
  keyA = await nodeKey(a);
  keyB = await nodeKey(b);
  const ringB = JSON.parse(await readFile(join(b, "keys.json"), "utf8")) as { keys: { publicJwk: object }[] };
  await writeFile(join(root.path, "b-jwks.json"), JSON.stringify({ keys: [ringB.keys[0]!.publicJwk] }));
  expect((await ipfed(["trust", "add", "--dir", a, "--issuer", B, "--max-tier", "registered", "--jwks", join(root.path, "b-jwks.json")])).code).toBe(0);
  await importCorpus(a, "cn", 0, 50, 5);
  node = await startNode(a);
  client = rawClient(node.grpc);
  // What an honest token with every scope gets from each RPC: the reference for the rows
  // whose token is valid for some RPCs.
  baseline = await allRpcs(forgeToken({ alg: "EdDSA", kid: keyA.kid }, claims(A, NETWORK, { scope: "search read export publish admin" }), { ed25519: keyA }));
}, 300_000);

afterAll(async () => {
  client?.close();
  await node?.stop();
  await root?.remove();
});

describe("the token attack table against every RPC", { timeout: 120_000 }, () => {
  const now = () => Math.floor(Date.now() / 1000);
  // Each row: a token no member should honour, and the status/code every RPC must answer with.
  const rows: [string, () => string, string][] = [
    ["alg none", () => forgeToken({ alg: "none", kid: keyA.kid }, claims(A, NETWORK), "none"), "UNAUTHENTICATED/TOKEN_ALG_NOT_ALLOWED"],
    ["HS256 signed with the public key as secret", () => forgeToken({ alg: "HS256", kid: keyA.kid }, claims(A, NETWORK), { hmac: Buffer.from(keyA.x!, "base64url") }), "UNAUTHENTICATED/TOKEN_ALG_NOT_ALLOWED"],
    ["a key not in the JWKS", () => forgeToken({ alg: "EdDSA", kid: "stranger" }, claims(A, NETWORK), { ed25519: strangerKey("stranger") }), "UNAUTHENTICATED/TOKEN_KEY_UNKNOWN"],
    ["another member's kid with this signature", () => forgeToken({ alg: "EdDSA", kid: keyB.kid }, claims(B, NETWORK), { ed25519: keyA }), "UNAUTHENTICATED/TOKEN_SIGNATURE_INVALID"],
    ["this member's kid under another issuer", () => forgeToken({ alg: "EdDSA", kid: keyA.kid }, claims(B, NETWORK), { ed25519: keyA }), "UNAUTHENTICATED/TOKEN_KEY_UNKNOWN"],
    ["expired", () => forgeToken({ alg: "EdDSA", kid: keyA.kid }, claims(A, NETWORK, { exp: now() - 3600 }), { ed25519: keyA }), "UNAUTHENTICATED/TOKEN_EXPIRED"],
    ["nbf in the future", () => forgeToken({ alg: "EdDSA", kid: keyA.kid }, claims(A, NETWORK, { nbf: now() + 600 }), { ed25519: keyA }), "UNAUTHENTICATED/TOKEN_NOT_YET_VALID"],
    ["wrong aud", () => forgeToken({ alg: "EdDSA", kid: keyA.kid }, claims(A, "another-network"), { ed25519: keyA }), "UNAUTHENTICATED/TOKEN_AUDIENCE_MISMATCH"],
    ["unknown iss", () => forgeToken({ alg: "EdDSA", kid: "k" }, claims("nobody", NETWORK), { ed25519: strangerKey("k") }), "UNAUTHENTICATED/TOKEN_ISSUER_UNKNOWN"],
    ["tier above the issuer's cap", () => forgeToken({ alg: "EdDSA", kid: keyB.kid }, claims(B, NETWORK, { tier: "restricted" }), { ed25519: keyB }), "PERMISSION_DENIED/TIER_EXCEEDS_ISSUER"],
    [
      "tampered payload",
      () => {
        const [h, , s] = forgeToken({ alg: "EdDSA", kid: keyA.kid }, claims(A, NETWORK, { tier: "public" }), { ed25519: keyA }).split(".");
        return `${h}.${Buffer.from(JSON.stringify(claims(A, NETWORK, { tier: "confidential" }))).toString("base64url")}.${s}`;
      },
      "UNAUTHENTICATED/TOKEN_SIGNATURE_INVALID",
    ],
    ["a 16 KB token", () => forgeToken({ alg: "EdDSA", kid: keyA.kid }, claims(A, NETWORK, { pad: "x".repeat(16_000) }), { ed25519: keyA }), "UNAUTHENTICATED/TOKEN_TOO_LARGE"],
    ["a malformed header", () => `not-base64!.${Buffer.from("{}").toString("base64url")}.sig`, "UNAUTHENTICATED/TOKEN_MALFORMED"],
    ["a header that is not JSON", () => `${Buffer.from("{alg:").toString("base64url")}.e30.c2ln`, "UNAUTHENTICATED/TOKEN_MALFORMED"],
    ["a key carried in the header (jwk)", () => forgeToken({ alg: "EdDSA", kid: "k", jwk: { kty: "OKP", crv: "Ed25519", x: "AAAA" } }, claims(A, NETWORK), { ed25519: strangerKey("k") }), "UNAUTHENTICATED/TOKEN_HEADER_KEY_NOT_ALLOWED"],
    ["a key URL in the header (jku)", () => forgeToken({ alg: "EdDSA", kid: keyA.kid, jku: "https://evil.example/jwks" }, claims(A, NETWORK), { ed25519: keyA }), "UNAUTHENTICATED/TOKEN_HEADER_KEY_NOT_ALLOWED"],
    ["a certificate URL in the header (x5u)", () => forgeToken({ alg: "EdDSA", kid: keyA.kid, x5u: "https://evil.example/cert" }, claims(A, NETWORK), { ed25519: keyA }), "UNAUTHENTICATED/TOKEN_HEADER_KEY_NOT_ALLOWED"],
  ];
  let tried = 0;

  for (const [name, make, expected] of rows) {
    it(`${name}: ${expected} from all ${ALL_RPCS.length} RPCs`, async () => {
      const got = await allRpcs(make());
      tried += ALL_RPCS.length;
      expect(got).toEqual(Object.fromEntries(ALL_RPCS.map((r) => [r.name, expected])));
    });
  }

  it("a token with only the read scope: SCOPE_MISSING where the RPC needs another, the honest answer elsewhere", async () => {
    const got = await allRpcs(forgeToken({ alg: "EdDSA", kid: keyA.kid }, claims(A, NETWORK, { scope: "read" }), { ed25519: keyA }));
    tried += ALL_RPCS.length;
    const expected = Object.fromEntries(ALL_RPCS.map((r) => [r.name, NEEDS[r.name] === null || NEEDS[r.name] === "read" ? baseline[r.name] : "PERMISSION_DENIED/SCOPE_MISSING"]));
    expect(got).toEqual(expected);
    // The honest token was let through everywhere: no RPC refused it on authentication.
    expect(Object.values(baseline).filter((o) => /UNAUTHENTICATED|SCOPE_MISSING|TIER_EXCEEDS/.test(o))).toEqual([]);
    record({
      suite: "token-attacks",
      test: `the token attack table (${rows.length + 1} rows) against all ${ALL_RPCS.length} RPCs`,
      inputs: tried,
      recordsLost: 0,
      notes: `every row answered with its own status and code by every RPC; honest token per RPC: ${JSON.stringify(baseline)}`,
    });
  });
});
