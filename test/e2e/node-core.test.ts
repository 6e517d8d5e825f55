import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Metadata, status } from "@grpc/grpc-js";
import type { ServiceError } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCorpus } from "@ipfed/corpus";
import {
  ChangeType,
  GetDatasetRequest,
  GetRecordRequest,
  HarvestRequest,
  ListDatasetsRequest,
  PublishRequest,
  Record,
  SearchEvent,
  SearchRequest,
} from "@ipfed/proto";
import type { Dataset, HarvestResponse, PublishResponse } from "@ipfed/proto";
import { fromGrpcError } from "@ipfed/sdk";
import { callUnary, collect, rawClients } from "../helpers/grpc-clients.js";
import { initNode, ipfed, IPFED_BIN, issueToken, startNode, tempDir } from "../helpers/node-process.js";
import type { RunningNode } from "../helpers/node-process.js";
import { usptoFiles } from "../helpers/shared-data.js";

const CORPUS_SIZE = 3000;
let dir: { path: string; remove(): Promise<void> };
let node: RunningNode;
let corpus: Record[];
/** Operator tokens (CONFIDENTIAL, every scope) of the nodes, by gRPC address. */
const tokens = new Map<string, string>();
const tokenFor = (address: string): string | undefined => tokens.get(address);

async function startWithToken(path: string): Promise<RunningNode> {
  const n = await startNode(path);
  tokens.set(n.grpc, await issueToken(path));
  return n;
}

async function search(address: string, query: string, extra: Partial<SearchRequest> = {}) {
  const c = rawClients(address, tokenFor(address));
  try {
    const events = await collect<SearchEvent>(c.search.search(SearchRequest.fromPartial({ query, pageSize: 200, ...extra })));
    const hits = events.flatMap((e) => (e.event?.$case === "hit" ? [e.event.value] : []));
    const done = events.find((e) => e.event?.$case === "done")?.event;
    const facets = events.find((e) => e.event?.$case === "facets")?.event;
    return { hits, done: done?.$case === "done" ? done.value : undefined, facets: facets?.$case === "facets" ? facets.value.facets : [] };
  } finally {
    c.close();
  }
}

/** Every id a query finds, following cursors page by page. */
async function allIds(address: string, query: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor = "";
  for (let page = 0; page < 100; page++) {
    const r = await search(address, query, { cursor, pageSize: 97 });
    ids.push(...r.hits.map((h) => h.record!.id));
    cursor = r.done!.nextCursor;
    if (!cursor) break;
  }
  return ids;
}

const textsOf = (r: Record): string[] => [
  ...r.titles.map((t) => t.text),
  ...r.abstracts.map((t) => t.text),
  ...r.claims.map((c) => c.text),
  ...r.descriptions.map((t) => t.text),
  ...[...r.applicants, ...r.owners, ...r.inventors, ...r.agents].map((p) => p.name),
  // Trademarks are found by their mark and their goods and services, GIs by product and area.
  ...(r.detail?.$case === "trademark" ? [r.detail.value.markText, ...r.detail.value.classes.map((c) => c.goodsServices)] : []),
  ...(r.detail?.$case === "geographicalIndication" ? [...r.detail.value.product, ...r.detail.value.protectedArea].map((t) => t.text) : []),
];

beforeAll(async () => {
  dir = await tempDir("ipfed-core-");
  await initNode(dir.path, { id: "sc-regional", kind: "regional", region: "510000" });
  const imported = await ipfed(["import", "--dir", dir.path, "--dataset", "uspto", "--json", ...usptoFiles()]);
  expect(imported.code, imported.stderr).toBe(0);
  corpus = [...generateCorpus({ size: CORPUS_SIZE, seed: 7, datasetId: "cn" })];
  const file = join(dir.path, "corpus.jsonl");
  await writeFile(file, corpus.map((r) => JSON.stringify(Record.toJSON(r))).join("\n") + "\n");
  const c = await ipfed(["import", "--dir", dir.path, "--dataset", "cn", "--json", file]);
  expect(c.code, c.stderr).toBe(0);
  node = await startWithToken(dir.path);
}, 180_000);

