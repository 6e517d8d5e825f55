// Transport security end to end: a hub and two members as real processes, each with a
// certificate made by `ipfed node init --tls`; members reach the hub over TLS pinned to its
// certificate, the hub and members reach each other over mutual TLS pinned through the
// signed network configuration, and a member's call is bound to its certificate.
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { join } from "node:path";
import { Metadata, credentials, status } from "@grpc/grpc-js";
import type { ServiceError } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FederationServiceClient, ListMembersRequest, MemberState, SearchRequest, SearchServiceClient, Tier } from "@ipfed/proto";
import type { ListMembersResponse, Record, SearchEvent } from "@ipfed/proto";
import { certificateFingerprint, channelFor, deriveToken } from "@ipfed/sdk";
import type { Caller, MemberKey } from "@ipfed/sdk";
import { callUnary, collect } from "../helpers/grpc-clients.js";
import { IPFED_BIN, ipfed, issueToken, startNode, tempDir } from "../helpers/node-process.js";
import type { RunningNode } from "../helpers/node-process.js";
import { hubPort, importCorpus, initHub, initMember, startHub, startMember } from "../helpers/network.js";

let root: { path: string; remove(): Promise<void> };
const dirs: { [id: string]: string } = {};
const nodes: { [id: string]: RunningNode } = {};
const certs: { [id: string]: string } = {};
const data: { [id: string]: Record[] } = {};
const MEMBERS = ["sc-regional", "cd-library"] as const;

/** A gRPC channel to a node under test: TLS pinned to `pin` (a PEM), optionally presenting `own`'s certificate. */
function secure(pin: string, own?: string): { credentials: ReturnType<typeof credentials.createInsecure>; options: object } {
  return channelFor("127.0.0.1:1", { tls: { ca: pin, ...(own ? { cert: certs[own]!, key: keys[own]! } : {}) } });
}
const keys: { [id: string]: string } = {};

async function search(address: string, channel: { credentials: ReturnType<typeof credentials.createInsecure>; options: object }, req: Partial<SearchRequest>, token?: string) {
  const client = new SearchServiceClient(address, channel.credentials, channel.options);
  const md = new Metadata();
  if (token) md.set("authorization", `Bearer ${token}`);
  try {
    const events = await collect<SearchEvent>(client.search(SearchRequest.fromPartial({ pageSize: 200, ...req }), md, { deadline: Date.now() + 10_000 }));
    return {
      ids: events.flatMap((e) => (e.event?.$case === "hit" ? [e.event.value.record!.id] : [])),
      statuses: Object.fromEntries(events.flatMap((e) => (e.event?.$case === "memberStatus" ? [[e.event.value.memberId, MemberState[e.event.value.state]]] : []))),
    };
  } finally {
    client.close();
  }
}

function failure(err: unknown): string {
  const e = err as ServiceError;
  return `${status[e.code]}/${e.metadata?.get("ipfed-error-code")[0] ?? ""}`;
}

async function members(): Promise<ListMembersResponse> {
  const ch = secure(certs.hub!);
  const c = new FederationServiceClient(nodes.hub!.grpc, ch.credentials, ch.options);
  try {
    return await callUnary<ListMembersResponse>((cb) => c.listMembers(ListMembersRequest.fromPartial({}), cb));
  } finally {
    c.close();
  }
}

