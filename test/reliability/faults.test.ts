import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Metadata, status } from "@grpc/grpc-js";
import type { ServiceError } from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "vitest";
import { generateCorpus } from "@ipfed/corpus";
import { ChangeType, ExportRequest, GetDatasetRequest, HarvestRequest, MemberState, NetworkConfig, PublishRequest, SearchRequest } from "@ipfed/proto";
import type { Dataset, ExportResponse, HarvestResponse, PublishResponse, Record, SearchEvent } from "@ipfed/proto";
import { signNetworkConfig } from "@ipfed/sdk";
import type { MemberKey } from "@ipfed/sdk";
import { callUnary, collect, rawClients } from "../helpers/grpc-clients.js";
import { claims, forgeToken } from "../helpers/forge-token.js";
import { hubPort, importCorpus, initHub, initMember, startHub, startMember } from "../helpers/network.js";
import { initNode, ipfed, issueToken, startNode, tempDir } from "../helpers/node-process.js";
import type { RunningNode } from "../helpers/node-process.js";
import { nodeKey } from "./load-driver.js";
import { record } from "./record.js";

const running: RunningNode[] = [];
const dirs: { remove(): Promise<void> }[] = [];
afterEach(async () => {
  for (const n of running.splice(0)) await n.stop("SIGKILL").catch(() => undefined);
  for (const d of dirs.splice(0)) await d.remove();
});

async function start(dir: string, env: NodeJS.ProcessEnv = {}): Promise<RunningNode> {
  const n = await startNode(dir, env);
  running.push(n);
  return n;
}

/** Count, index total and export size of a dataset: they must agree in a consistent store. */
/** How a one-hit search of `ds:cn` with `token` ends: "OK", or "STATUS/ipfed-error-code". */
async function outcome(address: string, token: string): Promise<string> {
  const c = rawClients(address, token);
  try {
    await collect(c.search.search(SearchRequest.fromPartial({ query: "ds:cn", pageSize: 1 })));
    return "OK";
  } catch (err) {
    return `${status[(err as ServiceError).code]}/${(err as ServiceError).metadata.get("ipfed-error-code")[0]}`;
  } finally {
    c.close();
  }
}

async function figures(address: string, token: string, datasetId: string): Promise<{ count: number; indexed: number; exported: string[]; changes: Map<string, number> }> {
  const c = rawClients(address, token);
  try {
    const ds = await callUnary<{ dataset?: Dataset }>((cb) => c.catalogue.getDataset(GetDatasetRequest.fromPartial({ id: datasetId }), cb));
    const events = await collect<SearchEvent>(c.search.search(SearchRequest.fromPartial({ query: `ds:${datasetId}`, pageSize: 1 })));
    const done = events.find((e) => e.event?.$case === "done");
    const batches = await collect<ExportResponse>(c.exchange.export(ExportRequest.fromPartial({ datasetId, batchSize: 1000 })));
    const changes = new Map<string, number>();
    let cursor = "";
    for (;;) {
      const h = await callUnary<HarvestResponse>((cb) => c.exchange.harvest(HarvestRequest.fromPartial({ datasetId, cursor, limit: 1000 }), cb));
      for (const ch of h.changes) if (ch.type === ChangeType.CHANGE_TYPE_UPSERT) changes.set(ch.recordId, (changes.get(ch.recordId) ?? 0) + 1);
      if (!h.hasMore || h.nextCursor === cursor) break;
      cursor = h.nextCursor;
    }
    return {
      count: ds.dataset?.recordCount ?? 0,
      indexed: done?.event?.$case === "done" ? done.event.value.total : -1,
      exported: batches.flatMap((b) => b.records.map((r) => r.id)),
      changes,
    };
  } finally {
    c.close();
  }
}