afterAll(async () => {
  await node?.stop();
  await dir?.remove();
});

describe("import of the real USPTO grants", () => {
  it("imports all 371 grants, and a second run changes nothing", async () => {
    const again = await ipfed(["import", "--dir", join(dir.path, "..", "nonexistent"), "--dataset", "x", usptoFiles()[0]!]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("error CONFIG_NOT_FOUND");
    const c = rawClients(node.grpc, tokenFor(node.grpc));
    const res = await callUnary<{ dataset?: Dataset }>((cb) => c.catalogue.getDataset(GetDatasetRequest.fromPartial({ id: "uspto" }), cb));
    c.close();
    expect(res.dataset?.recordCount).toBe(371);
    expect(res.dataset?.coverage).toEqual({ countries: ["US"], dateFrom: "2005-01-04", dateTo: "2012-03-27", regions: [] });
    expect(res.dataset?.kinds).toEqual([1, 3]);
  });

  it("serves the fields of a known utility patent", async () => {
    const c = rawClients(node.grpc, tokenFor(node.grpc));
    const { record } = await callUnary<{ record?: Record }>((cb) => c.search.getRecord(GetRecordRequest.fromPartial({ id: "US-8088512-B2" }), cb));
    c.close();
    expect(record?.titles).toEqual([{ lang: "en", text: "Self organizing battery structure method" }]);
    expect(record?.inventors[0]).toMatchObject({ name: "Gozdz, Antoni S.", city: "Marlborough", naturalPerson: true });
    expect(record?.owners[0]).toMatchObject({ name: "A123 Systems, Inc.", naturalPerson: false });
    expect(record?.ipc).toEqual(["H01M 10/02", "H01M 4/04"]);
    expect(record?.claims).toHaveLength(15);
    expect(record?.provenance).toMatchObject({ memberId: "sc-regional", version: 1, source: "uspto-xml:ipg120103.xml#10" });
  });

  it("finds known documents, and does not find what is not there", async () => {
    expect((await search(node.grpc, '"self organizing battery"')).hits.map((h) => h.record!.id)).toEqual(["US-8088512-B2"]);
    expect((await search(node.grpc, "in:gozdz")).hits.map((h) => h.record!.id)).toEqual(["US-8088512-B2"]);
    expect((await search(node.grpc, "ti:babyphone")).hits.map((h) => h.record!.id)).toEqual(["US-D651584-S1"]);
    const ipc = await search(node.grpc, "ipc:H01M ds:uspto");
    expect(ipc.hits.map((h) => h.record!.id).sort()).toEqual(["US-6982130-B2", "US-7314687-B2", "US-8088512-B2"]);
    // Stemming: "batteries" and "battery" meet.
    expect((await search(node.grpc, "ti:batteries ds:uspto")).done?.total).toBe((await search(node.grpc, "ti:battery ds:uspto")).done?.total);
    expect((await search(node.grpc, '"battery self organizing"')).hits).toEqual([]);
    expect((await search(node.grpc, "ti:battery NOT ti:structure ds:uspto")).hits.map((h) => h.record!.id)).toEqual(["US-D656458-S1"]);
    const designs2005 = await search(node.grpc, "kind:design pd:2005");
    expect(designs2005.done?.total).toBe(0);
    const byKind = await search(node.grpc, "ds:uspto", { facets: ["kind", "year"], pageSize: 1 });
    expect(byKind.done?.total).toBe(371);
    expect(byKind.facets.find((f) => f.name === "kind")?.buckets).toEqual([
      { value: "design", count: 215 },
      { value: "patent", count: 156 },
    ]);
  });

  it("answers a syntax error with INVALID_ARGUMENT naming the position", async () => {
    const c = rawClients(node.grpc, tokenFor(node.grpc));
    const err = await collect(c.search.search(SearchRequest.fromPartial({ query: "ti:(graphene OR battery" }))).catch((e: ServiceError) => e);
    c.close();
    expect((err as ServiceError).code).toBe(status.INVALID_ARGUMENT);
    const e = fromGrpcError(err as ServiceError);
    expect(e.code).toBe("QUERY_SYNTAX");
    expect(e.position).toBe(24);
  });
});

describe("Chinese and English search over the generated corpus", () => {
  for (const word of ["石墨烯", "锂离子电池", "中药", "无人机"]) {
    it(`"${word}" finds exactly the records that contain it`, async () => {
      const expected = corpus.filter((r) => textsOf(r).some((t) => t.includes(word))).map((r) => r.id);
      const found = await allIds(node.grpc, `${word} ds:cn`);
      expect(found.length).toBe(new Set(found).size);
      expect(found.sort()).toEqual(expected.sort());
    });
  }

  it("a Chinese word matches inside longer Chinese text, in titles only with ti:", async () => {
    const expected = corpus.filter((r) => r.titles.some((t) => t.text.includes("石墨烯"))).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(0);
    expect((await allIds(node.grpc, "ti:石墨烯 ds:cn")).sort()).toEqual(expected.sort());
    const withoutBattery = corpus
      .filter((r) => r.titles.some((t) => t.text.includes("石墨烯")) && !r.titles.some((t) => t.text.includes("电池")))
      .map((r) => r.id);
    expect((await allIds(node.grpc, "ti:石墨烯 NOT ti:电池 ds:cn")).sort()).toEqual(withoutBattery.sort());
  });

  it("pages through a large answer with cursors, each record once, in score order", async () => {
    const first = await search(node.grpc, "ds:cn", { pageSize: 50 });
    expect(first.done?.total).toBe(CORPUS_SIZE);
    const ids = await allIds(node.grpc, "pd:[2010 TO 2015] ds:cn");
    const expected = corpus.filter((r) => r.publicationDate >= "2010-01-01" && r.publicationDate <= "2015-12-31").map((r) => r.id);
    expect(ids.length).toBe(expected.length);
    expect(new Set(ids)).toEqual(new Set(expected));
  });

  it("refuses a cursor from another query", async () => {
    const a = await search(node.grpc, "石墨烯", { pageSize: 5 });
    const c = rawClients(node.grpc, tokenFor(node.grpc));
    const err = await collect(c.search.search(SearchRequest.fromPartial({ query: "电池", cursor: a.done!.nextCursor }))).catch((e: ServiceError) => e);
    c.close();
    expect(fromGrpcError(err as ServiceError).code).toBe("CURSOR_INVALID");
  });
});

describe("export, re-import, delete, harvest", () => {
  it("export → re-import into a fresh node gives identical records", async () => {
    const out = join(dir.path, "uspto-export.jsonl");
    const ex = await ipfed(["export", "--endpoint", node.grpc, "--token", tokenFor(node.grpc)!, "--dataset", "uspto", "--out", out, "--quiet"]);
    expect(ex.code, ex.stderr).toBe(0);
    expect(ex.stdout).toContain("Exported 371 records of uspto");
    const fresh = await tempDir("ipfed-fresh-");
    try {
      await initNode(fresh.path, { id: "mirror", kind: "library", region: "510100" });
      const im = await ipfed(["import", "--dir", fresh.path, "--dataset", "uspto", "--json", out]);
      expect(JSON.parse(im.stdout)).toMatchObject({ read: 371, imported: 371, rejected: 0 });
      const other = await startWithToken(fresh.path);
      try {
        const again = join(fresh.path, "again.jsonl");
        expect((await ipfed(["export", "--endpoint", other.grpc, "--token", tokenFor(other.grpc)!, "--dataset", "uspto", "--out", again, "--quiet"])).code).toBe(0);
        const strip = (text: string) =>
          text
            .trim()
            .split("\n")
            .map((l) => {
              const r = JSON.parse(l) as { provenance?: unknown };
              delete r.provenance;
              return r;
            });
        const a = strip(await readFile(out, "utf8"));
        const b = strip(await readFile(again, "utf8"));
        expect(b).toHaveLength(371);
        expect(b).toEqual(a);
      } finally {
        await other.stop();
      }
    } finally {
      await fresh.remove();
    }
  });

  it("a deletion shows in Harvest, after the cursor taken before it", async () => {
    const c = rawClients(node.grpc, tokenFor(node.grpc));
    try {
      // Pages are cut to fit a client's default 4 MiB limit: follow them to the end.
      const harvestAll = async (cursor = "") => {
        const changes: HarvestResponse["changes"] = [];
        for (;;) {
          const page = await callUnary<HarvestResponse>((cb) => c.exchange.harvest(HarvestRequest.fromPartial({ datasetId: "uspto", cursor, limit: 5000 }), cb));
          changes.push(...page.changes);
          cursor = page.nextCursor;
          if (!page.hasMore) return { changes, cursor };
        }
      };
      const before = await harvestAll();
      expect(before.changes).toHaveLength(371);
      expect(new Set(before.changes.map((x) => x.recordId)).size).toBe(371);
      const published = await new Promise<PublishResponse>((resolve, reject) => {
        const call = c.exchange.publish(new Metadata(), (err, res) => (err ? reject(err) : resolve(res)));
        call.write(PublishRequest.fromPartial({ datasetId: "uspto", item: { $case: "deleteId", value: "US-D651584-S1" } }));
        call.end();
      });
      expect(published.deleted).toBe(1);
      const after = await callUnary<HarvestResponse>((cb) => c.exchange.harvest(HarvestRequest.fromPartial({ datasetId: "uspto", cursor: before.cursor }), cb));
      expect(after.changes.map((x) => [x.type, x.recordId])).toEqual([[ChangeType.CHANGE_TYPE_DELETE, "US-D651584-S1"]]);
      expect(after.changes[0]!.record).toBeUndefined();
      // Tombstones stay: a harvest from the start still sees the deletion.
      const all = await harvestAll();
      expect(all.changes.filter((x) => x.type === ChangeType.CHANGE_TYPE_DELETE).map((x) => x.recordId)).toEqual(["US-D651584-S1"]);
      expect(all.changes).toHaveLength(371);
      const gone = await callUnary((cb) => c.search.getRecord(GetRecordRequest.fromPartial({ id: "US-D651584-S1" }), cb)).catch((e: ServiceError) => e);
      expect(fromGrpcError(gone as ServiceError).code).toBe("RECORD_NOT_FOUND");
      expect((await search(node.grpc, "ti:babyphone")).hits).toEqual([]);
      const list = await callUnary<{ datasets: Dataset[] }>((cb) => c.catalogue.listDatasets(ListDatasetsRequest.fromPartial({}), cb));
      expect(list.datasets.map((d) => [d.id, d.recordCount])).toEqual([
        ["cn", CORPUS_SIZE],
        ["uspto", 370],
      ]);
    } finally {
      c.close();
    }
  });
});

describe("an import killed with kill -9", () => {
  it("leaves every record fully indexed or absent, and a re-run completes it", async () => {
    const d = await tempDir("ipfed-kill-");
    try {
      await initNode(d.path, { id: "killed", kind: "tisc", region: "510100" });
      const file = join(d.path, "big.jsonl");
      const records = [...generateCorpus({ size: 20_000, seed: 11, datasetId: "big" })];
      await writeFile(file, records.map((r) => JSON.stringify(Record.toJSON(r))).join("\n") + "\n");
      const proc = spawn(process.execPath, [IPFED_BIN, "import", "--dir", d.path, "--dataset", "big", "--batch-size", "500", file], { stdio: "ignore" });
      // Wait until some batches have landed, then kill without warning. One batch of 500
      // of these records writes about 2.6 MB to LevelDB's log; once the store's files hold
      // three times that, the first batch is committed whatever the machine's load. Logs
      // are compacted into tables as they fill, so both count.
      const summaryDir = join(d.path, "store");
      const deadline = Date.now() + 60_000;
      for (;;) {
        await new Promise((r) => setTimeout(r, 150));
        const { readdir, stat } = await import("node:fs/promises");
        const files = await readdir(summaryDir).catch(() => [] as string[]);
        const sizes = await Promise.all(
          files.filter((f) => f.endsWith(".log") || f.endsWith(".ldb")).map((f) => stat(join(summaryDir, f)).then((s) => s.size, () => 0)),
        );
        if (sizes.reduce((a, b) => a + b, 0) > 8_000_000 || Date.now() > deadline) break;
      }
      proc.kill("SIGKILL");
      await new Promise((r) => proc.once("exit", r));

      const mid = await startWithToken(d.path);
      let partial: number;
      try {
        const c = rawClients(mid.grpc, tokenFor(mid.grpc));
        const ds = await callUnary<{ dataset?: Dataset }>((cb) => c.catalogue.getDataset(GetDatasetRequest.fromPartial({ id: "big" }), cb));
        const exported = await collect<{ records: Record[] }>(c.exchange.export({ datasetId: "big", cursor: "", batchSize: 1000 }));
        c.close();
        partial = ds.dataset!.recordCount;
        const indexed = (await search(mid.grpc, "ds:big", { pageSize: 1 })).done!.total;
        const stored = exported.reduce((n, b) => n + b.records.length, 0);
        // Store figures, stored records and the index agree: nothing half-written.
        expect(indexed).toBe(partial);
        expect(stored).toBe(partial);
        expect(partial).toBeGreaterThan(0);
        expect(partial).toBeLessThan(20_000);
        expect(partial % 500).toBe(0);
      } finally {
        await mid.stop();
      }
      const rerun = await ipfed(["import", "--dir", d.path, "--dataset", "big", "--json", "--batch-size", "500", file]);
      const s = JSON.parse(rerun.stdout);
      expect(s).toMatchObject({ read: 20_000, imported: 20_000 - partial, unchanged: partial, rejected: 0 });
      const done = await startWithToken(d.path);
      try {
        expect((await search(done.grpc, "ds:big", { pageSize: 1 })).done!.total).toBe(20_000);
      } finally {
        await done.stop();
      }
    } finally {
      await d.remove();
    }
  }, 180_000);
});

describe("malformed inputs through the CLI", () => {
  it("exit code 3, a summary, and a rejects file naming each problem", async () => {
    const d = await tempDir("ipfed-bad-");
    try {
      await initNode(d.path, { id: "bad", kind: "library", region: "510100" });
      const jsonl = join(d.path, "mixed.jsonl");
      await writeFile(jsonl, `{"id":"CN-1-A","kind":"RECORD_KIND_PATENT"}\n{oops\n{"id":"CN-2-A","kind":"RECORD_KIND_PATENT","nice":[99]}\n`);
      const r = await ipfed(["import", "--dir", d.path, "--dataset", "x", jsonl]);
      expect(r.code).toBe(3);
      expect(r.stdout).toContain("read 3, imported 1, updated 0, unchanged 0, rejected 2");
      const rejectsPath = /rejects: (.*)/.exec(r.stdout)![1]!;
      const rejects = (await readFile(rejectsPath, "utf8")).trim().split("\n").map((l) => JSON.parse(l));
      expect(rejects).toEqual([
        expect.objectContaining({ file: "mixed.jsonl", line: 2, code: "IMPORT_PARSE_ERROR" }),
        { file: "mixed.jsonl", line: 3, field: "nice[0]", code: "RECORD_INVALID", reason: "nice[0] 99 is not a Nice class (1 to 45)" },
      ]);
      const unknown = join(d.path, "data.bin");
      await writeFile(unknown, "\x00\x01binary");
      const u = await ipfed(["import", "--dir", d.path, "--dataset", "x", unknown]);
      expect(u.code).toBe(2);
      expect(u.stderr).toContain("error IMPORT_FORMAT_UNKNOWN: cannot tell the format of");
    } finally {
      await d.remove();
    }
  });
});
