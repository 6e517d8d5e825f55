import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Record } from "@ipfed/proto";
import { hubPort, importCorpus, initHub, initMember, startHub, startMember } from "../helpers/network.js";
import { initNode, ipfed, startNode, tempDir } from "../helpers/node-process.js";
import type { RunningNode } from "../helpers/node-process.js";
import { mint, nodeKey, runLoad } from "./load-driver.js";
import type { LoadCounts } from "./load-driver.js";
import { LOAD_CLIENTS, LOAD_SECONDS, peakRssMiB, record } from "./record.js";

// Each test runs LOAD_CLIENTS clients for LOAD_SECONDS; setting up nine nodes takes minutes on a busy machine.
const budget = (LOAD_SECONDS + 600) * 1000;

/** Audit entries of the load's callers, by status: the node's own count of what it answered. */
async function audited(dir: string, subjectPrefix: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const folder = join(dir, "audit");
  for (const f of (await readdir(folder)).filter((x) => x.endsWith(".jsonl")).sort()) {
    for (const line of (await readFile(join(folder, f), "utf8")).split("\n")) {
      if (!line) continue;
      const e = JSON.parse(line) as { subject: string; status: string };
      if (e.subject.startsWith(subjectPrefix)) out.set(e.status, (out.get(e.status) ?? 0) + 1);
    }
  }
  return out;
}

/** The counts a load must end with: every call ended once, only RESOURCE_EXHAUSTED refused, no wrong answer. */
function expectClean(c: LoadCounts): void {
  expect(Object.fromEntries(c.other)).toEqual({});
  expect(Object.fromEntries(c.wrong)).toEqual({});
  expect(c.duplicated).toBe(0);
  expect(c.open).toBe(0);
  expect(c.ok + c.resourceExhausted).toBe(c.requests);
  expect(c.ok).toBeGreaterThan(0);
}

// Stopped and removed after each test, also when the test timed out.
const running: RunningNode[] = [];
const dirs: { remove(): Promise<void> }[] = [];
afterEach(async () => {
  for (const n of running.splice(0)) await n.stop().catch(() => undefined);
  for (const d of dirs.splice(0)) await d.remove();
});

const withWord = (records: Record[], word: string) => records.filter((r) => r.titles.some((t) => t.text.includes(word))).map((r) => r.id);

