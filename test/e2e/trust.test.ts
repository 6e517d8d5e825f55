import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Metadata, status } from "@grpc/grpc-js";
import type { ServiceError } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCorpus } from "@ipfed/corpus";
import { ExportRequest, GetRecordRequest, HarvestRequest, Record, SearchEvent, SearchRequest } from "@ipfed/proto";
import type { ExportResponse, HarvestResponse } from "@ipfed/proto";
import { fromGrpcError } from "@ipfed/sdk";
import { callUnary, collect, rawClients } from "../helpers/grpc-clients.js";
import { claims, forgeToken, strangerKey } from "../helpers/forge-token.js";
import type { PrivateJwk } from "../helpers/forge-token.js";
import { initNode, ipfed, startNode, tempDir } from "../helpers/node-process.js";
import type { RunningNode } from "../helpers/node-process.js";
import { usptoFiles } from "../helpers/shared-data.js";

// Member A serves the data; member B is another member A trusts up to REGISTERED.
const A = "sc-regional";
const B = "scu-tisc";
const NETWORK = "ipfed";
let dir: { path: string; remove(): Promise<void> };
let node: RunningNode;
let keyA: PrivateJwk;
let keyB: PrivateJwk;
const tokens: { [tier: string]: string } = {};

/** Records of dataset "cn" a REGISTERED caller may not see (unpublished applications are CONFIDENTIAL). */
function cnAboveRegistered(): number {
  return [...generateCorpus({ size: 1500, seed: 5, datasetId: "cn" })].filter((r) => r.accessTier > 2).length;
}

