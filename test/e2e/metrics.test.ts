import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Metadata, status } from "@grpc/grpc-js";
import type { ServiceError } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetRecordRequest, MemberState, SearchRequest } from "@ipfed/proto";
import type { GetRecordResponse, SearchEvent } from "@ipfed/proto";
import { collect, rawClients } from "../helpers/grpc-clients.js";
import { initNode, startNode, tempDir } from "../helpers/node-process.js";
import type { RunningNode } from "../helpers/node-process.js";
import { hubPort, importCorpus, initHub, initMember, startHub, startMember } from "../helpers/network.js";

// Two set-ups of real processes on loopback: a node on its own, which serves only the calls
// this file makes, so that every count is exact; and a hub with two members, one of them
// stopped, for the federation outcomes and the hub's view of its members.
let root: { path: string; remove(): Promise<void> };
const dirs: { [id: string]: string } = {};
const nodes: { [id: string]: RunningNode } = {};

/** One series of a scrape: its labels and value. */
interface Series {
  readonly labels: { readonly [name: string]: string };
  readonly value: number;
}

/** Parses the Prometheus text exposition format into series by metric name. */
function parseExposition(text: string): Map<string, Series[]> {
  const out = new Map<string, Series[]>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: { [name: string]: string } = {};
    for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    const list = out.get(m[1]!) ?? [];
    list.push({ labels, value: Number(m[3]) });
    out.set(m[1]!, list);
  }
  return out;
}

/** Scrapes a node's /metrics. */
async function scrape(node: RunningNode): Promise<{ contentType: string; metrics: Map<string, Series[]> }> {
  const res = await fetch(`http://${node.http}/metrics`);
  expect(res.status).toBe(200);
  return { contentType: res.headers.get("content-type") ?? "", metrics: parseExposition(await res.text()) };
}

/** The value of the series with exactly these labels; undefined when there is none. */
function valueOf(metrics: Map<string, Series[]>, name: string, labels: { [name: string]: string } = {}): number | undefined {
  const keys = Object.keys(labels);
  return metrics.get(name)?.find((s) => Object.keys(s.labels).length === keys.length && keys.every((k) => s.labels[k] === labels[k]))?.value;
}