beforeAll(async () => {
  root = await tempDir("ipfed-tls-");
  const port = hubPort();
  for (const id of ["hub", ...MEMBERS]) dirs[id] = join(root.path, id);
  await initHub(dirs.hub!, port, "hub", ["--tls"]);
  const hubCert = join(dirs.hub!, "tls/cert.pem");
  const enrol: { [id: string]: string } = {};
  enrol["sc-regional"] = await initMember(dirs.hub!, port, dirs["sc-regional"]!, { id: "sc-regional", kind: "regional", region: "510000", extra: ["--tls", "--hub-tls", hubCert] });
  enrol["cd-library"] = await initMember(dirs.hub!, port, dirs["cd-library"]!, { id: "cd-library", kind: "library", region: "510104", extra: ["--tls", "--hub-tls", hubCert] });
  for (const id of ["hub", ...MEMBERS]) {
    certs[id] = await readFile(join(dirs[id]!, "tls/cert.pem"), "utf8");
    keys[id] = await readFile(join(dirs[id]!, "tls/key.pem"), "utf8");
  }
  data["sc-regional"] = await importCorpus(dirs["sc-regional"]!, "cn", 0, 300);
  data["cd-library"] = await importCorpus(dirs["cd-library"]!, "cn", 200, 500);
  for (const id of MEMBERS) {
    const file = join(dirs[id]!, "ipfed.json");
    const cfg = JSON.parse(await readFile(file, "utf8"));
    await writeFile(file, JSON.stringify({ ...cfg, federation: { heartbeatSeconds: 1 } }, null, 2));
  }
  nodes.hub = await startHub(dirs.hub!);
  for (const id of MEMBERS) nodes[id] = await startMember(dirs[id]!, enrol[id]!);
  const end = Date.now() + 30_000;
  for (;;) {
    const list = await members().catch(() => ({ members: [] }) as unknown as ListMembersResponse);
    if (list.members.filter((m) => m.tlsFingerprint).length === 3) break;
    if (Date.now() > end) throw new Error(`members did not register with their certificates: ${JSON.stringify(list.members.map((m) => m.id))}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}, 180_000);

afterAll(async () => {
  for (const n of Object.values(nodes)) await n.stop().catch(() => undefined);
  await root?.remove();
});

describe("TLS between the hub and its members", () => {
  it("the network configuration binds each member's certificate to it (fingerprint = SHA-256 of the certificate it serves)", async () => {
    const list = await members();
    for (const id of ["hub", ...MEMBERS]) {
      const m = list.members.find((x) => x.id === id)!;
      expect(m.tlsFingerprint).toBe(certificateFingerprint(certs[id]!));
      expect(certificateFingerprint(m.tlsCertificate)).toBe(m.tlsFingerprint);
      expect(m.endpoints.filter((e) => e.tls).map((e) => e.kind).length).toBe(2); // gRPC and HTTP
    }
  });

  it("members' heartbeats (signed with their own keys) pass the hub's certificate check: catalogue figures arrive", async () => {
    // Heartbeats carry a token the member signs for itself, so the hub requires the member's
    // certificate on them — also on the connection opened before the hub knew that certificate.
    const end = Date.now() + 20_000;
    let counts: { [id: string]: number } = {};
    while (Date.now() < end) {
      counts = Object.fromEntries((await members()).members.filter((m) => m.id !== "hub").map((m) => [m.id, Number(m.catalogue?.recordCount ?? 0)]));
      if (counts["sc-regional"] === 300 && counts["cd-library"] === 300) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(counts).toEqual({ "sc-regional": 300, "cd-library": 300 });
  });

  it("a federated search at the hub reaches every member over mutual TLS and returns the union of their answers", async () => {
    const token = await issueToken(dirs.hub!, { tier: "registered", scope: "search read" });
    const r = await search(nodes.hub!.grpc, secure(certs.hub!), { query: "ti:电池", federate: true }, token);
    expect(r.statuses).toEqual({ hub: "MEMBER_STATE_OK", "sc-regional": "MEMBER_STATE_OK", "cd-library": "MEMBER_STATE_OK" });
    const direct = new Set<string>();
    for (const id of MEMBERS) for (const x of (await search(nodes[id]!.grpc, secure(certs[id]!), { query: "ti:电池" })).ids) direct.add(x);
    expect(direct.size).toBeGreaterThan(5);
    expect(new Set(r.ids)).toEqual(direct);
    expect(r.ids.length).toBe(direct.size);
  });

  it("plaintext to a TLS node, or TLS pinned to another certificate, does not connect", async () => {
    const plain = await search(nodes.hub!.grpc, { credentials: credentials.createInsecure(), options: {} }, { query: "电池" }).catch(failure);
    expect(plain).toBe("UNAVAILABLE/");
    const wrongPin = await search(nodes.hub!.grpc, secure(certs["cd-library"]!), { query: "电池" }).catch(failure);
    expect(wrongPin).toBe("UNAVAILABLE/");
  });

  it("a member's derived token is honoured only over mutual TLS with that member's certificate", async () => {
    const ring = JSON.parse(await readFile(join(dirs.hub!, "keys.json"), "utf8")) as { active: string; keys: MemberKey[] };
    const hubKey = ring.keys.find((k) => k.kid === ring.active)!;
    const user: Caller = { anonymous: false, subject: "auditor-7", issuer: "hub", tier: Tier.TIER_REGISTERED, scopes: new Set(["search", "read"]), tokenId: "t-1", expiresAt: Math.floor(Date.now() / 1000) + 600 };
    const derived = await deriveToken(user, hubKey, { issuer: "hub", audience: "sc-regional", actor: "hub", ttlSeconds: 120 });
    const at = nodes["sc-regional"]!.grpc;
    const pin = certs["sc-regional"]!;
    // Stolen and replayed without the hub's TLS key: refused, whether without a client certificate or with another member's.
    expect(await search(at, secure(pin), { query: "ti:电池" }, derived).catch(failure)).toBe("UNAUTHENTICATED/PEER_CERTIFICATE_MISMATCH");
    expect(await search(at, secure(pin, "cd-library"), { query: "ti:电池" }, derived).catch(failure)).toBe("UNAUTHENTICATED/PEER_CERTIFICATE_MISMATCH");
    // From the hub's certificate: answered.
    const ok = await search(at, secure(pin, "hub"), { query: "ti:电池" }, derived);
    expect(ok.ids.length).toBe(data["sc-regional"]!.filter((x) => x.titles.some((t) => t.text.includes("电池")) && !(x.accessTier > Tier.TIER_REGISTERED)).length);
    // A user's own token needs no client certificate.
    const own = await issueToken(dirs["sc-regional"]!, { tier: "public", scope: "search" });
    expect((await search(at, secure(pin), { query: "ti:电池" }, own)).ids.length).toBe(ok.ids.length);
  });

  it("the HTTP side serves HTTPS with the same certificate, and the CLI searches over TLS with --tls", async () => {
    const body = await new Promise<string>((resolve, reject) => {
      const [host, port] = [nodes.hub!.http.slice(0, nodes.hub!.http.lastIndexOf(":")), Number(nodes.hub!.http.slice(nodes.hub!.http.lastIndexOf(":") + 1))];
      const req = request({ host, port, path: "/healthz", ca: certs.hub! }, (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.on("end", () => resolve(text));
      });
      req.on("error", reject);
      req.end();
    });
    expect(JSON.parse(body)).toEqual({ status: "ok", member: "hub" });
    const cli = await ipfed(["search", "ti:电池", "--federate", "--endpoint", nodes.hub!.grpc, "--tls", join(dirs.hub!, "tls/cert.pem"), "--json"]);
    expect(cli.code).toBe(0);
    const statuses = cli.stdout.trim().split("\n").map((l) => JSON.parse(l) as { memberStatus?: { memberId: string; state: string } }).flatMap((e) => (e.memberStatus ? [`${e.memberStatus.memberId}:${e.memberStatus.state}`] : []));
    expect(statuses.sort()).toEqual(["cd-library:MEMBER_STATE_OK", "hub:MEMBER_STATE_OK", "sc-regional:MEMBER_STATE_OK"]);
    const plain = await ipfed(["search", "ti:电池", "--endpoint", nodes.hub!.grpc]);
    expect(plain.code).not.toBe(0);
    expect(plain.stderr).toContain("UNAVAILABLE");
  });
});

describe("plaintext only on loopback; broken TLS material is named at start", () => {
  async function start(dir: string): Promise<{ code: number | null; stderr: string }> {
    const proc = spawn(process.execPath, [IPFED_BIN, "node", "start", "--dir", dir], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    proc.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => proc.once("exit", resolve));
    return { code, stderr };
  }

  it("a node without TLS refuses a non-loopback listen address unless allowPlaintext is set", async () => {
    const dir = join(root.path, "open");
    expect((await ipfed(["node", "init", "--dir", dir, "--id", "open", "--kind", "library", "--region", "510104", "--listen", "0.0.0.0:0", "--http", "127.0.0.1:0"])).code).toBe(0);
    const refused = await start(dir);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/PLAINTEXT_REFUSED: plaintext gRPC on 0\.0\.0\.0:0 is not loopback/);
    const file = join(dir, "ipfed.json");
    await writeFile(file, JSON.stringify({ ...JSON.parse(await readFile(file, "utf8")), allowPlaintext: true }, null, 2));
    const open = await startNode(dir, {}, { keepListen: true });
    expect(open.grpc).toMatch(/^0\.0\.0\.0:\d+$/);
    expect(await open.stop()).toBe(0);
  });

  it("a key that does not belong to the certificate is TLS_INVALID naming tls.key", async () => {
    const dir = join(root.path, "mismatch");
    expect((await ipfed(["node", "init", "--dir", dir, "--id", "mismatch", "--kind", "library", "--region", "510104", "--tls", "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0"])).code).toBe(0);
    await writeFile(join(dir, "tls/key.pem"), keys["cd-library"]!);
    const r = await start(dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/TLS_INVALID: tls\.key \(.*key\.pem\) is not the private key of tls\.cert/);
  });
});