async function issue(args: string[]): Promise<string> {
  const r = await ipfed(["token", "issue", "--dir", join(dir.path, "a"), ...args]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

function md(token?: string): Metadata {
  const m = new Metadata();
  if (token !== undefined) m.set("authorization", `Bearer ${token}`);
  return m;
}

async function search(query: string, token?: string, extra: Partial<SearchRequest> = {}) {
  const c = rawClients(node.grpc);
  try {
    const events = await collect<SearchEvent>(c.search.search(SearchRequest.fromPartial({ query, pageSize: 200, ...extra }), md(token)));
    return {
      hits: events.flatMap((e) => (e.event?.$case === "hit" ? [e.event.value.record!] : [])),
      total: events.flatMap((e) => (e.event?.$case === "done" ? [e.event.value.total] : []))[0],
      facets: events.flatMap((e) => (e.event?.$case === "facets" ? e.event.value.facets : [])),
    };
  } finally {
    c.close();
  }
}

async function getRecord(id: string, token?: string): Promise<Record> {
  const c = rawClients(node.grpc);
  try {
    return (await callUnary<{ record?: Record }>((cb) => c.search.getRecord(GetRecordRequest.fromPartial({ id }), md(token), cb))).record!;
  } finally {
    c.close();
  }
}

/** The status and ipfed code a search with this token ends with. */
async function outcome(token: string | undefined, req: Partial<SearchRequest> = { query: "battery" }): Promise<[number, string]> {
  const c = rawClients(node.grpc);
  try {
    await collect(c.search.search(SearchRequest.fromPartial(req), md(token)));
    return [status.OK, ""];
  } catch (err) {
    const e = err as ServiceError;
    return [e.code, String(e.metadata?.get("ipfed-error-code")[0] ?? "")];
  } finally {
    c.close();
  }
}

beforeAll(async () => {
  dir = await tempDir("ipfed-trust-");
  const a = join(dir.path, "a");
  const b = join(dir.path, "b");
  await initNode(a, { id: A, kind: "regional", region: "510000" });
  await initNode(b, { id: B, kind: "tisc", region: "510000" });
  keyA = JSON.parse(await readFile(join(a, "keys.json"), "utf8")).keys[0].privateJwk;
  keyB = JSON.parse(await readFile(join(b, "keys.json"), "utf8")).keys[0].privateJwk;
  const jwksB = join(dir.path, "b-jwks.json");
  const ringB = JSON.parse(await readFile(join(b, "keys.json"), "utf8"));
  await writeFile(jwksB, JSON.stringify({ keys: [ringB.keys[0].publicJwk] }));
  expect((await ipfed(["trust", "add", "--dir", a, "--issuer", B, "--max-tier", "registered", "--jwks", jwksB])).code).toBe(0);
  expect((await ipfed(["import", "--dir", a, "--dataset", "uspto", "--quiet", ...usptoFiles()])).code).toBe(0);
  const corpus = join(dir.path, "cn.jsonl");
  await writeFile(corpus, [...generateCorpus({ size: 1500, seed: 5, datasetId: "cn" })].map((r) => JSON.stringify(Record.toJSON(r))).join("\n") + "\n");
  expect((await ipfed(["import", "--dir", a, "--dataset", "cn", "--quiet", corpus])).code).toBe(0);
  expect((await ipfed(["catalogue", "set", "--dir", a, "--dataset", "cn", "--sensitive"])).code).toBe(0);
  node = await startNode(a);
  tokens.public = await issue(["--sub", "pat", "--tier", "public", "--scope", "search read export"]);
  tokens.registered = await issue(["--sub", "reg", "--tier", "registered", "--scope", "search read export"]);
  tokens.restricted = await issue(["--sub", "res", "--tier", "restricted", "--scope", "search read export"]);
  tokens.confidential = await issue(["--sub", "conf", "--tier", "confidential", "--scope", "search read export"]);
}, 180_000);

afterAll(async () => {
  await node?.stop();
  await dir?.remove();
});

describe("attack table: every bad token is refused with its own status and code", () => {
  const kidA = () => keyA.kid;
  const rows: [string, () => string | Promise<string>, number, string][] = [
    ["alg none", () => forgeToken({ alg: "none", kid: kidA() }, claims(A, NETWORK), "none"), status.UNAUTHENTICATED, "TOKEN_ALG_NOT_ALLOWED"],
    [
      "HS256 signed with the public key as secret",
      () => forgeToken({ alg: "HS256", kid: kidA() }, claims(A, NETWORK), { hmac: Buffer.from(keyA.x!, "base64url") }),
      status.UNAUTHENTICATED,
      "TOKEN_ALG_NOT_ALLOWED",
    ],
    ["a key not in the JWKS", () => forgeToken({ alg: "EdDSA", kid: "stranger" }, claims(A, NETWORK), { ed25519: strangerKey("stranger") }), status.UNAUTHENTICATED, "TOKEN_KEY_UNKNOWN"],
    ["another member's kid with this signature", () => forgeToken({ alg: "EdDSA", kid: keyB.kid }, claims(B, NETWORK), { ed25519: keyA }), status.UNAUTHENTICATED, "TOKEN_SIGNATURE_INVALID"],
    ["this member's kid under another issuer", () => forgeToken({ alg: "EdDSA", kid: kidA() }, claims(B, NETWORK), { ed25519: keyA }), status.UNAUTHENTICATED, "TOKEN_KEY_UNKNOWN"],
    ["expired", () => forgeToken({ alg: "EdDSA", kid: kidA() }, claims(A, NETWORK, { exp: Math.floor(Date.now() / 1000) - 3600 }), { ed25519: keyA }), status.UNAUTHENTICATED, "TOKEN_EXPIRED"],
    ["nbf in the future", () => forgeToken({ alg: "EdDSA", kid: kidA() }, claims(A, NETWORK, { nbf: Math.floor(Date.now() / 1000) + 600 }), { ed25519: keyA }), status.UNAUTHENTICATED, "TOKEN_NOT_YET_VALID"],
    ["wrong aud", () => forgeToken({ alg: "EdDSA", kid: kidA() }, claims(A, "another-network"), { ed25519: keyA }), status.UNAUTHENTICATED, "TOKEN_AUDIENCE_MISMATCH"],
    ["unknown iss", () => forgeToken({ alg: "EdDSA", kid: "k" }, claims("nobody", NETWORK), { ed25519: strangerKey("k") }), status.UNAUTHENTICATED, "TOKEN_ISSUER_UNKNOWN"],
    ["tier above the issuer's cap", () => forgeToken({ alg: "EdDSA", kid: keyB.kid }, claims(B, NETWORK, { tier: "restricted" }), { ed25519: keyB }), status.PERMISSION_DENIED, "TIER_EXCEEDS_ISSUER"],
    ["missing scope", () => forgeToken({ alg: "EdDSA", kid: kidA() }, claims(A, NETWORK, { scope: "read" }), { ed25519: keyA }), status.PERMISSION_DENIED, "SCOPE_MISSING"],
    [
      "tampered payload",
      () => {
        const [h, , s] = forgeToken({ alg: "EdDSA", kid: kidA() }, claims(A, NETWORK, { tier: "public" }), { ed25519: keyA }).split(".");
        return `${h}.${Buffer.from(JSON.stringify(claims(A, NETWORK, { tier: "confidential" }))).toString("base64url")}.${s}`;
      },
      status.UNAUTHENTICATED,
      "TOKEN_SIGNATURE_INVALID",
    ],
    ["a 16 KB token", () => forgeToken({ alg: "EdDSA", kid: kidA() }, claims(A, NETWORK, { pad: "x".repeat(16_000) }), { ed25519: keyA }), status.UNAUTHENTICATED, "TOKEN_TOO_LARGE"],
    ["a malformed header", () => `not-base64!.${Buffer.from("{}").toString("base64url")}.sig`, status.UNAUTHENTICATED, "TOKEN_MALFORMED"],
    ["a header that is not JSON", () => `${Buffer.from("{alg:").toString("base64url")}.e30.c2ln`, status.UNAUTHENTICATED, "TOKEN_MALFORMED"],
    ["a key carried in the header (jwk)", () => forgeToken({ alg: "EdDSA", kid: "k", jwk: { kty: "OKP", crv: "Ed25519", x: "AAAA" } }, claims(A, NETWORK), { ed25519: strangerKey("k") }), status.UNAUTHENTICATED, "TOKEN_HEADER_KEY_NOT_ALLOWED"],
    ["a key URL in the header (jku)", () => forgeToken({ alg: "EdDSA", kid: kidA(), jku: "https://evil.example/jwks" }, claims(A, NETWORK), { ed25519: keyA }), status.UNAUTHENTICATED, "TOKEN_HEADER_KEY_NOT_ALLOWED"],
    ["a certificate URL in the header (x5u)", () => forgeToken({ alg: "EdDSA", kid: kidA(), x5u: "https://evil.example/cert" }, claims(A, NETWORK), { ed25519: keyA }), status.UNAUTHENTICATED, "TOKEN_HEADER_KEY_NOT_ALLOWED"],
  ];
  for (const [name, make, code, ipfedCode] of rows) {
    it(name, async () => {
      expect(await outcome(await make())).toEqual([code, ipfedCode]);
    });
  }

  it("a valid token of this member, and of a trusted member within its cap, are accepted", async () => {
    expect(await outcome(tokens.registered)).toEqual([status.OK, ""]);
    expect(await outcome(forgeToken({ alg: "EdDSA", kid: keyB.kid }, claims(B, NETWORK, { tier: "registered" }), { ed25519: keyB }))).toEqual([status.OK, ""]);
    expect(await outcome(undefined)).toEqual([status.OK, ""]);
  });

  it("a header that is not a bearer token is refused", async () => {
    const c = rawClients(node.grpc);
    const m = new Metadata();
    m.set("authorization", "Basic dXNlcjpwYXNz");
    const err = await collect(c.search.search(SearchRequest.fromPartial({ query: "x" }), m)).catch((e: ServiceError) => e);
    c.close();
    expect(fromGrpcError(err as ServiceError).code).toBe("TOKEN_MALFORMED");
  });

  it("a dataset outside the token's limit", async () => {
    const limited = await issue(["--sub", "lim", "--tier", "registered", "--scope", "search read export", "--datasets", "cn"]);
    expect(await outcome(limited, { query: "battery", datasets: ["uspto"] })).toEqual([status.PERMISSION_DENIED, "DATASET_NOT_ALLOWED"]);
    const c = rawClients(node.grpc);
    const err = await collect(c.exchange.export(ExportRequest.fromPartial({ datasetId: "uspto" }), md(limited))).catch((e: ServiceError) => e);
    c.close();
    expect(fromGrpcError(err as ServiceError).code).toBe("DATASET_NOT_ALLOWED");
    // Without naming datasets, the search covers only the allowed one (less what is above REGISTERED).
    const r = await search("ds:uspto OR ds:cn", limited, { pageSize: 1 });
    expect(r.total).toBe(1500 - cnAboveRegistered());
  });

  it("a revoked jti, once `token revoke` has run, while the node serves", async () => {
    const t = await issue(["--sub", "soon-revoked", "--tier", "registered"]);
    expect(await outcome(t)).toEqual([status.OK, ""]);
    const r = await ipfed(["token", "revoke", "--dir", join(dir.path, "a"), t]);
    expect(r.code, r.stderr).toBe(0);
    let last: [number, string] = [0, ""];
    for (let i = 0; i < 40; i++) {
      last = await outcome(t);
      if (last[1] === "TOKEN_REVOKED") break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(last).toEqual([status.UNAUTHENTICATED, "TOKEN_REVOKED"]);
  });

  it("a 1 MB token is stopped by the transport, and the node keeps serving", async () => {
    const [code] = await outcome(forgeToken({ alg: "EdDSA", kid: kidA() }, claims(A, NETWORK, { pad: "x".repeat(1024 * 1024) }), { ed25519: keyA }));
    expect(code).toBe(status.INTERNAL);
    expect(await outcome(tokens.public)).toEqual([status.OK, ""]);
  });

  it("messages say which check failed, never the token's contents", async () => {
    const c = rawClients(node.grpc);
    const t = forgeToken({ alg: "EdDSA", kid: kidA() }, claims(A, NETWORK, { exp: 1000, sub: "canary-subject-4711" }), { ed25519: keyA });
    const err = (await collect(c.search.search(SearchRequest.fromPartial({ query: "x" }), md(t))).catch((e: ServiceError) => e)) as ServiceError;
    c.close();
    expect(err.details).not.toContain("canary-subject-4711");
    expect(err.details).not.toContain(t.split(".")[1]!.slice(0, 20));
    expect(err.details.toLowerCase()).toContain("expired");
  });
});

describe("redaction at the source, at every tier", () => {
  it("GetRecord of a USPTO grant: fields above the tier are absent and listed as withheld", async () => {
    const anon = await getRecord("US-8088512-B2");
    expect(anon.claims).toEqual([]);
    expect(anon.descriptions).toEqual([]);
    expect(anon.inventors[0]).toMatchObject({ name: "Gozdz, Antoni S.", city: "", state: "", naturalPerson: true });
    expect(anon.owners[0]).toMatchObject({ name: "A123 Systems, Inc.", city: "Waltham", state: "MA" });
    expect(anon.withheldFields).toEqual(["applicants.city", "applicants.state", "claims", "descriptions", "extra", "inventors.city", "inventors.state"]);
    expect(Object.keys(Record.toJSON(anon) as object)).not.toContain("claims");

    const reg = await getRecord("US-8088512-B2", tokens.registered);
    expect(reg.claims).toHaveLength(15);
    expect(reg.inventors[0]!.city).toBe("");
    expect(reg.withheldFields).toEqual(["applicants.city", "applicants.state", "inventors.city", "inventors.state"]);

    const res = await getRecord("US-8088512-B2", tokens.restricted);
    expect(res.inventors[0]).toMatchObject({ city: "Marlborough", state: "MA" });
    expect(res.withheldFields).toEqual([]);
    expect(await getRecord("US-8088512-B2", tokens.confidential)).toEqual(res);
  });

  it("Search hits are redacted the same way", async () => {
    const [pub] = (await search('"self organizing battery"')).hits;
    const [reg] = (await search('"self organizing battery"', tokens.registered)).hits;
    expect(pub!.claims).toEqual([]);
    expect(pub!.withheldFields).toContain("claims");
    expect(reg!.claims).toHaveLength(15);
  });

  it("Export and Harvest apply the same rules", async () => {
    const c = rawClients(node.grpc);
    try {
      const batches = await collect<ExportResponse>(c.exchange.export(ExportRequest.fromPartial({ datasetId: "uspto" }), md(tokens.public)));
      const records = batches.flatMap((b) => b.records);
      expect(records).toHaveLength(371);
      expect(records.every((r) => r.claims.length === 0 && r.inventors.every((p) => p.city === "" && p.address === ""))).toBe(true);
      const h = await callUnary<HarvestResponse>((cb) => c.exchange.harvest(HarvestRequest.fromPartial({ datasetId: "uspto", limit: 50 }), md(tokens.public), cb));
      expect(h.changes.length).toBeGreaterThan(0);
      expect(h.changes.every((x) => x.record!.claims.length === 0 && x.record!.withheldFields.includes("claims"))).toBe(true);
      const hr = await callUnary<HarvestResponse>((cb) => c.exchange.harvest(HarvestRequest.fromPartial({ datasetId: "uspto", limit: 50 }), md(tokens.restricted), cb));
      expect(hr.changes.some((x) => x.record!.inventors.some((p) => p.city !== ""))).toBe(true);
    } finally {
      c.close();
    }
  });

  it("no oracle: a PUBLIC caller cannot find records by words only in claims", async () => {
    const pub = await search("cl:polymer");
    const reg = await search("cl:polymer", tokens.registered);
    expect(pub.total).toBe(0);
    expect(reg.total).toBeGreaterThan(5);
    // A word of the claims, searched as free text, finds only records where it is visible.
    const free = await search("polymer precursor ds:uspto");
    const freeReg = await search("polymer precursor ds:uspto", tokens.registered);
    expect(free.total!).toBeLessThan(freeReg.total!);
  });

  it("no oracle: addresses of natural persons are searchable from RESTRICTED only", async () => {
    // Marlborough is the city of inventor Gozdz (a natural person) of US-8088512-B2.
    const pub = await search("Marlborough");
    expect(pub.total).toBe(0);
    expect(pub.hits).toEqual([]);
    const res = await search("Marlborough", tokens.restricted);
    expect(res.hits.map((r) => r.id)).toContain("US-8088512-B2");
    expect(res.total).toBe(res.hits.length);
  });

  it("records above the caller's tier are not counted: CONFIDENTIAL applications of dataset cn", async () => {
    const hidden = cnAboveRegistered();
    expect(hidden).toBeGreaterThan(0);
    expect((await search("ds:cn", tokens.registered)).total).toBe(1500 - hidden);
    expect((await search("ds:cn", tokens.confidential)).total).toBe(1500);
  });

  it("small facet counts are suppressed on a sensitive dataset", async () => {
    const r = await search("ds:cn", tokens.registered, { facets: ["applicant", "kind"], facetSize: 100 });
    const applicant = r.facets.find((f) => f.name === "applicant")!;
    expect(applicant.suppressed).toBeGreaterThan(0);
    expect(applicant.buckets.every((b) => b.count >= 5)).toBe(true);
    // Suppression is decided on the datasets searched: any sensitive one suppresses.
    const onUspto = await search("*", tokens.registered, { facets: ["applicant"], facetSize: 100, datasets: ["uspto"] });
    expect(onUspto.facets[0]!.suppressed).toBe(0);
    expect(onUspto.facets[0]!.buckets.some((b) => b.count < 5)).toBe(true);
  });
});

describe("audit", () => {
  it("every call is in the log, allowed or denied; tampering is named by `audit verify`", async () => {
    const before = await ipfed(["audit", "verify", "--dir", join(dir.path, "a")]);
    expect(before.code, before.stderr).toBe(0);
    const entries = Number(/ok: (\d+) entries/.exec(before.stdout)![1]);
    expect(entries).toBeGreaterThan(30);
    const tail = await ipfed(["audit", "tail", "--dir", join(dir.path, "a"), "-n", String(entries), "--json"]);
    const log = tail.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(log.some((e) => e.code === "TOKEN_ALG_NOT_ALLOWED" && e.status === "UNAUTHENTICATED" && e.subject === "?")).toBe(true);
    expect(log.some((e) => e.code === "SCOPE_MISSING" && e.subject === "tester")).toBe(true);
    expect(log.some((e) => e.rpc === "/ipfed.v1.SearchService/GetRecord" && e.subject === "res" && e.tier === "restricted" && e.resultCount === 1)).toBe(true);
    // Change one stored entry: a denial made to look allowed.
    await node.stop();
    const file = join(dir.path, "a", "audit", "audit-000001.jsonl");
    const lines = (await readFile(file, "utf8")).split("\n");
    const i = lines.findIndex((l) => l.includes('"status":"PERMISSION_DENIED"'));
    lines[i] = lines[i]!.replace('"status":"PERMISSION_DENIED"', '"status":"OK"');
    await writeFile(file, lines.join("\n"));
    const after = await ipfed(["audit", "verify", "--dir", join(dir.path, "a")]);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain(`error STORE_CORRUPT: broken at entry #${i + 1} (`);
    expect(after.stderr).toContain(`audit-000001.jsonl:${i + 1}): hash mismatch`);
  });
});