/** Every series of a metric as `{ "label=value,...": value }`. */
function allOf(metrics: Map<string, Series[]>, name: string): { [labels: string]: number } {
  return Object.fromEntries((metrics.get(name) ?? []).map((s) => [Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(","), s.value]));
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function search(address: string, query: string, opts: { token?: string; federate?: boolean } = {}): Promise<SearchEvent[]> {
  const c = rawClients(address, opts.token);
  try {
    return await collect<SearchEvent>(
      c.search.search(SearchRequest.fromPartial({ query, federate: opts.federate ?? false, pageSize: 50 }), new Metadata(), { deadline: Date.now() + 10_000 }),
    );
  } finally {
    c.close();
  }
}

async function setHeartbeat(dir: string, seconds: number): Promise<void> {
  const file = join(dir, "ipfed.json");
  const cfg = JSON.parse(await readFile(file, "utf8"));
  await writeFile(file, JSON.stringify({ ...cfg, federation: { ...(cfg.federation ?? {}), heartbeatSeconds: seconds } }, null, 2));
}

beforeAll(async () => {
  root = await tempDir("ipfed-metrics-");
  for (const id of ["solo", "hub", "m-live", "m-down"]) dirs[id] = join(root.path, id);
  await initNode(dirs.solo!, { id: "solo", kind: "library", region: "510104" });
  // Two imports into one dataset: 50 new records, then 10 new and the same 50 again.
  await importCorpus(dirs.solo!, "cn", 0, 50);
  await importCorpus(dirs.solo!, "cn", 0, 60);
  nodes.solo = await startNode(dirs.solo!);

  const port = hubPort();
  await initHub(dirs.hub!, port);
  const live = await initMember(dirs.hub!, port, dirs["m-live"]!, { id: "m-live", kind: "regional", region: "510000" });
  const down = await initMember(dirs.hub!, port, dirs["m-down"]!, { id: "m-down", kind: "library", region: "510104" });
  // The hub judges health by this pace: a member silent for 5 intervals (10 s) is down.
  for (const id of ["hub", "m-live", "m-down"]) await setHeartbeat(dirs[id]!, 2);
  await importCorpus(dirs["m-live"]!, "cn", 100, 160);
  nodes.hub = await startHub(dirs.hub!);
  nodes["m-live"] = await startMember(dirs["m-live"]!, live);
  nodes["m-down"] = await startMember(dirs["m-down"]!, down);
  // The hub counts its admitted members (itself included) by health.
  await waitFor("both members admitted", async () => Object.values(allOf((await scrape(nodes.hub!)).metrics, "ipfed_hub_members")).reduce((a, n) => a + n, 0) === 3);
  await nodes["m-down"]!.stop();
}, 240_000);

afterAll(async () => {
  for (const n of Object.values(nodes)) await n.stop().catch(() => undefined);
  await root?.remove();
});

describe("/metrics of a node", () => {
  it("counts calls by method and status, with durations, refused calls included", async () => {
    const solo = nodes.solo!;
    for (const q of ["ti:石墨烯", "ti:电池", "*"]) await search(solo.grpc, q);
    const c = rawClients(solo.grpc);
    const missing = await new Promise<ServiceError>((resolve) =>
      c.search.getRecord(GetRecordRequest.fromPartial({ id: "CN-000000001-A" }), (err: ServiceError | null, _res?: GetRecordResponse) => resolve(err!)),
    );
    c.close();
    expect(missing.code).toBe(status.NOT_FOUND);
    const refused = (await search(solo.grpc, "*", { token: "not-a-token" }).catch((e: ServiceError) => e)) as ServiceError;
    expect(refused.code).toBe(status.UNAUTHENTICATED);

    const { contentType, metrics } = await scrape(solo);
    expect(contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(allOf(metrics, "ipfed_rpc_requests_total")).toEqual({
      "service=ipfed.v1.SearchService,method=Search,code=OK": 3,
      "service=ipfed.v1.SearchService,method=GetRecord,code=NOT_FOUND": 1,
      "service=ipfed.v1.SearchService,method=Search,code=UNAUTHENTICATED": 1,
    });
    expect(valueOf(metrics, "ipfed_rpc_duration_seconds_count", { service: "ipfed.v1.SearchService", method: "Search", code: "OK" })).toBe(3);
    expect(valueOf(metrics, "ipfed_rpc_duration_seconds_bucket", { service: "ipfed.v1.SearchService", method: "Search", code: "OK", le: "+Inf" })).toBe(3);
    expect(allOf(metrics, "ipfed_rpc_errors_total")).toEqual({
      "service=ipfed.v1.SearchService,method=GetRecord,error_code=RECORD_NOT_FOUND": 1,
      "service=ipfed.v1.SearchService,method=Search,error_code=TOKEN_MALFORMED": 1,
    });
    expect(valueOf(metrics, "ipfed_build_info", { version: "0.1.0" })).toBe(1);
    expect(valueOf(metrics, "ipfed_node_info", { member: "solo", kind: "library", region: "510104" })).toBe(1);
    expect(metrics.get("process_cpu_user_seconds_total")).toHaveLength(1);
    // Hubs only.
    expect(metrics.get("ipfed_hub_members")).toBeUndefined();
  });

  it("reports records, index, store and the imports made while the node was stopped", async () => {
    const { metrics } = await scrape(nodes.solo!);
    expect(allOf(metrics, "ipfed_records")).toEqual({ "dataset=cn": 60 });
    expect(valueOf(metrics, "ipfed_index_documents")).toBe(60);
    expect(valueOf(metrics, "ipfed_store_size_bytes")).toBeGreaterThan(0);
    expect(allOf(metrics, "ipfed_import_records_total")).toEqual({
      "dataset=cn,outcome=imported": 60,
      "dataset=cn,outcome=updated": 0,
      "dataset=cn,outcome=unchanged": 50,
      "dataset=cn,outcome=rejected": 0,
    });
    expect(allOf(metrics, "ipfed_import_runs_total")).toEqual({ "dataset=cn": 2 });
    // The second import's summary file is named after the time it started; it completed after that.
    const summaries = (await readdir(join(dirs.solo!, "imports"))).filter((f) => f.endsWith("-cn.summary.json")).sort();
    expect(summaries).toHaveLength(2);
    const started = Date.parse(summaries[1]!.slice(0, 24).replace(/^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/, "$1:$2:$3.$4Z"));
    expect(Number.isFinite(started)).toBe(true);
    expect(valueOf(metrics, "ipfed_import_last_timestamp_seconds", { dataset: "cn" })! * 1000).toBeGreaterThanOrEqual(started);
  });

  it("counts the audit entries written: one per call", async () => {
    // Five calls so far (the first test); the log is written in batches after each call ends.
    await waitFor("five audit entries", async () => valueOf((await scrape(nodes.solo!)).metrics, "ipfed_audit_entries_total") === 5);
    expect(valueOf((await scrape(nodes.solo!)).metrics, "ipfed_audit_pending_entries")).toBe(0);
  });

  it("answers a method other than GET with 405", async () => {
    const res = await fetch(`http://${nodes.solo!.http}/metrics`, { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });
});

describe("/metrics of a hub", () => {
  it("counts each member's outcome in a federated search", async () => {
    const events = await search(nodes.hub!.grpc, "*", { federate: true });
    const states = Object.fromEntries(events.flatMap((e) => (e.event?.$case === "memberStatus" ? [[e.event.value.memberId, MemberState[e.event.value.state]]] : [])));
    expect(states).toEqual({ hub: "MEMBER_STATE_OK", "m-live": "MEMBER_STATE_OK", "m-down": "MEMBER_STATE_UNAVAILABLE" });

    const { metrics } = await scrape(nodes.hub!);
    expect(allOf(metrics, "ipfed_federation_member_requests_total")).toEqual({
      "member=hub,status=OK": 1,
      "member=m-live,status=OK": 1,
      "member=m-down,status=UNAVAILABLE": 1,
    });
    expect(valueOf(metrics, "ipfed_federation_member_duration_seconds_count", { member: "m-down", status: "UNAVAILABLE" })).toBe(1);
    expect(valueOf(metrics, "ipfed_rpc_requests_total", { service: "ipfed.v1.SearchService", method: "Search", code: "OK" })).toBe(1);
    // The live member served the hub's part of the query as a Search of its own.
    const member = (await scrape(nodes["m-live"]!)).metrics;
    expect(valueOf(member, "ipfed_rpc_requests_total", { service: "ipfed.v1.SearchService", method: "Search", code: "OK" })).toBe(1);
    expect(allOf(member, "ipfed_records")).toEqual({ "dataset=cn": 60 });
  });

  it("counts admitted members by health: the stopped one goes down", async () => {
    let last: { [labels: string]: number } = {};
    await waitFor("the stopped member down", async () => {
      last = allOf((await scrape(nodes.hub!)).metrics, "ipfed_hub_members");
      return last["health=down"] === 1;
    }, 60_000).catch((err: Error) => {
      throw new Error(`${err.message}; last scrape: ${JSON.stringify(last)}`);
    });
    // The hub is always up; the live member is up, or degraded when a heartbeat is late on a
    // busy machine; nobody is unheard of.
    expect(Object.keys(last).sort()).toEqual(["health=degraded", "health=down", "health=unknown", "health=up"]);
    expect(last["health=up"]! + last["health=degraded"]!).toBe(2);
    expect(last["health=up"]).toBeGreaterThanOrEqual(1);
    expect(last["health=unknown"]).toBe(0);
  }, 90_000);
});
