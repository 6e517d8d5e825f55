import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Metadata, status } from "@grpc/grpc-js";
import type { ServiceError } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemberState, SearchRequest, Tier } from "@ipfed/proto";
import type { Record, SearchEvent } from "@ipfed/proto";
import { collect, rawClients } from "../helpers/grpc-clients.js";
import { ipfed, issueToken, tempDir } from "../helpers/node-process.js";
import type { RunningNode } from "../helpers/node-process.js";
import { hubPort, importCorpus, initHub, initMember, startHub, startMember } from "../helpers/network.js";

// A network of real processes on loopback: a hub; a regional node with a TISC under it;
// a library outlet. The regional node and the TISC hold 200 records in common.
let root: { path: string; remove(): Promise<void> };
const dirs: { [id: string]: string } = {};
const nodes: { [id: string]: RunningNode } = {};
const enrolments: { [id: string]: string } = {};
const data: { [id: string]: Record[] } = {};
let port: number;

const at = (id: string) => nodes[id]!.grpc;

async function fsearch(address: string, query: string, opts: { token?: string; deadlineMs?: number; extra?: Partial<SearchRequest> } = {}) {
  const c = rawClients(address, opts.token);
  const t0 = Date.now();
  try {
    const call = c.search.search(SearchRequest.fromPartial({ query, federate: true, pageSize: 200, ...opts.extra }), new Metadata(), { deadline: Date.now() + (opts.deadlineMs ?? 8000) });
    const events = await collect<SearchEvent>(call);
    return {
      ms: Date.now() - t0,
      hits: events.flatMap((e) => (e.event?.$case === "hit" ? [e.event.value] : [])),
      statuses: Object.fromEntries(events.flatMap((e) => (e.event?.$case === "memberStatus" ? [[e.event.value.memberId, e.event.value]] : []))),
      done: events.flatMap((e) => (e.event?.$case === "done" ? [e.event.value] : []))[0]!,
    };
  } finally {
    c.close();
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function setFederation(id: string, settings: object): Promise<void> {
  const file = join(dirs[id]!, "ipfed.json");
  const cfg = JSON.parse(await readFile(file, "utf8"));
  await writeFile(file, JSON.stringify({ ...cfg, federation: { ...(cfg.federation ?? {}), ...settings } }, null, 2));
}

beforeAll(async () => {
  root = await tempDir("ipfed-fed-");
  port = hubPort();
  for (const id of ["hub", "sc-regional", "scu-tisc", "cd-library"]) dirs[id] = join(root.path, id);
  await initHub(dirs.hub!, port);
  enrolments["sc-regional"] = await initMember(dirs.hub!, port, dirs["sc-regional"]!, { id: "sc-regional", kind: "regional", region: "510000" });
  enrolments["scu-tisc"] = await initMember(dirs.hub!, port, dirs["scu-tisc"]!, { id: "scu-tisc", kind: "tisc", region: "510100", parent: "sc-regional" });
  enrolments["cd-library"] = await initMember(dirs.hub!, port, dirs["cd-library"]!, { id: "cd-library", kind: "library", region: "510104" });
  for (const id of ["sc-regional", "scu-tisc", "cd-library"]) await setFederation(id, { heartbeatSeconds: 1 });
  data["sc-regional"] = await importCorpus(dirs["sc-regional"]!, "cn", 0, 600);
  data["scu-tisc"] = await importCorpus(dirs["scu-tisc"]!, "cn", 400, 1000);
  data["cd-library"] = await importCorpus(dirs["cd-library"]!, "cn", 1000, 1300);
  nodes.hub = await startHub(dirs.hub!);
  for (const id of ["sc-regional", "scu-tisc", "cd-library"]) nodes[id] = await startMember(dirs[id]!, enrolments[id]!);
  // Everyone admitted, with its address in the hub's configuration.
  await waitFor("three admitted members", async () => {
    const r = await ipfed(["members", "list", "--dir", dirs.hub!, "--json"]);
    const list = JSON.parse(r.stdout) as { member: { id: string }; state: string }[];
    return list.filter((m) => m.state === "admitted").length === 4;
  });
}, 240_000);

afterAll(async () => {
  for (const n of Object.values(nodes)) await n.stop().catch(() => undefined);
  await root?.remove();
});

const idsWith = (ids: string[], word: string) =>
  [...new Set(ids.flatMap((m) => data[m]!.filter((r) => r.titles.some((t) => t.text.includes(word))).map((r) => r.id)))].sort();

describe("federated search across real nodes", () => {
  it("returns each record once with all its holders, and the state of every member", async () => {
    const token = await issueToken(dirs.hub!, { tier: "registered", scope: "search read" });
    const r = await fsearch(at("hub"), "ti:石墨烯", { token });
    const expected = idsWith(["sc-regional", "scu-tisc", "cd-library"], "石墨烯");
    expect(expected.length).toBeGreaterThan(10);
    expect(r.hits.map((h) => h.record!.id).sort()).toEqual(expected);
    expect(new Set(r.hits.map((h) => h.record!.id)).size).toBe(r.hits.length);
    const shared = data["sc-regional"]!.filter((x) => x.titles.some((t) => t.text.includes("石墨烯")) && data["scu-tisc"]!.some((y) => y.id === x.id)).map((x) => x.id);
    expect(shared.length).toBeGreaterThan(0);
    for (const id of shared) expect([...r.hits.find((h) => h.record!.id === id)!.holders].sort()).toEqual(["sc-regional", "scu-tisc"]);
    const states = Object.fromEntries(Object.values(r.statuses).map((s) => [s.memberId, MemberState[s.state]]));
    expect(states).toEqual({
      hub: "MEMBER_STATE_OK",
      "sc-regional": "MEMBER_STATE_OK",
      "scu-tisc": "MEMBER_STATE_OK",
      "cd-library": "MEMBER_STATE_OK",
    });
    expect(r.done.total).toBe(expected.length);
  });

  it("pages through the whole answer across the hierarchy: every record once, no member failing on a later page", async () => {
    const token = await issueToken(dirs.hub!, { tier: "registered", scope: "search read" });
    // A REGISTERED caller never sees CONFIDENTIAL records (unpublished patents): one of them,
    // held by scu-tisc, is in the corpus.
    const expected = [...new Set(["sc-regional", "scu-tisc", "cd-library"].flatMap((m) => data[m]!.filter((r) => r.accessTier <= Tier.TIER_REGISTERED).map((r) => r.id)))].sort();
    expect(expected.length).toBe(1299);
    const ids: string[] = [];
    let cursor = "";
    let pages = 0;
    do {
      const r = await fsearch(at("hub"), "ds:cn", { token, extra: { pageSize: 100, cursor } });
      // sc-regional federates its TISC in turn: its own cursor must keep working on later pages.
      const failed = Object.values(r.statuses).filter((st) => st.state !== MemberState.MEMBER_STATE_OK && st.state !== MemberState.MEMBER_STATE_SKIPPED);
      expect(failed.map((st) => `${st.memberId}: ${st.errorCode} ${st.message}`)).toEqual([]);
      expect(r.hits.length).toBeLessThanOrEqual(100);
      ids.push(...r.hits.map((h) => h.record!.id));
      cursor = r.done.nextCursor;
      pages += 1;
    } while (cursor && pages < 40);
    expect(ids.length).toBe(1299);
    expect(ids.sort()).toEqual(expected);
    expect(pages).toBeGreaterThanOrEqual(13);
  });

  it("skips a member whose catalogue cannot match", async () => {
    const r = await fsearch(at("hub"), "kind:law");
    expect(r.statuses["cd-library"]).toMatchObject({ state: MemberState.MEMBER_STATE_SKIPPED });
    expect(r.statuses["cd-library"]!.message).toContain("law");
  });

  it("a PUBLIC caller never receives restricted or registered fields from any member", async () => {
    const r = await fsearch(at("hub"), "ti:石墨烯");
    expect(r.hits.length).toBeGreaterThan(10);
    for (const h of r.hits) {
      expect(h.record!.claims).toEqual([]);
      expect([...h.record!.applicants, ...h.record!.inventors].every((p) => !p.naturalPerson || (p.address === "" && p.phone === "" && p.city === ""))).toBe(true);
    }
  });

  it("the downstream audit log shows the act chain of a federated call", async () => {
    const token = await issueToken(dirs.hub!, { sub: "auditor-7", tier: "registered", scope: "search read" });
    await fsearch(at("hub"), "ti:电池", { token });
    await waitFor("the TISC's audit entry", async () => {
      const tail = await ipfed(["audit", "tail", "--dir", dirs["scu-tisc"]!, "-n", "50", "--json"]);
      return tail.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l))
        .some((e) => e.subject === "auditor-7" && e.issuer === "sc-regional" && JSON.stringify(e.act) === JSON.stringify(["sc-regional", "hub"]));
    }, 5000);
  });

  it("a cycle in the configuration neither loops nor counts twice", async () => {
    await nodes["scu-tisc"]!.stop();
    await setFederation("scu-tisc", { children: ["sc-regional"] });
    nodes["scu-tisc"] = await startMember(dirs["scu-tisc"]!, "");
    await waitFor("the TISC back in the configuration", async () => (await fsearch(at("hub"), "ti:石墨烯")).statuses["scu-tisc"]?.state === MemberState.MEMBER_STATE_OK);
    const r = await fsearch(at("hub"), "ti:石墨烯");
    expect(r.hits.map((h) => h.record!.id).sort()).toEqual(idsWith(["sc-regional", "scu-tisc", "cd-library"], "石墨烯"));
    expect(r.ms).toBeLessThan(5000);
  });

  it("a slow member times out and the answer still arrives within the deadline", async () => {
    await nodes["cd-library"]!.stop();
    nodes["cd-library"] = await startMember(dirs["cd-library"]!, "", { IPFED_TEST_SEARCH_DELAY_MS: "5000" });
    await new Promise((r) => setTimeout(r, 1500));
    const r = await fsearch(at("hub"), "ti:石墨烯", { deadlineMs: 2000 });
    expect(r.statuses["cd-library"]?.state).toBe(MemberState.MEMBER_STATE_TIMEOUT);
    expect(r.statuses["sc-regional"]?.state).toBe(MemberState.MEMBER_STATE_OK);
    expect(r.ms).toBeLessThan(2000);
    expect(r.hits.length).toBeGreaterThan(10);
  });

  it("a member killed with kill -9 mid-query is UNAVAILABLE, and nothing hangs", async () => {
    const pending = fsearch(at("hub"), "ti:电池", { deadlineMs: 6000 });
    await new Promise((r) => setTimeout(r, 400));
    await nodes["cd-library"]!.stop("SIGKILL");
    const r = await pending;
    expect([MemberState.MEMBER_STATE_UNAVAILABLE, MemberState.MEMBER_STATE_ERROR]).toContain(r.statuses["cd-library"]?.state);
    expect(r.ms).toBeLessThan(6000);
    const again = await fsearch(at("hub"), "ti:电池", { deadlineMs: 3000 });
    expect(again.statuses["cd-library"]?.state).toBe(MemberState.MEMBER_STATE_UNAVAILABLE);
    expect(again.ms).toBeLessThan(3000);
  });
});

