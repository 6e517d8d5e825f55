import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Record } from "@ipfed/proto";
import { ipfed, issueToken } from "../helpers/node-process.js";
import { forgeToken, strangerKey } from "../helpers/forge-token.js";
import { PORTAL_MEMBERS, startPortalNetwork } from "./portal-network.js";
import type { PortalNetwork } from "./portal-network.js";

// The JSON gateway of real nodes: a hub and four members, each its own process. Every call
// goes through fetch, as a simple client would.
let net: PortalNetwork;
let anon: (path: string, init?: RequestInit) => Promise<Response>;
let reader: (path: string, init?: RequestInit) => Promise<Response>;

const withTitle = (ids: string[], word: string): string[] =>
  [...new Set(ids.flatMap((m) => net.data[m]!.filter((r) => r.titles.some((t) => t.text.includes(word))).map((r) => r.id)))].sort();
const MEMBERS_WITH_DATA = ["sc-regional", "scu-tisc", "cd-library", "gd-regional"];

beforeAll(async () => {
  net = await startPortalNetwork();
  anon = (path, init = {}) => fetch(`http://${net.http}${path}`, init);
  reader = (path, init = {}) => fetch(`http://${net.http}${path}`, { ...init, headers: { ...(init.headers as object), authorization: `Bearer ${net.registeredToken}` } });
}, 480_000);

afterAll(async () => {
  await net?.stop();
});

describe("network and catalogue", () => {
  it("GET /api/v1/network lists the five members with kinds, regions and indicators", async () => {
    const r = await anon("/api/v1/network");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const body = (await r.json()) as { self: string; members: { id: string; kind: string; kindName: string; region: string; health: string; catalogue?: { recordCount?: number; datasetCount?: number } }[]; indicators: { [k: string]: unknown } };
    expect(body.self).toBe("hub");
    expect(Object.fromEntries(body.members.map((m) => [m.id, [m.kind, m.kindName, m.region]]))).toEqual(
      Object.fromEntries(PORTAL_MEMBERS.map((m) => [m.id, [`MEMBER_KIND_${m.kind.toUpperCase()}`, m.kind, m.region]])),
    );
    expect(Object.fromEntries(body.members.map((m) => [m.id, Number(m.catalogue?.recordCount ?? 0)]))).toEqual({ hub: 0, "sc-regional": 120, "scu-tisc": 120, "cd-library": 60, "gd-regional": 80 });
    expect(body.indicators).toMatchObject({
      members: 5,
      byKind: { hub: 1, regional: 2, tisc: 1, library: 1 },
      tiscs: 1,
      datasets: 4,
      records: 380,
      queriesServed: 0,
      availability: { up: 5, total: 5, ratio: 1 },
    });
  });

  it("GET /api/v1/members lists the same members in the canonical JSON mapping", async () => {
    const body = (await (await anon("/api/v1/members")).json()) as { members: { id: string; endpoints: { kind: string; address: string }[] }[] };
    expect(body.members.map((m) => m.id).sort()).toEqual(PORTAL_MEMBERS.map((m) => m.id).sort());
    for (const m of body.members) expect(m.endpoints.some((e) => e.kind === "ENDPOINT_KIND_GRPC")).toBe(true);
  });

  it("GET /api/v1/catalogue lists every member's datasets and public services", async () => {
    const body = (await (await anon("/api/v1/catalogue")).json()) as {
      datasets: { id: string; memberId: string; recordCount: string | number }[];
      services: { id: string; memberId: string; names: { lang: string; text: string }[] }[];
      members: { memberId: string; state: string }[];
    };
    expect(Object.fromEntries(body.datasets.map((d) => [`${d.memberId}/${d.id}`, Number(d.recordCount)]))).toEqual({
      "sc-regional/cn": 120,
      "scu-tisc/cn": 120,
      "cd-library/cn": 60,
      "gd-regional/cn": 80,
    });
    expect(body.services.map((s) => [s.memberId, s.id, s.names.find((n) => n.lang === "zh")?.text])).toEqual([["scu-tisc", "search-desk", "专利检索咨询"]]);
    expect(Object.fromEntries(body.members.map((m) => [m.memberId, m.state]))).toEqual({ hub: "OK", "sc-regional": "OK", "scu-tisc": "OK", "cd-library": "OK", "gd-regional": "OK" });
  });
});