describe("faults", () => {
  it("kill -9 while records are published: every acknowledged record is there after a plain restart, in store, index and change log", { timeout: 300_000 }, async () => {
    const d = await tempDir("ipfed-fault-publish-");
    dirs.push(d);
    const dir = join(d.path, "node");
    await initNode(dir, { id: "sc-crash", kind: "regional", region: "510000" });
    await importCorpus(dir, "cn", 0, 500, 3);
    let node = await start(dir);
    const token = await issueToken(dir);
    const records = [...generateCorpus({ size: 3000, startIndex: 50_000, seed: 3, datasetId: "cn" })];
    const acked: string[] = [];
    const c = rawClients(node.grpc, token);
    // Batches of 50, one call each, as fast as the node takes them; the kill lands mid-batch.
    const publishing = (async () => {
      for (let i = 0; i < records.length; i += 50) {
        const batch = records.slice(i, i + 50);
        const res = await new Promise<PublishResponse>((resolve, reject) => {
          const call = c.exchange.publish(new Metadata(), (err, r) => (err ? reject(err) : resolve(r)));
          for (const r of batch) call.write(PublishRequest.fromPartial({ datasetId: "cn", item: { $case: "record", value: r } }));
          call.end();
        });
        expect(res.created).toBe(batch.length);
        acked.push(...batch.map((r) => r.id));
      }
    })().catch((e: ServiceError) => e);
    while (acked.length < 400) await new Promise((r) => setTimeout(r, 20));
    await node.stop("SIGKILL");
    const ended = await publishing;
    c.close();
    expect((ended as ServiceError).code).toBe(status.UNAVAILABLE);
    const ackedAtKill = acked.length;

    // A plain restart: no repair step.
    node = await start(dir);
    const f = await figures(node.grpc, token, "cn");
    expect(f.indexed).toBe(f.count);
    expect(f.exported.length).toBe(f.count);
    expect(new Set(f.exported).size).toBe(f.count);
    const have = new Set(f.exported);
    const lost = acked.filter((id) => !have.has(id));
    expect(lost).toEqual([]);
    // The batch in flight at the kill is wholly in or wholly out.
    expect([500 + ackedAtKill, 500 + ackedAtKill + 50]).toContain(f.count);
    // The change log has each acknowledged record once.
    expect(acked.filter((id) => f.changes.get(id) !== 1)).toEqual([]);
    expect(f.changes.size).toBe(f.count);
    await node.stop();
    const audit = await ipfed(["audit", "verify", "--dir", dir]);
    expect(audit.code, audit.stderr).toBe(0);
    record({
      suite: "faults",
      test: "kill -9 during Publish, then a plain restart",
      faults: [`node killed after ${ackedAtKill} acknowledged records`],
      recordsLost: lost.length,
      notes: `after restart: ${f.count} records = index ${f.indexed} = export ${f.exported.length} = change log ${f.changes.size}; in-flight batch ${f.count - 500 - ackedAtKill === 0 ? "absent" : "whole"}; audit chain verifies`,
    });
  });

  it("kill -9 mid export stream: the client resumes from the last cursor after restart, each record once", { timeout: 300_000 }, async () => {
    const d = await tempDir("ipfed-fault-export-");
    dirs.push(d);
    const dir = join(d.path, "node");
    await initNode(dir, { id: "sc-export", kind: "regional", region: "510000" });
    const cn = await importCorpus(dir, "cn", 0, 3000, 4);
    let node = await start(dir);
    const token = await issueToken(dir);
    const got: string[] = [];
    let cursor = "";
    let batches = 0;
    const c = rawClients(node.grpc, token);
    const err = await new Promise<ServiceError | undefined>((resolve) => {
      const s = c.exchange.export(ExportRequest.fromPartial({ datasetId: "cn", batchSize: 100 }));
      s.on("data", (b: ExportResponse) => {
        got.push(...b.records.map((r) => r.id));
        cursor = b.cursor;
        if (++batches === 5) {
          s.pause();
          void node.stop("SIGKILL").then(() => s.resume());
        }
      });
      s.on("error", (e: ServiceError) => resolve(e));
      s.on("end", () => resolve(undefined));
    });
    c.close();
    expect(err?.code).toBe(status.UNAVAILABLE);
    const before = got.length;
    expect(before).toBeGreaterThanOrEqual(500);
    expect(before).toBeLessThan(3000);
    node = await start(dir);
    const c2 = rawClients(node.grpc, token);
    const rest = await collect<ExportResponse>(c2.exchange.export(ExportRequest.fromPartial({ datasetId: "cn", batchSize: 100, cursor })));
    c2.close();
    got.push(...rest.flatMap((b) => b.records.map((r) => r.id)));
    expect(got.length).toBe(cn.length);
    expect(new Set(got).size).toBe(cn.length);
    expect([...got].sort()).toEqual(cn.map((r) => r.id).sort());
    record({
      suite: "faults",
      test: "kill -9 mid Export stream, resume from the last cursor",
      faults: [`node killed after ${batches} batches (${before} records)`],
      recordsLost: cn.length - new Set(got).size,
      notes: `${got.length} records after resuming, none twice`,
    });
  });

  it("a member whose clock is 10 minutes off: its tokens are accepted within the skew bound and refused beyond, with the time check's code", { timeout: 300_000 }, async () => {
    const d = await tempDir("ipfed-fault-clock-");
    dirs.push(d);
    const a = join(d.path, "a");
    const b = join(d.path, "b");
    await initNode(a, { id: "sc-regional", kind: "regional", region: "510000" });
    await initNode(b, { id: "skewed-tisc", kind: "tisc", region: "510100" });
    await importCorpus(a, "cn", 0, 200, 5);
    const ringB = JSON.parse(await readFile(join(b, "keys.json"), "utf8")) as { keys: { publicJwk: object }[] };
    await writeFile(join(d.path, "b-jwks.json"), JSON.stringify({ keys: [ringB.keys[0]!.publicJwk] }));
    expect((await ipfed(["trust", "add", "--dir", a, "--issuer", "skewed-tisc", "--max-tier", "registered", "--jwks", join(d.path, "b-jwks.json")])).code).toBe(0);
    const keyB = await nodeKey(b);
    // What a member whose clock runs `offset` seconds ahead (or behind) stamps on its tokens.
    const skewed = (offset: number, life = 3600): string => {
      const now = Math.floor(Date.now() / 1000) + offset;
      return forgeToken({ alg: "EdDSA", kid: keyB.kid, typ: "JWT" }, claims("skewed-tisc", "ipfed", { iat: now, nbf: now, exp: now + life }), { ed25519: keyB });
    };
    let node = await start(a);
    const table: { [k: string]: string } = {
      "+50 s": await outcome(node.grpc, skewed(50)),
      "+10 min": await outcome(node.grpc, skewed(600)),
      "-10 min, 1 h token": await outcome(node.grpc, skewed(-600)),
      "-10 min, 5 min token": await outcome(node.grpc, skewed(-600, 300)),
    };
    expect(table).toEqual({
      "+50 s": "OK",
      "+10 min": "UNAUTHENTICATED/TOKEN_NOT_YET_VALID",
      "-10 min, 1 h token": "OK",
      "-10 min, 5 min token": "UNAUTHENTICATED/TOKEN_EXPIRED",
    });
    // An operator who knows of a skew widens the bound, up to the verifier's cap of 300 s:
    // a clock 10 minutes off is beyond any setting, one 4 minutes off is within it.
    await node.stop();
    const cfgFile = join(a, "ipfed.json");
    const cfg = JSON.parse(await readFile(cfgFile, "utf8")) as { trust?: object };
    await writeFile(cfgFile, JSON.stringify({ ...cfg, trust: { ...(cfg.trust ?? {}), clockSkewSeconds: 900 } }, null, 2));
    node = await start(a);
    const widened = {
      "+4 min": await outcome(node.grpc, skewed(240)),
      "+10 min": await outcome(node.grpc, skewed(600)),
      "-4 min, 2 min token": await outcome(node.grpc, skewed(-240, 120)),
    };
    expect(widened).toEqual({ "+4 min": "OK", "+10 min": "UNAUTHENTICATED/TOKEN_NOT_YET_VALID", "-4 min, 2 min token": "OK" });
    record({
      suite: "faults",
      test: "a member's clock 10 minutes off (tokens of a skewed issuer)",
      faults: ["clock +50 s", "clock +10 min", "clock -10 min", "bound set to 900 s (capped at 300 s): clock +4 min, +10 min, -4 min"],
      inputs: 7,
      recordsLost: 0,
      notes: `default 60 s bound: ${JSON.stringify(table)}; trust.clockSkewSeconds 900 (300 effective): ${JSON.stringify(widened)}`,
    });
  });

  it("the hub stopped, then the network configuration past its expiry: members federate on, then refuse other members' tokens while serving their own", { timeout: 600_000 }, async () => {
    const d = await tempDir("ipfed-fault-netconf-");
    dirs.push(d);
    const port = hubPort();
    const hubDir = join(d.path, "hub");
    const aDir = join(d.path, "sc-regional");
    const bDir = join(d.path, "scu-tisc");
    await initHub(hubDir, port);
    const enrolA = await initMember(hubDir, port, aDir, { id: "sc-regional", kind: "regional", region: "510000" });
    // B sits under A, so A federates it (a member federates its children; the hub federates all).
    const enrolB = await initMember(hubDir, port, bDir, { id: "scu-tisc", kind: "tisc", region: "510100", parent: "sc-regional" });
    for (const dir of [aDir, bDir]) {
      const f = join(dir, "ipfed.json");
      const cfg = JSON.parse(await readFile(f, "utf8")) as { federation?: object };
      await writeFile(f, JSON.stringify({ ...cfg, federation: { ...(cfg.federation ?? {}), heartbeatSeconds: 1 } }, null, 2));
    }
    const dataA = await importCorpus(aDir, "cn", 0, 300, 21);
    const dataB = await importCorpus(bDir, "cn", 200, 500, 21);
    const hub = await startHub(hubDir);
    running.push(hub);
    const a = await startMember(aDir, enrolA);
    running.push(a);
    let b = await startMember(bDir, enrolB);
    running.push(b);
    const tokenA = await issueToken(aDir, { sub: "a-user", tier: "registered", scope: "search read" });
    const tokenB = await issueToken(bDir, { sub: "b-user", tier: "registered", scope: "search read" });
    const fsearch = async (address: string, token: string) => {
      const c = rawClients(address, token);
      try {
        const ev = await collect<SearchEvent>(c.search.search(SearchRequest.fromPartial({ query: "ti:电池", federate: true, pageSize: 200 }), new Metadata(), { deadline: Date.now() + 15_000 }));
        return {
          ids: [...new Set(ev.flatMap((e) => (e.event?.$case === "hit" ? [e.event.value.record!.id] : [])))].sort(),
          states: Object.fromEntries(ev.flatMap((e) => (e.event?.$case === "memberStatus" ? [[e.event.value.memberId, e.event.value.state]] : []))),
        };
      } finally {
        c.close();
      }
    };
    // Wait until B knows A through the hub's configuration.
    const end = Date.now() + 120_000;
    while ((await outcome(b.grpc, tokenA)) !== "OK") {
      if (Date.now() > end) throw new Error(`B never accepted A's token: ${await outcome(b.grpc, tokenA)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    await hub.stop();
    // With the hub gone, A federates B from its stored configuration: every record once.
    const both = [...new Set([...dataA, ...dataB].filter((r: Record) => r.accessTier <= 2 && r.titles.some((t) => t.text.includes("电池"))).map((r) => r.id))].sort();
    expect(both.length).toBeGreaterThan(5);
    expect(both.length).toBeLessThan(200);
    let fed = await fsearch(a.grpc, tokenA);
    const fedEnd = Date.now() + 60_000;
    while (fed.states["scu-tisc"] !== MemberState.MEMBER_STATE_OK && Date.now() < fedEnd) {
      await new Promise((r) => setTimeout(r, 500));
      fed = await fsearch(a.grpc, tokenA);
    }
    expect(fed.states["scu-tisc"]).toBe(MemberState.MEMBER_STATE_OK);
    expect(fed.ids).toEqual(both);

    // B's kept configuration replaced by the same one as the hub would have signed a day ago:
    // past its expiry and its grace. A is stopped too, so that no fresh copy arrives by gossip.
    await a.stop();
    await b.stop();
    const hubRing = JSON.parse(await readFile(join(hubDir, "keys.json"), "utf8")) as { active: string; keys: MemberKey[] };
    const hubKey = hubRing.keys.find((k) => k.kid === hubRing.active)!;
    const kept = (await readFile(join(bDir, "network-config.jws"), "utf8")).trim();
    const current = NetworkConfig.fromJSON(JSON.parse(Buffer.from(kept.split(".")[1]!, "base64url").toString("utf8")));
    const day = 86_400_000;
    const old = NetworkConfig.fromPartial({
      ...current,
      version: current.version + 1,
      issuedTime: new Date(Date.now() - 2 * day).toISOString(),
      expiresTime: new Date(Date.now() - day).toISOString(),
      graceSeconds: 3600,
    });
    await writeFile(join(bDir, "network-config.jws"), (await signNetworkConfig(old, hubKey)) + "\n");
    b = await startNode(bDir);
    running.push(b);
    const after = { "A's token at B": await outcome(b.grpc, tokenA), "B's own token at B": await outcome(b.grpc, tokenB) };
    expect(after).toEqual({ "A's token at B": "FAILED_PRECONDITION/NETWORK_CONFIG_EXPIRED", "B's own token at B": "OK" });
    record({
      suite: "faults",
      test: "hub stopped; then the network configuration past its expiry and grace",
      faults: ["hub stopped (SIGTERM)", "network configuration expired a day ago, grace 1 h"],
      recordsLost: both.length - fed.ids.length,
      notes: `hub down: A federated B (${fed.ids.length} records, each once, B OK); expired configuration: ${JSON.stringify(after)}`,
    });
  });
});