describe(`load: ${LOAD_CLIENTS} concurrent clients for ${LOAD_SECONDS} s`, () => {
  it("against one node: search, get, export and federated search, every call answered once and rightly", { timeout: budget }, async () => {
    const d = await tempDir("ipfed-load-one-");
    dirs.push(d);
    {
      const dir = join(d.path, "node");
      await initNode(dir, { id: "sc-load", kind: "regional", region: "510000" });
      const cn = await importCorpus(dir, "cn", 0, 2000, 31);
      const ex = await importCorpus(dir, "ex", 5000, 5100, 32);
      const node = await startNode(dir);
      running.push(node);
      const key = await nodeKey(dir);
      const tokens = Array.from({ length: LOAD_CLIENTS }, (_, i) => mint(key, "sc-load", `load-${i}`));
      const c = await runLoad({
        address: node.grpc,
        tokens,
        seconds: LOAD_SECONDS,
        ops: ["search", "get", "export", "federated"],
        ids: cn.map((r) => r.id),
        query: "电池 OR battery",
        exportDataset: "ex",
        exportCount: ex.length,
      });
      const rss = [peakRssMiB(node.proc.pid)].filter((x): x is number => x !== undefined);
      expectClean(c);
      expect(c.byOp.search + c.byOp.get + c.byOp.export + c.byOp.federated).toBe(c.requests);
      expect(Math.min(c.byOp.search, c.byOp.get, c.byOp.export, c.byOp.federated)).toBeGreaterThan(0);
      expect(await node.stop()).toBe(0);
      // The node's audit log counts the same calls: none it answered went unseen by a client, none twice.
      const log = await audited(dir, "load-");
      expect(log.get("OK") ?? 0).toBe(c.ok);
      const verify = await ipfed(["audit", "verify", "--dir", dir]);
      expect(verify.code, verify.stderr).toBe(0);
      record({
        suite: "load",
        test: "one node: search, get, export, federated search",
        load: {
          clients: LOAD_CLIENTS,
          seconds: LOAD_SECONDS,
          requests: c.requests,
          ok: c.ok,
          resourceExhausted: c.resourceExhausted,
          otherErrors: [...c.other.values()].reduce((a, b) => a + b, 0),
          peakRssMiB: rss,
        },
        recordsLost: 0,
        notes: `audit log: ${log.get("OK") ?? 0} OK entries for ${c.ok} OK calls; ops ${JSON.stringify(c.byOp)}`,
      });
    }
  });

  it("against a hub with 8 members: federated answers whole and without duplicates", { timeout: budget + 300_000 }, async () => {
    const d = await tempDir("ipfed-load-hub-");
    dirs.push(d);
    const nodes = running;
    {
      const port = hubPort();
      const hubDir = join(d.path, "hub");
      await initHub(hubDir, port);
      const ex = await importCorpus(hubDir, "ex", 5000, 5100, 32);
      const members = Array.from({ length: 8 }, (_, i) => `m${i + 1}`);
      const held: Record[] = [];
      const enrolments: string[] = [];
      for (const [i, id] of members.entries()) {
        const dir = join(d.path, id);
        enrolments.push(await initMember(hubDir, port, dir, { id, kind: "tisc", region: "510100" }));
        // Neighbours share 20 records, so the hub must merge them into one hit each.
        held.push(...(await importCorpus(dir, "cn", i * 100, i * 100 + 120, 41)));
      }
      const hub = await startHub(hubDir);
      nodes.push(hub);
      for (const [i, id] of members.entries()) nodes.push(await startMember(join(d.path, id), enrolments[i]!));
      const end = Date.now() + 60_000;
      for (;;) {
        const r = await ipfed(["members", "list", "--dir", hubDir, "--json"]);
        const list = JSON.parse(r.stdout || "[]") as { state: string }[];
        if (list.filter((m) => m.state === "admitted").length === 9) break;
        if (Date.now() > end) throw new Error(`members not admitted: ${r.stdout}`);
        await new Promise((res) => setTimeout(res, 300));
      }
      const word = "电池";
      // Members trust the hub's tokens up to REGISTERED (their enrolment's cap), so the hub's
      // downstream calls see their records up to that tier; its own records all.
      const expected = [...new Set([...withWord(held.filter((r) => r.accessTier <= 2), word), ...withWord(ex, word)])];
      expect(expected.length).toBeGreaterThan(5);
      expect(expected.length).toBeLessThan(200);
      const key = await nodeKey(hubDir);
      const tokens = Array.from({ length: LOAD_CLIENTS }, (_, i) => mint(key, "hub", `load-${i}`));
      const c = await runLoad({
        address: hub.grpc,
        tokens,
        seconds: LOAD_SECONDS,
        ops: ["federated", "get", "federated", "export", "search"],
        ids: ex.map((r) => r.id),
        query: `ti:${word}`,
        pageSize: 200,
        exportDataset: "ex",
        exportCount: ex.length,
        federatedMembers: members,
        federatedIds: expected,
      });
      const rss = nodes.map((n) => peakRssMiB(n.proc.pid)).filter((x): x is number => x !== undefined).sort((a, b) => b - a);
      expectClean(c);
      expect(c.byOp.federated).toBeGreaterThan(0);
      // The hub's fan-out for all its callers is limited at each member as the acting member,
      // with its own rate and stream cap (limits.rate.federated, maxStreamsPerMember): every
      // federated answer is complete, every member OK.
      expect(Object.fromEntries(c.degradedMembers)).toEqual({});
      expect(c.completeFederated).toBe(c.byOp.federated);
      const degraded = [...c.degradedMembers.values()].reduce((a, b) => a + b, 0);
      record({
        suite: "load",
        test: "hub with 8 members: federated search, get, export, search",
        load: {
          clients: LOAD_CLIENTS,
          seconds: LOAD_SECONDS,
          requests: c.requests,
          ok: c.ok,
          resourceExhausted: c.resourceExhausted,
          otherErrors: [...c.other.values()].reduce((a, b) => a + b, 0),
          peakRssMiB: rss,
        },
        recordsLost: 0,
        notes: `${c.completeFederated} of ${c.byOp.federated} federated answers complete with all 8 members OK (${expected.length} records each, none twice); member answers not OK, as reported in the answers: ${degraded} of ${c.byOp.federated * 8} ${JSON.stringify(Object.fromEntries(c.degradedMembers))}`,
      });
    }
  });
});