describe("search", () => {
  it("answers a federated search with hits, holders, member statuses, facets and done", async () => {
    const expected = withTitle(MEMBERS_WITH_DATA, "石墨烯");
    expect(expected.length).toBeGreaterThan(5);
    const r = await anon(`/api/v1/search?q=${encodeURIComponent("ti:石墨烯")}&federate=true&page_size=200&facets=kind,year`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as {
      hits: { record: { id: string }; holders: string[] }[];
      memberStatuses: { memberId: string; state: string }[];
      facets: { name: string; buckets: { value: string; count: string }[] }[];
      done: { total: string; query: string };
    };
    expect(body.hits.map((h) => h.record.id).sort()).toEqual(expected);
    expect(Number(body.done.total)).toBe(expected.length);
    const shared = expected.filter((id) => net.data["sc-regional"]!.some((r) => r.id === id) && net.data["scu-tisc"]!.some((r) => r.id === id));
    expect(shared.length).toBeGreaterThan(0);
    for (const id of shared) expect([...body.hits.find((h) => h.record.id === id)!.holders].sort()).toEqual(["sc-regional", "scu-tisc"]);
    expect(Object.fromEntries(body.memberStatuses.map((s) => [s.memberId, s.state]))).toMatchObject({
      "sc-regional": "MEMBER_STATE_OK",
      "scu-tisc": "MEMBER_STATE_OK",
      "cd-library": "MEMBER_STATE_OK",
      "gd-regional": "MEMBER_STATE_OK",
    });
    expect(body.facets.map((f) => f.name)).toEqual(["kind", "year"]);
  });

  it("streams a search as one SearchEvent per line with Accept: application/x-ndjson", async () => {
    const expected = withTitle(MEMBERS_WITH_DATA, "石墨烯");
    const r = await anon(`/api/v1/search?q=${encodeURIComponent("ti:石墨烯")}&federate=true&page_size=200`, { headers: { accept: "application/x-ndjson" } });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    const events = (await r.text()).trim().split("\n").map((l) => JSON.parse(l) as { [k: string]: { [k: string]: unknown } });
    const hits = events.filter((e) => e.hit).map((e) => (e.hit!.record as { id: string }).id);
    expect(hits.sort()).toEqual(expected);
    expect(events.filter((e) => e.memberStatus).map((e) => e.memberStatus!.memberId).sort()).toEqual(["cd-library", "gd-regional", "hub", "sc-regional", "scu-tisc"]);
    expect(Object.keys(events.at(-1)!)).toEqual(["done"]);
    expect(Number(events.at(-1)!.done!.total)).toBe(expected.length);
  });

  it("pages with the cursor of done through the whole federated answer, each record once", async () => {
    const expected = [...new Set(MEMBERS_WITH_DATA.flatMap((m) => net.data[m]!.map((r) => r.id)))].sort();
    const ids: string[] = [];
    let cursor = "";
    let pages = 0;
    do {
      const r = await anon(`/api/v1/search?q=ds:cn&federate=true&page_size=50&cursor=${encodeURIComponent(cursor)}`);
      expect(r.status).toBe(200);
      const page = (await r.json()) as { hits: { record: { id: string } }[]; memberStatuses: { memberId: string; state: string; message?: string }[]; done: { nextCursor?: string } };
      // A member whose hits have all been sent is skipped on the later pages.
      expect(page.memberStatuses.filter((s) => s.state !== "MEMBER_STATE_OK" && s.state !== "MEMBER_STATE_SKIPPED")).toEqual([]);
      expect(page.hits.length).toBeLessThanOrEqual(50);
      ids.push(...page.hits.map((h) => h.record.id));
      cursor = page.done.nextCursor ?? "";
      pages += 1;
    } while (cursor && pages < 20);
    // 340 records in pages of at most 50: a page may come out shorter when one member's page
    // is used up before the others' (it is asked again from its next cursor on the next page).
    expect(pages).toBeGreaterThanOrEqual(7);
    expect(pages).toBeLessThan(20);
    expect(ids.length).toBe(340);
    expect(ids.sort()).toEqual(expected);
  });

  it("refuses a bad query with 400 QUERY_SYNTAX and the position", async () => {
    const r = await anon(`/api/v1/search?q=${encodeURIComponent("ti:(graphene")}`);
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({
      code: "QUERY_SYNTAX",
      message: "expected ')' at position 13, found end of query (the '(' at position 4 is not closed)",
      detail: { field: "query", position: 13 },
    });
    const s = await anon(`/api/v1/search?q=${encodeURIComponent("ti:(graphene")}`, { headers: { accept: "application/x-ndjson" } });
    expect(s.status).toBe(400);
    expect(((await s.json()) as { code: string }).code).toBe("QUERY_SYNTAX");
  });

  it("refuses bad parameters naming them", async () => {
    const r = await anon("/api/v1/search?q=x&page_size=many");
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ code: "PAGE_SIZE_INVALID", message: '"page_size" must be a whole number from 0 to 4294967295, not "many"', detail: { field: "page_size" } });
    const f = await anon("/api/v1/search?q=x&facets=colour");
    expect(f.status).toBe(400);
    expect(((await f.json()) as { code: string; detail: unknown }).code).toBe("FACET_UNKNOWN");
  });
});