describe("with the hub stopped", () => {
  it("members still federate, and a revocation published before the stop is enforced", async () => {
    const token = await issueToken(dirs["sc-regional"]!, { sub: "to-revoke", tier: "registered", scope: "search read" });
    const payload = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8"));
    // Accepted by the TISC through the network configuration before the revocation.
    const c = rawClients(at("scu-tisc"), token);
    expect(await collect(c.search.search(SearchRequest.fromPartial({ query: "x" })))).toHaveLength(1);
    c.close();
    const rev = await ipfed(["members", "revoke", "--dir", dirs.hub!, "--jti", payload.jti, "--issuer", "sc-regional", "--exp", String(payload.exp)]);
    expect(rev.code, rev.stderr).toBe(0);
    await waitFor("the revocation at the TISC", async () => {
      const c2 = rawClients(at("scu-tisc"), token);
      try {
        await collect(c2.search.search(SearchRequest.fromPartial({ query: "x" })));
        return false;
      } catch (err) {
        return (err as ServiceError).metadata.get("ipfed-error-code")[0] === "TOKEN_REVOKED";
      } finally {
        c2.close();
      }
    });
    await nodes.hub!.stop();
    // The regional node federates its TISC from its stored configuration.
    const r = await fsearch(at("sc-regional"), "ti:石墨烯");
    expect(r.statuses["scu-tisc"]?.state).toBe(MemberState.MEMBER_STATE_OK);
    expect(r.hits.map((h) => h.record!.id).sort()).toEqual(idsWith(["sc-regional", "scu-tisc"], "石墨烯"));
    const c3 = rawClients(at("scu-tisc"), token);
    const err = (await collect(c3.search.search(SearchRequest.fromPartial({ query: "x" }))).catch((e: ServiceError) => e)) as ServiceError;
    c3.close();
    expect(err.code).toBe(status.UNAUTHENTICATED);
    expect(err.metadata.get("ipfed-error-code")).toEqual(["TOKEN_REVOKED"]);
  });
});