describe("records and tiers", () => {
  it("withholds registered fields from an anonymous caller and shows them to a registered token", async () => {
    const record = net.data["scu-tisc"]!.find((r) => r.claims.length > 0 && !net.data["sc-regional"]!.some((x) => x.id === r.id))!;
    const a = (await (await anon(`/api/v1/records/${record.id}?federate=true`)).json()) as { record: { claims?: unknown[]; withheldFields: string[] }; holders: string[] };
    expect(a.record.claims ?? []).toEqual([]);
    expect(a.record.withheldFields).toContain("claims");
    expect(a.holders).toEqual(["scu-tisc"]);
    const r = await reader(`/api/v1/records/${record.id}?federate=true`);
    expect(r.status).toBe(200);
    const b = (await r.json()) as { record: { claims: { text: string }[]; withheldFields?: string[] } };
    expect(b.record.claims.map((c) => c.text)).toEqual(record.claims.map((c) => c.text));
    expect(b.record.withheldFields ?? []).not.toContain("claims");
  });

  it("answers 404 RECORD_NOT_FOUND for a record nobody holds", async () => {
    const r = await anon("/api/v1/records/CN-999999999-A?federate=true");
    expect(r.status).toBe(404);
    expect(((await r.json()) as { code: string }).code).toBe("RECORD_NOT_FOUND");
  });
});

describe("authentication and audit", () => {
  it("maps token failures to 401 and missing scopes to 403, with stable codes", async () => {
    const malformed = await anon("/api/v1/members", { headers: { authorization: "Bearer not-a-token" } });
    expect(malformed.status).toBe(401);
    expect(((await malformed.json()) as { code: string }).code).toBe("TOKEN_MALFORMED");
    const now = Math.floor(Date.now() / 1000);
    const forged = forgeToken({ alg: "EdDSA", kid: "stranger-key" }, { iss: "hub", sub: "mallory", aud: "hub", iat: now, exp: now + 600, jti: "f1", tier: "registered", scope: "search read" }, { ed25519: strangerKey() });
    const stranger = await anon("/api/v1/search?q=x", { headers: { authorization: `Bearer ${forged}` } });
    expect(stranger.status).toBe(401);
    expect(((await stranger.json()) as { code: string }).code).toBe("TOKEN_KEY_UNKNOWN");
    const searchOnly = await issueToken(net.dirs.hub!, { sub: "searcher", tier: "public", scope: "search" });
    const noRead = await anon("/api/v1/records/CN-1-A", { headers: { authorization: `Bearer ${searchOnly}` } });
    expect(noRead.status).toBe(403);
    expect(((await noRead.json()) as { code: string }).code).toBe("SCOPE_MISSING");
    const anonymousExport = await anon("/api/v1/export?dataset=cn");
    expect(anonymousExport.status).toBe(403);
    expect(((await anonymousExport.json()) as { code: string }).code).toBe("SCOPE_MISSING");
  });

  it("writes the hub's audit entries for gateway calls, with the caller's subject", async () => {
    await reader("/api/v1/records/CN-999999998-A");
    const r = await ipfed(["audit", "tail", "--dir", net.dirs.hub!, "-n", "50", "--json"]);
    expect(r.code).toBe(0);
    const entries = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { rpc: string; subject: string; tier: string; status: string; code: string });
    expect(entries.filter((e) => e.rpc === "/ipfed.v1.SearchService/GetRecord" && e.subject === "reader").at(-1)).toMatchObject({ tier: "registered", status: "NOT_FOUND", code: "RECORD_NOT_FOUND" });
  });

  it("answers unknown routes with 404 and other methods with 405", async () => {
    const r = await anon("/api/v1/nothing-here");
    expect(r.status).toBe(404);
    expect(((await r.json()) as { code: string }).code).toBe("NOT_FOUND");
    const p = await anon("/api/v1/search?q=x", { method: "POST" });
    expect(p.status).toBe(405);
  });
});

describe("downloads", () => {
  it("streams a member's own dataset from its gateway as CSV, one row per record", async () => {
    const token = await issueToken(net.dirs["cd-library"]!, { sub: "librarian", tier: "registered", scope: "export" });
    const r = await fetch(`http://${net.nodes["cd-library"]!.http}/api/v1/export?dataset=cn&format=csv`, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-disposition")).toBe('attachment; filename="cd-library-cn.csv"');
    const lines = (await r.text()).trimEnd().split("\n");
    expect(lines[0]!.startsWith("id,kind,country,")).toBe(true);
    expect(lines.slice(1).map((l) => l.slice(0, l.indexOf(","))).sort()).toEqual(net.data["cd-library"]!.map((x) => x.id).sort());
  });

  it("streams another member's dataset through the hub as JSONL", async () => {
    const r = await reader("/api/v1/export?dataset=cn&member=scu-tisc&format=jsonl");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-disposition")).toBe('attachment; filename="scu-tisc-cn.jsonl"');
    const records = (await r.text()).trimEnd().split("\n").map((l) => Record.fromJSON(JSON.parse(l)));
    expect(records.map((x) => x.id).sort()).toEqual(net.data["scu-tisc"]!.map((x) => x.id).sort());
    expect(records.every((x) => x.withheldFields.every((f) => f !== "claims"))).toBe(true);
  });

  it("streams a whole federated result set, every page, and answers 404 for an unknown dataset", async () => {
    const expected = [...new Set(MEMBERS_WITH_DATA.flatMap((m) => net.data[m]!.map((r) => r.id)))].sort();
    const r = await anon("/api/v1/search/download?q=*&federate=true&format=jsonl");
    expect(r.status).toBe(200);
    const body = await r.text().catch((err: unknown) => {
      throw new Error(`download cut: ${JSON.stringify(net.nodes.hub!.logs.filter((l) => l.msg === "gateway request failed"))}`, { cause: err });
    });
    const ids = body.trimEnd().split("\n").map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids.length).toBe(expected.length);
    expect(ids.sort()).toEqual(expected);
    const missing = await fetch(`http://${net.nodes["cd-library"]!.http}/api/v1/export?dataset=nope`, {
      headers: { authorization: `Bearer ${await issueToken(net.dirs["cd-library"]!, { tier: "public", scope: "export" })}` },
    });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe("DATASET_NOT_FOUND");
  });
});
